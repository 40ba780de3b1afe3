/* eslint-disable @typescript-eslint/no-explicit-any -- the responses are read loosely here; each expectation asserts the shape it needs */
import { join } from 'node:path';
import { subgraph as directory } from '@pc/directory';
import { DEMO_PERSONAS } from '@pc/demo';
import { subgraph as identity } from '@pc/identity';
import { describeSubgraphContract, serviceCaller, startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { DEMO_DIRECTORY_REFS, DEMO_RECORDS, demoRows } from '../src/seed/seedDemo';
import { subgraph } from '../src/subgraph';
import { MARK, RECORD_ENCOUNTER, RECORD_REPORT, REPORT_FIELDS, callers } from './support';

// The contract every subgraph keeps (SDL served as written, no data without a caller token,
// references batched, health and metrics).
describeSubgraphContract(subgraph, join(__dirname, '..', 'schema.graphql'));

const patient = DEMO_PERSONAS.patient.id;
const other = DEMO_PERSONAS.other.id;
const doctor = DEMO_PERSONAS.doctor.id;
const { divisionId } = DEMO_DIRECTORY_REFS;

type Errors = { field: string[] | null; code: string }[];
const entity = (personId: string, fields: string) =>
  `{ _entities(representations: [{ __typename: "Person", id: "${personId}" }]) { ... on Person { ${fields} } } }`;

// The records subgraph on a real database, with the REAL identity and directory subgraphs (their
// demo seeds: the patient, the doctor, their division) as the owners it asks over HTTP.
describe('records: the medical record through the subgraph’s API', () => {
  let db: TestDatabase;
  let owners: RunningSubgraph[];
  let sg: RunningSubgraph;
  const count = async (table: string) => Number((await sg.dataSource.query(`SELECT count(*) AS n FROM records.${table}`))[0].n);
  const counts = async () => Promise.all(['encounter', 'condition', 'diagnostic_report', 'observation'].map(count));

  beforeAll(async () => {
    db = await startTestDatabase();
    owners = [await startSubgraph(identity, { databaseUrl: db.url }), await startSubgraph(directory, { databaseUrl: db.url })];
    sg = await startSubgraph(subgraph, { databaseUrl: db.url, config: { IDENTITY_URL: owners[0].url, DIRECTORY_URL: owners[1].url } });
  }, 60_000);
  afterAll(async () => {
    await sg?.stop();
    for (const o of owners ?? []) await o.stop();
    await db?.stop();
  });

  describe('reads', () => {
    it('gives the patient their encounters, conditions and reports, newest first, with observations interpreted against the catalogue', async () => {
      const r = await sg.call<{ _entities: { encounters: any; conditions: any; diagnosticReports: any }[] }>(
        entity(
          patient,
          `encounters(first: 10) { totalCount edges { node { id date class reasons { code } conditions { code { system code display } } } } }
           conditions(first: 10) { totalCount edges { node { code { system code } clinicalStatus verificationStatus encounter { id } } } }
           diagnosticReports(first: 10) { totalCount edges { node { ${REPORT_FIELDS} } } }`,
        ),
        {},
        callers.patient(patient),
      );
      expect(r.errors).toBeUndefined();
      const me = r.data!._entities[0];
      expect(me.encounters.totalCount).toBe(3);
      expect(me.encounters.edges.map((e: any) => e.node.date)).toEqual(['2026-11-02', '2026-09-20', '2026-03-12']);
      expect(me.encounters.edges[2].node.conditions.map((c: any) => c.code.code)).toEqual(['I10', 'E78.0']);
      expect(me.conditions.totalCount).toBe(4);
      expect(me.diagnosticReports.totalCount).toBe(4);
      const lipids = me.diagnosticReports.edges.find((e: any) => e.node.id === DEMO_RECORDS.lipids).node;
      expect(lipids.code).toEqual({ system: 'SERVICE', code: 'LAB-LIPID', display: 'Lipid panel' });
      expect(lipids.observations[0]).toEqual({
        code: { code: '14647-2', display: 'Cholesterol [Moles/volume] in Serum or Plasma' },
        value: '6.4',
        unit: 'mmol/L',
        interpretation: 'HIGH',
        referenceRange: { low: 0, high: 5.2, text: null },
      });
      const xray = me.diagnosticReports.edges.find((e: any) => e.node.id === DEMO_RECORDS.chestXray).node;
      expect(xray).toMatchObject({ category: 'IMAGING', observations: [], conclusion: 'Без патологічних змін' });
    });

    it('filters by clinical status and category, and pages with cursors', async () => {
      const r = await sg.call<{ _entities: any[] }>(
        entity(
          patient,
          `conditions(clinicalStatus: [RESOLVED]) { totalCount edges { node { code { code } } } } diagnosticReports(category: [IMAGING]) { totalCount }`,
        ),
        {},
        callers.patient(patient),
      );
      expect(r.data!._entities[0].conditions).toEqual({ totalCount: 1, edges: [{ node: { code: { code: 'R74' } } }] });
      expect(r.data!._entities[0].diagnosticReports.totalCount).toBe(1);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const p: any = await sg.call(
          `query($after: String) { _entities(representations: [{ __typename: "Person", id: "${patient}" }]) { ... on Person {
            diagnosticReports(first: 3, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } } }`,
          { after },
          callers.patient(patient),
        );
        const page = p.data._entities[0].diagnosticReports;
        seen.push(...page.edges.map((e: any) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual([DEMO_RECORDS.hba1c, DEMO_RECORDS.chestXray, DEMO_RECORDS.lipids, DEMO_RECORDS.bloodCount]);
      const wrongList = await sg.call(entity(patient, `conditions(after: "${after}") { totalCount }`), {}, callers.patient(patient));
      expect(wrongList.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('a page of reports with all their observations costs one statement, whatever its size (+1 for totalCount)', async () => {
      const page = (n: number) =>
        sg.call(entity(patient, `diagnosticReports(first: ${n}) { edges { node { ${REPORT_FIELDS} } } }`), {}, callers.patient(patient));
      const one = await sg.counter.measure(() => page(1));
      const four = await sg.counter.measure(() => page(20));
      expect(one.statements).toBe(1);
      expect(four.statements).toBe(1);
      const encounters = await sg.counter.measure(() =>
        sg.call(entity(patient, `encounters(first: 20) { totalCount edges { node { id conditions { id encounter { id } } } } }`), {}, callers.patient(patient)),
      );
      // the page, its count, the conditions of all its encounters (their encounters are primed)
      expect(encounters.statements).toBe(3);
    });

    it('refuses another person, a token without medical:read and a doctor; a report by id answers null to anyone but its person', async () => {
      const q = entity(patient, 'diagnosticReports { totalCount }');
      for (const caller of [callers.patient(other), callers.patient(patient, ['person:read']), callers.doctor(doctor, ['medical:read', 'medical:write'])]) {
        const r = await sg.call(q, {}, caller);
        expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
      const mine = await sg.call<{ _entities: any[] }>(entity(other, `diagnosticReport(id: "${DEMO_RECORDS.lipids}") { id }`), {}, callers.patient(other));
      expect(mine.data!._entities[0].diagnosticReport).toBeNull();
      const ref = (caller: ReturnType<typeof callers.patient>) =>
        sg.call<{ _entities: ({ id: string } | null)[] }>(
          `{ _entities(representations: [{ __typename: "DiagnosticReport", id: "${DEMO_RECORDS.lipids}" }]) { ... on DiagnosticReport { id } } }`,
          {},
          caller,
        );
      expect((await ref(callers.patient(other))).data!._entities).toEqual([null]);
      expect((await ref(callers.patient(patient, []))).data!._entities).toEqual([null]);
      expect((await ref(callers.patient(patient))).data!._entities).toEqual([{ id: DEMO_RECORDS.lipids }]);
      expect((await ref(serviceCaller('gateway'))).data!._entities).toEqual([{ id: DEMO_RECORDS.lipids }]);
    });
  });

  describe('recordEncounter', () => {
    const valid = (over: Record<string, unknown> = {}) => ({
      personId: other,
      divisionId,
      date: '2026-11-20',
      class: 'PHC',
      reasons: [{ system: 'ICPC2', code: 'r05' }],
      diagnoses: [
        { code: { system: 'ICD10', code: 'J20.9' }, onsetDate: '2026-11-18' },
        { code: { system: 'ICPC2', code: 'A03' }, clinicalStatus: 'RESOLVED', verificationStatus: 'PROVISIONAL' },
      ],
      ...over,
    });

    it('records a visit with its diagnoses, displays from the shipped lists, asking identity and the directory', async () => {
      const r = await sg.call<any>(RECORD_ENCOUNTER, { i: valid() }, callers.doctor(doctor));
      expect(r.errors).toBeUndefined();
      expect(r.data.recordEncounter.userErrors).toEqual([]);
      const e = r.data.recordEncounter.encounter;
      expect(e).toMatchObject({ date: '2026-11-20', class: 'PHC', reasons: [{ system: 'ICPC2', code: 'R05', display: 'Cough' }] });
      expect(e.conditions.map((c: any) => [c.code.code, c.code.display, c.clinicalStatus, c.verificationStatus])).toEqual([
        ['J20.9', 'Acute bronchitis, unspecified', 'ACTIVE', 'CONFIRMED'],
        ['A03', 'Fever', 'RESOLVED', 'PROVISIONAL'],
      ]);
    });

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    it.each([
      ['a code not in ICD-10', { diagnoses: [{ code: { system: 'ICD10', code: 'X99.9' } }] }, 'CODE_NOT_FOUND'],
      ['an ICD-10 code as ICPC-2', { diagnoses: [{ code: { system: 'ICPC2', code: 'I10' } }] }, 'CODE_NOT_FOUND'],
      ['a LOINC code as a diagnosis', { diagnoses: [{ code: { system: 'LOINC', code: '718-7' } }] }, 'CODE_NOT_FOUND'],
      ['an ICD-10 reason', { reasons: [{ system: 'ICD10', code: 'I10' }] }, 'CODE_NOT_FOUND'],
      ['a visit in the future', { date: tomorrow }, 'DATE_INVALID'],
      ['a date before 1900', { date: '1899-12-31' }, 'DATE_INVALID'],
      ['an onset after the visit', { date: today, diagnoses: [{ code: { system: 'ICD10', code: 'I10' }, onsetDate: tomorrow }] }, 'ONSET_AFTER_ENCOUNTER'],
      ['an unknown class', { class: 'SPACE' }, 'CLASS_INVALID'],
      ['ENTERED_IN_ERROR on input', { diagnoses: [{ code: { system: 'ICD10', code: 'I10' }, verificationStatus: 'ENTERED_IN_ERROR' }] }, 'STATUS_INVALID'],
      ['the same diagnosis twice', { diagnoses: [{ code: { system: 'ICD10', code: 'I10' } }, { code: { system: 'ICD10', code: 'i10' } }] }, 'LIST_INVALID'],
      ['a person identity does not have', { personId: '00000000-0000-4000-8000-000000000001' }, 'PERSON_NOT_FOUND'],
      ['a division that is not the doctor’s', { divisionId: '00000000-0000-4000-8000-000000000002' }, 'DIVISION_NOT_ELIGIBLE'],
    ])('refuses %s and stores nothing', async (_name, over, code) => {
      const before = await counts();
      const r = await sg.call<any>(RECORD_ENCOUNTER, { i: valid(over) }, callers.doctor(doctor));
      expect(r.errors).toBeUndefined();
      expect(r.data.recordEncounter.encounter).toBeNull();
      expect((r.data.recordEncounter.userErrors as Errors).map((e) => e.code)).toContain(code);
      expect(await counts()).toEqual(before);
    });

    it('refuses a patient and a doctor without medical:write', async () => {
      for (const caller of [callers.patient(patient, ['medical:read', 'medical:write']), callers.doctor(doctor, ['medical:read'])]) {
        const r = await sg.call<any>(RECORD_ENCOUNTER, { i: valid() }, caller);
        expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    });
  });

  describe('recordDiagnosticReport', () => {
    const valid = (over: Record<string, unknown> = {}) => ({
      personId: other,
      serviceCode: 'LAB-URINE',
      conclusion: 'Сліди білка',
      observations: [
        { code: '5811-5', value: '1,020', unit: '1' },
        { code: '5803-2', value: '4.5', unit: '[pH]' },
        { code: '20454-5', value: 'Trace' },
      ],
      ...over,
    });

    it('records results with the performer the doctor’s legal entity, interpreting each against the catalogue', async () => {
      const r = await sg.call<any>(RECORD_REPORT, { i: valid() }, callers.doctor(doctor));
      expect(r.errors).toBeUndefined();
      expect(r.data.recordDiagnosticReport.userErrors).toEqual([]);
      const d = r.data.recordDiagnosticReport.diagnosticReport;
      expect(d).toMatchObject({ category: 'LABORATORY', status: 'FINAL', code: { code: 'LAB-URINE', display: 'Urinalysis' } });
      expect(d.observations.map((o: any) => [o.code.code, o.value, o.unit, o.interpretation])).toEqual([
        ['5811-5', '1.020', '1', 'NORMAL'],
        ['5803-2', '4.5', '[pH]', 'LOW'],
        ['20454-5', 'trace', null, 'ABNORMAL'],
      ]);
      const [row] = await sg.dataSource.query('SELECT performer_id FROM records.diagnostic_report WHERE id = $1', [d.id]);
      expect(row.performer_id).toBe(DEMO_DIRECTORY_REFS.legalEntityId);
    });

    it.each([
      ['a service not in the catalogue', { serviceCode: 'LAB-NOPE' }, 'SERVICE_NOT_FOUND'],
      ['a test of another service', { observations: [{ code: '718-7', value: '130', unit: 'g/L' }] }, 'OBSERVATION_INVALID'],
      ['a wrong unit', { observations: [{ code: '5803-2', value: '6', unit: 'mmol/L' }] }, 'UNIT_INVALID'],
      ['a missing unit', { observations: [{ code: '5803-2', value: '6' }] }, 'UNIT_INVALID'],
      ['a word for a number', { observations: [{ code: '5803-2', value: 'high', unit: '[pH]' }] }, 'VALUE_INVALID'],
      ['a value outside the qualitative list', { observations: [{ code: '20454-5', value: 'lots' }] }, 'VALUE_INVALID'],
      ['no results for a laboratory service', { observations: [] }, 'OBSERVATION_INVALID'],
      [
        'the same test twice',
        {
          observations: [
            { code: '5803-2', value: '6', unit: '[pH]' },
            { code: '5803-2', value: '6', unit: '[pH]' },
          ],
        },
        'LIST_INVALID',
      ],
      ['results issued in the future', { issuedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'DATE_INVALID'],
      ['a person identity does not have', { personId: '00000000-0000-4000-8000-000000000001' }, 'PERSON_NOT_FOUND'],
    ])('refuses %s and stores nothing', async (_name, over, code) => {
      const before = await counts();
      const r = await sg.call<any>(RECORD_REPORT, { i: valid(over) }, callers.doctor(doctor));
      expect(r.errors).toBeUndefined();
      expect(r.data.recordDiagnosticReport.diagnosticReport).toBeNull();
      expect((r.data.recordDiagnosticReport.userErrors as Errors).map((e) => e.code)).toContain(code);
      expect(await counts()).toEqual(before);
    });
  });

  describe('markEnteredInError', () => {
    it('marks a condition, a report and an encounter’s conditions; the rows stay, shown as such; a second mark says so', async () => {
      const before = await counts();
      const { conditions } = demoRows();
      const cond = conditions.find((c) => c.encounterId === DEMO_RECORDS.othersVisit)!;
      const c = await sg.call<any>(MARK, { id: cond.id }, callers.doctor(doctor));
      expect(c.data.markEnteredInError).toMatchObject({ condition: { id: cond.id, verificationStatus: 'ENTERED_IN_ERROR' }, userErrors: [] });
      const again = await sg.call<any>(MARK, { id: cond.id }, callers.doctor(doctor));
      expect(again.data.markEnteredInError.userErrors.map((e: any) => e.code)).toEqual(['ALREADY_ENTERED_IN_ERROR']);
      const rep = await sg.call<any>(MARK, { id: DEMO_RECORDS.othersGlucose }, callers.doctor(doctor));
      expect(rep.data.markEnteredInError.diagnosticReport).toEqual({ id: DEMO_RECORDS.othersGlucose, status: 'ENTERED_IN_ERROR' });
      const enc = await sg.call<any>(MARK, { id: DEMO_RECORDS.cold }, callers.doctor(doctor));
      expect(enc.data.markEnteredInError.encounter.conditions).toEqual([{ verificationStatus: 'ENTERED_IN_ERROR' }]);
      expect(await counts()).toEqual(before);
      // The person still sees them, marked.
      const seen = await sg.call<any>(entity(other, 'diagnosticReports { totalCount edges { node { id status } } }'), {}, callers.patient(other));
      expect(seen.data._entities[0].diagnosticReports.edges.find((e: any) => e.node.id === DEMO_RECORDS.othersGlucose).node.status).toBe('ENTERED_IN_ERROR');
    });

    it('refuses another doctor (FORBIDDEN) and an unknown id (RECORD_NOT_FOUND)', async () => {
      const another = await sg.call<any>(MARK, { id: DEMO_RECORDS.lipids }, callers.doctor('9a9a9a9a-0000-4000-8000-000000000009'));
      expect(another.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const unknown = await sg.call<any>(MARK, { id: '00000000-0000-4000-8000-000000000003' }, callers.doctor(doctor));
      expect(unknown.data.markEnteredInError.userErrors.map((e: any) => e.code)).toEqual(['RECORD_NOT_FOUND']);
      const [row] = await sg.dataSource.query('SELECT status FROM records.diagnostic_report WHERE id = $1', [DEMO_RECORDS.lipids]);
      expect(row.status).toBe('FINAL');
    });
  });
});
