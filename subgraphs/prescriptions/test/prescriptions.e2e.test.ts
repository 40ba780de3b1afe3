import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { deterministicUuid } from '@pc/fixtures';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { MEDICATIONS, PROGRAMS } from '../src/seed/referenceData';

// The directory's demo division of the `doctor` persona (subgraphs/directory/src/seed/demoProviders.ts).
const DIVISION = deterministicUuid('demo-directory', 2);
const METFORMIN = { inn: MEDICATIONS[0].inn, dosageForm: MEDICATIONS[0].dosageForm, strength: MEDICATIONS[0].strength };

interface Node {
  id: string;
  number: string;
  status: string;
  quantity: number;
  verificationCode: string | null;
  prescriber: { fullName: string };
  legalEntity: { name: string };
  dispenses: { quantity: number; pharmacy: { name: string } }[];
}
type Mine = { me: { prescriptions: { totalCount: number; edges: { node: Node }[] } } | null };
type Payload<K extends string> = Record<K, { prescription: { id: string; number: string; status: string } | null; userErrors: { code: string }[] }>;

const MINE = `{ me { prescriptions(first: 50) { totalCount edges { node { id number status quantity verificationCode
  prescriber { fullName } legalEntity { name } dispenses { quantity pharmacy { name } } } } } } }`;
const CREATE = `mutation($i: CreatePrescriptionInput!) { createPrescription(input: $i) { prescription { id number status } userErrors { code } } }`;
const DISPENSE = `mutation($i: DispensePrescriptionInput!) { dispensePrescription(input: $i) { prescription { id number status } userErrors { code } } }`;

