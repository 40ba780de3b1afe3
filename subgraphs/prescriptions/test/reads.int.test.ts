import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DEMO_PERSONAS } from '@pc/demo';
import { describeSubgraphContract, serviceCaller, useSubgraph } from '@pc/testing';
import { MEDICATIONS, PHARMACIES, PHARMACISTS } from '../src/seed/referenceData';
import { DEMO_PRESCRIPTIONS } from '../src/seed/seedDemo';
import { subgraph } from '../src/subgraph';
import { callers } from './support/startPrescriptions';

// The contract every subgraph keeps (SDL served as written, no data without a caller token,
// references batched, health and metrics).
describeSubgraphContract(subgraph, join(__dirname, '..', 'schema.graphql'));

interface Node {
  id: string;
  number: string;
  status: string;
  verificationCode: string | null;
  dispenses: { quantity: number; pharmacy: { name: string } }[];
  prescriber: { id: string };
}
interface PageShape {
  _entities: { prescriptions: { totalCount: number; edges: { cursor: string; node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }[];
}

const PAGE = `query($id: ID!, $first: Int, $after: String, $status: [PrescriptionStatus!]) {
  _entities(representations: [{ __typename: "Person", id: $id }]) { ... on Person {
    prescriptions(first: $first, after: $after, status: $status) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id number status verificationCode medication { inn } program { name } prescriber { id } division { id } legalEntity { id }
        dispenses { quantity reimbursedAmount pharmacy { name } } } } } } } }`;

describe('prescriptions: who reads what', () => {
  const sg = useSubgraph(subgraph, { jobs: false });
  const patient = DEMO_PERSONAS.patient.id;
  const page = (caller = callers.patient(patient), vars: Record<string, unknown> = {}) => sg.call<PageShape>(PAGE, { id: patient, ...vars }, caller);

  it('shows the person their prescriptions newest first, with the code, dispenses and pharmacies, and a total', async () => {
    const r = await page();
    expect(r.errors).toBeUndefined();
    const list = r.data!._entities[0].prescriptions;
    expect(list.totalCount).toBe(5);
    expect(list.edges.map((e) => e.node.id)).toEqual([
      DEMO_PRESCRIPTIONS.active,
      DEMO_PRESCRIPTIONS.partlyDispensed,
      DEMO_PRESCRIPTIONS.rejected,
      DEMO_PRESCRIPTIONS.completed,
      DEMO_PRESCRIPTIONS.expired,
    ]);
    expect(list.edges.map((e) => e.node.status)).toEqual(['ACTIVE', 'ACTIVE', 'REJECTED', 'COMPLETED', 'EXPIRED']);
    expect(list.edges[0].node.verificationCode).toBe('4821');
    expect(list.edges.every((e) => /^\d{4}$/.test(e.node.verificationCode ?? ''))).toBe(true);
    const completed = list.edges[3].node;
    expect(completed.dispenses.map((d) => d.pharmacy.name)).toEqual([PHARMACIES[0].name, PHARMACIES[2].name]);
    expect(completed.prescriber).toEqual({ id: DEMO_PERSONAS.doctor.id });
  });

  it('filters by status and pages with opaque cursors', async () => {
    const active = (await page(undefined, { status: ['ACTIVE'] })).data!._entities[0].prescriptions;
    expect(active.totalCount).toBe(2);
    expect(active.edges.map((e) => e.node.status)).toEqual(['ACTIVE', 'ACTIVE']);
    const all = (await page()).data!._entities[0].prescriptions.edges.map((e) => e.node.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const p: PageShape['_entities'][0]['prescriptions'] = (await page(undefined, { first: 2, after })).data!._entities[0].prescriptions;
      seen.push(...p.edges.map((e) => e.node.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(5);
    const bad = await page(undefined, { after: 'v1.bm9wZQ' });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    const big = await page(undefined, { first: 101 });
    expect(big.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses another person, a token without prescription:read, a doctor and a pharmacist', async () => {
    const refused = [
      await page(callers.patient(DEMO_PERSONAS.other.id)),
      await page(callers.patient(patient, ['person:read'])),
      await page(callers.doctor(DEMO_PERSONAS.doctor.id, ['prescription:read', 'prescription:write'])),
      await page(callers.pharmacist(PHARMACISTS[0].id, ['prescription:read', 'prescription:dispense'])),
    ];
    for (const r of refused) {
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(r.data?._entities?.[0] ?? null).toBeNull();
    }
  });

  it('shows a child’s prescriptions with their code to the representative, and to no other adult', async () => {
    const child = DEMO_PERSONAS.child.id;
    const parent = { ...callers.patient(DEMO_PERSONAS.parent.id), actFor: [child] };
    const r = await sg.call<PageShape>(PAGE, { id: child }, parent);
    expect(r.errors).toBeUndefined();
    expect(r.data!._entities[0].prescriptions.edges.map((e) => [e.node.id, e.node.verificationCode])).toEqual([[DEMO_PRESCRIPTIONS.childs, '1907']]);
    const stranger = await sg.call<PageShape>(PAGE, { id: child }, callers.patient(DEMO_PERSONAS.parent.id));
    expect(stranger.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const withoutScope = await sg.call<PageShape>(PAGE, { id: child }, { ...callers.patient(DEMO_PERSONAS.parent.id, ['person:read']), actFor: [child] });
    expect(withoutScope.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('hides the code from everyone but the person: services and the prescriber read it as null', async () => {
    const one = (caller: Parameters<typeof sg.call>[2]) =>
      sg.call<{ _entities: ({ id: string; verificationCode: string | null } | null)[] }>(
        `{ _entities(representations: [{ __typename: "Prescription", id: "${DEMO_PRESCRIPTIONS.active}" }]) { ... on Prescription { id verificationCode } } }`,
        {},
        caller,
      );
    expect((await one(callers.patient(patient))).data!._entities[0]).toEqual({ id: DEMO_PRESCRIPTIONS.active, verificationCode: '4821' });
    expect((await one(serviceCaller('test'))).data!._entities[0]).toEqual({ id: DEMO_PRESCRIPTIONS.active, verificationCode: null });
    expect((await one(callers.doctor(DEMO_PERSONAS.doctor.id))).data!._entities[0]).toEqual({ id: DEMO_PRESCRIPTIONS.active, verificationCode: null });
    // Another patient, another doctor, the person without the scope: not even the prescription.
    for (const c of [callers.patient(DEMO_PERSONAS.other.id), callers.doctor(randomUUID()), callers.patient(patient, ['person:read']), callers.pharmacist()]) {
      expect((await one(c)).data!._entities[0]).toBeNull();
    }
    // Person.prescription(id): the person's own only.
    const own = (id: string, person = patient) =>
      sg.call<{ _entities: { prescription: { id: string } | null }[] }>(
        `{ _entities(representations: [{ __typename: "Person", id: "${person}" }]) { ... on Person { prescription(id: "${id}") { id } } } }`,
        {},
        callers.patient(person),
      );
    expect((await own(DEMO_PRESCRIPTIONS.completed)).data!._entities[0].prescription).toEqual({ id: DEMO_PRESCRIPTIONS.completed });
    expect((await own(DEMO_PRESCRIPTIONS.others)).data!._entities[0].prescription).toBeNull();
    expect((await own('nope')).data!._entities[0].prescription).toBeNull();
  });

  it('reads a page of 20 with dispenses and pharmacies in as many statements as a page of 2', async () => {
    // 30 more prescriptions for a fresh person, each dispensed at a different pharmacy.
    const person = randomUUID();
    const ds = sg.dataSource;
    await ds.query(
      `INSERT INTO prescriptions.prescription (id, number, person_id, prescriber_id, division_id, legal_entity_id, status, created_at, valid_from, valid_to,
         medication_id, quantity, dispensed_quantity, dosage_instruction, verification_code)
       SELECT gen_random_uuid(), 'XXXX-XXXX-' || lpad(g::text, 4, '0'), $1, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'ACTIVE',
         now() - g * interval '1 hour', current_date, current_date + 29, $2, 3, 1, 'test', '1234'
       FROM generate_series(1, 30) g`,
      [person, MEDICATIONS[8].id],
    );
    await ds.query(
      `INSERT INTO prescriptions.dispense (id, prescription_id, pharmacy_id, pharmacist_id, quantity)
       SELECT gen_random_uuid(), p.id, (ARRAY[$2, $3, $4]::uuid[])[1 + (row_number() OVER ()) % 3], $5, 1
       FROM prescriptions.prescription p WHERE p.person_id = $1`,
      [person, PHARMACIES[0].id, PHARMACIES[1].id, PHARMACIES[2].id, PHARMACISTS[0].id],
    );
    const measure = async (first: number) => {
      const { result, statements } = await sg.counter.measure(() => sg.call<PageShape>(PAGE, { id: person, first }, callers.patient(person)));
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities[0].prescriptions.edges).toHaveLength(first);
      expect(result.data!._entities[0].prescriptions.edges.every((e) => e.node.dispenses.length === 1)).toBe(true);
      return statements;
    };
    const two = await measure(2);
    const twenty = await measure(20);
    expect(twenty).toBe(two);
    // The page (with medication and program joined), its count, and all dispenses with their pharmacies.
    expect(twenty).toBe(3);
  });
});
