/* eslint-disable @typescript-eslint/no-explicit-any -- the responses are read loosely here; each expectation asserts the shape it needs */
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { DEMO_DIRECTORY_REFS, DEMO_RECORDS } from '../src/seed/seedDemo';
import { MARK, RECORD_ENCOUNTER, RECORD_REPORT } from './support';

// The outside acceptance query (patient reads), as a client sends it.
const RECORD = `{ me { encounters(first: 5) { totalCount edges { node { date doctor { fullName } conditions { code { system code display } } } } }
  conditions(first: 10) { totalCount edges { node { id code { system code display } clinicalStatus verificationStatus } } }
  diagnosticReports(first: 5) { totalCount edges { node { id category code { display } issuedAt performer { name }
    observations { code { system code display } value unit interpretation referenceRange { low high } } } } } } }`;
const count = async (system: RunningSystem, table: string) =>
  Number((await system.subgraphs.records.dataSource.query(`SELECT count(*) AS n FROM records.${table}`))[0].n);

describe('records through the gateway, with the real identity, directory and access', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('shows the patient visits with diagnoses, coded conditions and lab results with observations, and logs the read', async () => {
    const token = await system.token('patient');
    const r = await system.query<any>(RECORD, {}, token);
    expect(r.errors).toBeUndefined();
    const me = r.data.me;
    expect(me.encounters.totalCount).toBe(3);
    expect(me.encounters.edges[0].node.doctor.fullName).toBe('Мельник Ірина Василівна');
    expect(me.conditions.edges.every((e: any) => ['ICD10', 'ICPC2'].includes(e.node.code.system))).toBe(true);
    expect(me.diagnosticReports.totalCount).toBe(4);
    const lipids = me.diagnosticReports.edges.find((e: any) => e.node.id === DEMO_RECORDS.lipids).node;
    expect(lipids.performer.name.length).toBeGreaterThan(0);
    expect(lipids.observations.map((o: any) => o.interpretation)).toEqual(['HIGH', 'NORMAL', 'HIGH', 'HIGH']);
    await system.access?.writer.flush();
    const log = await system.query<any>('{ me { accessLog(first: 50) { edges { node { resource action } } } } }', {}, token);
    expect(log.data.me.accessLog.edges.map((e: any) => e.node)).toContainEqual({ resource: 'medicalRecord', action: 'READ' });
  });

  it('shows a token without medical:read nothing, and another person not the patient’s report', async () => {
    const narrow = await system.token({ sub: DEMO_PERSONAS.patient.id, scopes: ['person:read', 'declaration:read'] });
    const r = await system.query<any>('{ me { diagnosticReports(first: 5) { totalCount edges { node { id } } } } }', {}, narrow);
    expect(r.data?.me?.diagnosticReports ?? null).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await system.query<any>(`{ me { diagnosticReport(id: "${DEMO_RECORDS.lipids}") { id } } }`, {}, await system.token('other'));
    expect(other.errors).toBeUndefined();
    expect(other.data.me.diagnosticReport).toBeNull();
  });

  it('doctor records a visit and results (refused with nothing stored on a bad code, unit or date), marks one entered in error; the patient sees it marked', async () => {
    const doctor = await system.token('doctor');
    const personId = DEMO_PERSONAS.patient.id;
    const before = await Promise.all(['encounter', 'condition', 'diagnostic_report', 'observation'].map((t) => count(system, t)));
    const badCode = await system.query<any>(
      RECORD_ENCOUNTER,
      {
        i: {
          personId,
          divisionId: DEMO_DIRECTORY_REFS.divisionId,
          date: '2026-11-25',
          class: 'PHC',
          reasons: [],
          diagnoses: [{ code: { system: 'ICD10', code: 'Q99.99' } }],
        },
      },
      doctor,
    );
    expect(badCode.data.recordEncounter.userErrors.map((e: any) => e.code)).toEqual(['CODE_NOT_FOUND']);
    const badUnit = await system.query<any>(
      RECORD_REPORT,
      { i: { personId, serviceCode: 'LAB-GLU', observations: [{ code: '15074-8', value: '99', unit: 'mg/dL' }] } },
      doctor,
    );
    expect(badUnit.data.recordDiagnosticReport.userErrors.map((e: any) => e.code)).toEqual(['UNIT_INVALID']);
    const future = await system.query<any>(
      RECORD_REPORT,
      {
        i: {
          personId,
          serviceCode: 'LAB-GLU',
          issuedAt: new Date(Date.now() + 86_400_000).toISOString(),
          observations: [{ code: '15074-8', value: '5', unit: 'mmol/L' }],
        },
      },
      doctor,
    );
    expect(future.data.recordDiagnosticReport.userErrors.map((e: any) => e.code)).toEqual(['DATE_INVALID']);
    expect(await Promise.all(['encounter', 'condition', 'diagnostic_report', 'observation'].map((t) => count(system, t)))).toEqual(before);

    const visit = await system.query<any>(
      RECORD_ENCOUNTER,
      {
        i: {
          personId,
          divisionId: DEMO_DIRECTORY_REFS.divisionId,
          date: '2026-11-25',
          class: 'PHC',
          reasons: [{ system: 'ICPC2', code: 'K85' }],
          diagnoses: [{ code: { system: 'ICD10', code: 'I10' } }],
        },
      },
      doctor,
    );
    expect(visit.data.recordEncounter.userErrors).toEqual([]);
    const report = await system.query<any>(
      RECORD_REPORT,
      { i: { personId, serviceCode: 'LAB-GLU', observations: [{ code: '15074-8', value: '6.8', unit: 'mmol/L' }] } },
      doctor,
    );
    expect(report.data.recordDiagnosticReport.diagnosticReport.observations[0].interpretation).toBe('HIGH');
    const reportId = report.data.recordDiagnosticReport.diagnosticReport.id;
    const marked = await system.query<any>(MARK, { id: reportId }, doctor);
    expect(marked.data.markEnteredInError.diagnosticReport.status).toBe('ENTERED_IN_ERROR');

    const patient = await system.token('patient');
    const seen = await system.query<any>(
      `{ me { encounters(first: 1) { totalCount edges { node { date conditions { code { code } } } } }
      diagnosticReport(id: "${reportId}") { status observations { value } } } }`,
      {},
      patient,
    );
    expect(seen.data.me.encounters).toEqual({ totalCount: 4, edges: [{ node: { date: '2026-11-25', conditions: [{ code: { code: 'I10' } }] } }] });
    expect(seen.data.me.diagnosticReport).toEqual({ status: 'ENTERED_IN_ERROR', observations: [{ value: '6.8' }] });
    // A patient cannot write.
    const asPatient = await system.query<any>(MARK, { id: DEMO_RECORDS.lipids }, patient);
    expect(asPatient.data?.markEnteredInError ?? null).toBeNull();
    expect(asPatient.errors?.length).toBeGreaterThan(0);
  });
});