describe('prescriptions through the gateway, with the real identity, directory, declarations and access', () => {
  let system: RunningSystem;
  const pharmacistToken = () => system.token('pharmacist');

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('shows the demo patient their prescriptions with prescriber, provider, pharmacies and the code', async () => {
    const r = await system.query<Mine>(MINE, {}, await system.token('patient'));
    expect(r.errors).toBeUndefined();
    const list = r.data!.me!.prescriptions;
    expect(list.totalCount).toBe(5);
    expect(new Set(list.edges.map((e) => e.node.status))).toEqual(new Set(['ACTIVE', 'COMPLETED', 'EXPIRED', 'REJECTED']));
    for (const { node } of list.edges) {
      expect(node.verificationCode).toMatch(/^\d{4}$/);
      expect(node.prescriber.fullName).toBe('Мельник Ірина Василівна');
      expect(node.legalEntity.name.length).toBeGreaterThan(0);
    }
    const completed = list.edges.find((e) => e.node.status === 'COMPLETED')!.node;
    expect(completed.dispenses.map((d) => d.pharmacy.name)).toHaveLength(2);
  });

  it('doctor prescribes a reimbursed medication (the active declaration is read from declarations), the patient sees it, a pharmacist dispenses it once', async () => {
    const doctor = await system.token('doctor');
    const created = await system.query<Payload<'createPrescription'>>(
      CREATE,
      {
        i: {
          personId: DEMO_PERSONAS.patient.id,
          divisionId: DIVISION,
          medication: METFORMIN,
          quantity: 2,
          dosageInstruction: '1 таблетка 2 рази на день',
          programId: PROGRAMS.affordable.id,
        },
      },
      doctor,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createPrescription.userErrors).toEqual([]);
    const rx = created.data!.createPrescription.prescription!;
    expect(rx.status).toBe('ACTIVE');

    // The `other` persona has no declaration with the doctor: a reimbursed prescription is refused.
    const refused = await system.query<Payload<'createPrescription'>>(
      CREATE,
      {
        i: {
          personId: DEMO_PERSONAS.other.id,
          divisionId: DIVISION,
          medication: METFORMIN,
          quantity: 1,
          dosageInstruction: 'x',
          programId: PROGRAMS.affordable.id,
        },
      },
      doctor,
    );
    expect(refused.data!.createPrescription.userErrors.map((e) => e.code)).toEqual(['NO_ACTIVE_DECLARATION']);

    const mine = (await system.query<Mine>(MINE, {}, await system.token('patient'))).data!.me!.prescriptions;
    const seen = mine.edges.find((e) => e.node.id === rx.id)!.node;
    expect(seen.verificationCode).toMatch(/^\d{4}$/);
    const code = seen.verificationCode!;
    const wrong = String((Number(code) + 1) % 10_000).padStart(4, '0');

    const pharmacist = await pharmacistToken();
    const bad = await system.query<Payload<'dispensePrescription'>>(DISPENSE, { i: { number: rx.number, verificationCode: wrong, quantity: 1 } }, pharmacist);
    expect(bad.data!.dispensePrescription.userErrors.map((e) => e.code)).toEqual(['VERIFICATION_CODE_INVALID']);
    const asPatient = await system.query<Payload<'dispensePrescription'>>(
      DISPENSE,
      { i: { number: rx.number, verificationCode: code, quantity: 2 } },
      await system.token('patient'),
    );
    expect(asPatient.data?.dispensePrescription ?? null).toBeNull();
    expect(asPatient.errors?.length).toBeGreaterThan(0);
    const both = await Promise.all([
      system.query<Payload<'dispensePrescription'>>(DISPENSE, { i: { number: rx.number, verificationCode: code, quantity: 2 } }, pharmacist),
      system.query<Payload<'dispensePrescription'>>(DISPENSE, { i: { number: rx.number, verificationCode: code, quantity: 2 } }, pharmacist),
    ]);
    const outcomes = both
      .map((r) => r.data!.dispensePrescription.userErrors.map((e) => e.code).join(',') || r.data!.dispensePrescription.prescription!.status)
      .sort();
    expect(outcomes).toEqual(['COMPLETED', 'PRESCRIPTION_COMPLETED']);
  });

  it('shows another person nothing of the patient’s, and a token without prescription:read nothing at all', async () => {
    const other = (await system.query<Mine>(MINE, {}, await system.token('other'))).data!.me!.prescriptions;
    expect(other.edges.map((e) => e.node.id)).toEqual([deterministicUuid('demo-prescriptions', 6)]);
    const narrow = await system.query<Mine>(MINE, {}, await system.token({ scopes: ['person:read'] }));
    expect(narrow.data?.me ?? null).toBeNull();
    expect(narrow.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('shows the parent their child’s prescription with its code, through person(id)', async () => {
    const CHILD = `query($id: ID!) { person(id: $id) { id prescriptions(first: 5) { edges { node { number status verificationCode } } } } }`;
    type Child = { person: { prescriptions: { edges: { node: { number: string; verificationCode: string | null } }[] } } | null };
    const r = await system.query<Child>(CHILD, { id: DEMO_PERSONAS.child.id }, await system.token('parent'));
    expect(r.errors).toBeUndefined();
    expect(r.data!.person!.prescriptions.edges.map((e) => e.node)).toEqual([{ number: '6T3A-9E1K-4H7M', status: 'ACTIVE', verificationCode: '1907' }]);
    const stranger = await system.query<Child>(CHILD, { id: DEMO_PERSONAS.child.id }, await system.token('other'));
    expect(stranger.data?.person ?? null).toBeNull();
  });

  it('writes the patient’s prescription reads to their access log', async () => {
    const token = await system.token('patient');
    await system.query<Mine>(MINE, {}, token);
    await system.access?.writer.flush();
    const log = await system.query<{ me: { accessLog: { edges: { node: { resource: string; action: string } }[] } } }>(
      '{ me { accessLog(first: 50) { edges { node { resource action } } } } }',
      {},
      token,
    );
    expect(log.errors).toBeUndefined();
    expect(log.data!.me.accessLog.edges.map((e) => e.node)).toContainEqual({ resource: 'prescriptions', action: 'READ' });
  });
});

describe('prescriptions in production mode: persisted lists, JWKS tokens', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ production: true });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('serves MyPrescriptions from the state list, the partner screen only with consent, and the dispense from the practitioners’ list', async () => {
    const patient = await system.token('patient');
    const mine = await system.persisted<Mine>('state', 'MyPrescriptions', { first: 20 }, patient);
    expect(mine.errors).toBeUndefined();
    const active = mine.data!.me!.prescriptions.edges.find((e) => e.node.status === 'ACTIVE' && e.node.dispenses.length === 0)!.node;
    expect(active.verificationCode).toMatch(/^\d{4}$/);

    // A partner cabinet with the person's consent to prescription:read shows them (the code too:
    // it is the person's own app); a token of it without that scope sees none.
    const consented = await system.token({ clientId: DEMO_CABINETS.medcard.id, scopes: ['person:read', 'prescription:read'] });
    const shown = await system.persisted<Mine>('medcard', 'PartnerPrescriptions', { first: 5 }, consented);
    expect(shown.errors).toBeUndefined();
    expect(shown.data!.me!.prescriptions.totalCount).toBe(2);
    const partner = await system.token({ clientId: DEMO_CABINETS.medcard.id, scopes: ['person:read'] });
    const refused = await system.persisted<Mine>('medcard', 'PartnerPrescriptions', { first: 5 }, partner);
    expect(refused.data?.me ?? null).toBeNull();
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const pharmacist = await system.token('pharmacist');
    const r = await system.persisted<Payload<'dispensePrescription'>>(
      'practitioners',
      'DispensePrescription',
      { input: { number: active.number, verificationCode: active.verificationCode, quantity: active.quantity } },
      pharmacist,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.dispensePrescription.prescription!.status).toBe('COMPLETED');
    // Free text is refused in production, for pharmacists too.
    const text = await system.query(DISPENSE, { i: { number: active.number, verificationCode: active.verificationCode, quantity: 1 } }, pharmacist);
    expect(text.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});

describe('prescriptions through the gateway: a page of 20 with 20 prescribers costs what a page of 2 does', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    // No entity cache: every page fetches its prescribers and providers from the directory.
    system = await startSystem({ access: false, gatewaySettings: { ENTITY_CACHE_SIZE: 0 } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('counts the SQL statements of every subgraph for MyPrescriptions-like pages', async () => {
    const person = DEMO_PERSONAS.represented.id;
    // 25 prescriptions for a person who has none, each from another directory doctor at the doctor's provider.
    const doctors: { id: string; legal_entity_id: string; division_id: string }[] = await system.subgraphs.directory.dataSource.query(
      `SELECT d.id, d.legal_entity_id, min(dd.division_id::text) AS division_id FROM directory.doctor d
       JOIN directory.doctor_division dd ON dd.doctor_id = d.id GROUP BY d.id ORDER BY d.id LIMIT 25`,
    );
    expect(doctors).toHaveLength(25);
    const rx = system.subgraphs.prescriptions.dataSource;
    for (const [i, d] of doctors.entries()) {
      await rx.query(
        `INSERT INTO prescriptions.prescription (id, number, person_id, prescriber_id, division_id, legal_entity_id, status, created_at, updated_at,
           valid_from, valid_to, medication_id, quantity, dosage_instruction, verification_code)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'ACTIVE', now() - $6 * interval '1 minute', now(), current_date, current_date + 29, $7, 1, 'x', '1234')`,
        [`TTTT-TTTT-${String(i).padStart(4, '0')}`, person, d.id, d.division_id, d.legal_entity_id, i, MEDICATIONS[8].id],
      );
    }
    const token = await system.token({ sub: person, scopes: ['person:read', 'prescription:read'] }, { consent: false });
    const PAGE = `query($first: Int) { me { id prescriptions(first: $first) { totalCount edges { node { number verificationCode
      prescriber { fullName speciality } division { name } legalEntity { name } dispenses { quantity pharmacy { name } } } } } } }`;
    const statements = async (first: number) => {
      for (const s of Object.values(system.subgraphs)) s.counter.reset();
      const r = await system.query<{ me: { prescriptions: { edges: { node: { prescriber: { fullName: string } } }[] } } }>(PAGE, { first }, token);
      expect(r.errors).toBeUndefined();
      expect(new Set(r.data!.me.prescriptions.edges.map((e) => e.node.prescriber.fullName)).size).toBe(first);
      return Object.fromEntries(Object.entries(system.subgraphs).map(([name, s]) => [name, s.counter.count]));
    };
    const two = await statements(2);
    const twenty = await statements(20);
    expect(twenty).toEqual(two);
    expect(twenty.prescriptions).toBe(3);
  });
});