describe('records in production mode: persisted lists, JWKS tokens, consent', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ production: true });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('serves My lab results and the medical record from the state list, the partner screen only with consent to medical:read, and the doctor’s tool from the practitioners’ list', async () => {
    const patient = await system.token('patient');
    const labs = await system.persisted<any>('state', 'MyLabResults', { first: 20 }, patient);
    expect(labs.errors).toBeUndefined();
    expect(labs.data.me.diagnosticReports.edges.map((e: any) => e.node.id)).toEqual([
      DEMO_RECORDS.hba1c,
      DEMO_RECORDS.chestXray,
      DEMO_RECORDS.lipids,
      DEMO_RECORDS.bloodCount,
    ]);
    const record = await system.persisted<any>('state', 'MyMedicalRecord', { first: 10 }, patient);
    expect(record.errors).toBeUndefined();
    expect(record.data.me.conditions.totalCount).toBe(4);
    const one = await system.persisted<any>('state', 'LabResultDetails', { id: DEMO_RECORDS.lipids }, patient);
    expect(one.data.me.diagnosticReport.doctor.fullName).toBe('Мельник Ірина Василівна');

    const consented = await system.token({ clientId: DEMO_CABINETS.medcard.id, scopes: ['person:read', 'medical:read'] });
    const shown = await system.persisted<any>('medcard', 'PartnerLabResults', { first: 5 }, consented);
    expect(shown.errors).toBeUndefined();
    expect(shown.data.me.diagnosticReports.totalCount).toBe(4);
    const partner = await system.token({ clientId: DEMO_CABINETS.medcard.id, scopes: ['person:read'] });
    const refused = await system.persisted<any>('medcard', 'PartnerLabResults', { first: 5 }, partner);
    expect(refused.data?.me ?? null).toBeNull();
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const doctor = await system.token('doctor');
    const input = {
      personId: DEMO_PERSONAS.other.id,
      divisionId: DEMO_DIRECTORY_REFS.divisionId,
      date: '2026-11-20',
      class: 'AMB',
      reasons: [{ system: 'ICPC2', code: 'N01' }],
      diagnoses: [{ code: { system: 'ICPC2', code: 'N89' } }],
    };
    const r = await system.persisted<any>('practitioners', 'RecordEncounter', { input }, doctor);
    expect(r.errors).toBeUndefined();
    expect(r.data.recordEncounter.encounter.conditions[0].code.display).toBe('Migraine');
    const text = await system.query(RECORD_ENCOUNTER, { i: input }, doctor);
    expect(text.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});

describe('records through the gateway: a page of 20 reports with observations costs what a page of 2 does', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ access: false, gatewaySettings: { ENTITY_CACHE_SIZE: 0 } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('counts the SQL statements of every subgraph for My lab results pages', async () => {
    const person = DEMO_PERSONAS.represented.id;
    // 25 reports at 25 different providers, each with 6 observations.
    const providers: { id: string }[] = await system.subgraphs.directory.dataSource.query(`SELECT id FROM directory.legal_entity ORDER BY id LIMIT 25`);
    expect(providers).toHaveLength(25);
    const ds = system.subgraphs.records.dataSource;
    for (const [i, p] of providers.entries()) {
      const [{ id }] = await ds.query(
        `INSERT INTO records.diagnostic_report (id, person_id, category, service_code, service_display, status, issued_at, performer_id, doctor_id, recorded_at)
         VALUES (gen_random_uuid(), $1, 'LABORATORY', 'LAB-CBC', 'Complete blood count', 'FINAL', now() - $2 * interval '1 minute', $3, $4, now()) RETURNING id`,
        [person, i, p.id, DEMO_PERSONAS.doctor.id],
      );
      await ds.query(
        `INSERT INTO records.observation (report_id, position, code, display, value, unit, low, high, interpretation)
         SELECT $1, position, test_code, test_display, '1', unit, low, high, 'LOW' FROM records.service_test WHERE service_code = 'LAB-CBC'`,
        [id],
      );
    }
    const token = await system.token({ sub: person, scopes: ['person:read', 'medical:read'] }, { consent: false });
    const PAGE = `query($first: Int) { me { id diagnosticReports(first: $first) { totalCount edges { node { id performer { name }
      observations { code { code } value unit interpretation referenceRange { low high } } } } } } }`;
    const statements = async (first: number) => {
      for (const s of Object.values(system.subgraphs)) s.counter.reset();
      const r = await system.query<any>(PAGE, { first }, token);
      expect(r.errors).toBeUndefined();
      expect(new Set(r.data.me.diagnosticReports.edges.map((e: any) => e.node.performer.name)).size).toBe(first);
      expect(r.data.me.diagnosticReports.edges.every((e: any) => e.node.observations.length === 6)).toBe(true);
      return Object.fromEntries(Object.entries(system.subgraphs).map(([name, s]) => [name, s.counter.count]));
    };
    const two = await statements(2);
    const twenty = await statements(20);
    expect(twenty).toEqual(two);
    expect(twenty.records).toBe(2);
  });
});
