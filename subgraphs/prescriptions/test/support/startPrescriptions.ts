import { randomUUID } from 'node:crypto';
import type { Caller } from '@pc/auth';
import { DEMO_CABINETS } from '@pc/demo';
import { startSubgraph, startTestDatabase, type GraphQLResponse, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { subgraph } from '../../src/subgraph';
import { MEDICATIONS, PHARMACISTS, PROGRAMS, seedReferenceData } from '../../src/seed/referenceData';
import { startFakeOwners, type FakeOwners } from './fakeOwners';

/** A user error as the payloads return it. */
export interface UserErrorShape {
  field: string[] | null;
  code: string;
  message: string;
}

/** The prescription fields the tests read. */
export interface PrescriptionShape {
  id: string;
  number: string;
  status: string;
  validFrom: string;
  validTo: string;
  quantity: number;
  verificationCode: string | null;
  medication: { inn: string };
  program: { name: string } | null;
  dispenses: { quantity: number; reimbursedAmount: number | null; pharmacy: { name: string } }[];
  rejectionReason: string | null;
}

/** The payload of every prescription mutation. */
export type Payload<K extends string> = Record<K, { prescription: PrescriptionShape | null; userErrors: UserErrorShape[] }>;

export const FIELDS =
  'id number status validFrom validTo quantity verificationCode medication { inn } program { name } dispenses { quantity reimbursedAmount pharmacy { name } } rejectionReason';

/** Callers as the gateway forwards them. */
export const callers = {
  patient: (personId: string, scopes = ['prescription:read']): Caller => ({
    subject: personId,
    roles: ['PATIENT'],
    scopes,
    clientId: DEMO_CABINETS.state.id,
    tokenId: randomUUID(),
    requestId: randomUUID(),
  }),
  doctor: (doctorId: string, scopes = ['prescription:write']): Caller => ({
    subject: doctorId,
    roles: ['DOCTOR'],
    scopes,
    clientId: null,
    tokenId: randomUUID(),
    requestId: randomUUID(),
  }),
  pharmacist: (id: string = PHARMACISTS[0].id, scopes = ['prescription:dispense']): Caller => ({
    subject: id,
    roles: ['PHARMACIST'],
    scopes,
    clientId: null,
    tokenId: randomUUID(),
    requestId: randomUUID(),
  }),
};

/** Metformin (covered by Доступні ліки) and Amoxicillin (not covered). */
export const COVERED = MEDICATIONS[0];
export const NOT_COVERED = MEDICATIONS[7];
export const AFFORDABLE = PROGRAMS.affordable.id;

/** The prescriptions subgraph on a fresh database (reference data seeded, no demo prescriptions), talking to fake owners; job off. */
export interface PrescriptionsUnderTest {
  db: TestDatabase;
  owners: FakeOwners;
  sg: RunningSubgraph;
  create(doctorId: string, input: Record<string, unknown>, caller?: Caller): Promise<GraphQLResponse<Payload<'createPrescription'>>>;
  reject(doctorId: string, id: string, reason?: string, caller?: Caller): Promise<GraphQLResponse<Payload<'rejectPrescription'>>>;
  dispense(number: string, code: string, quantity: number, caller?: Caller): Promise<GraphQLResponse<Payload<'dispensePrescription'>>>;
  /** A person, a doctor with a division, and a valid input for them (override any field). */
  scenario(input?: Record<string, unknown>): { personId: string; doctorId: string; divisionId: string; input: Record<string, unknown> };
  /** Creates a valid prescription; returns it with its code (read from the table). */
  prescribe(input?: Record<string, unknown>): Promise<PrescriptionShape & { code: string; personId: string; doctorId: string }>;
  stop(): Promise<void>;
}

/** Starts everything a prescriptions integration test needs. */
export async function startPrescriptions(config: Record<string, unknown> = {}): Promise<PrescriptionsUnderTest> {
  const db = await startTestDatabase();
  const owners = await startFakeOwners();
  let sg: RunningSubgraph;
  try {
    sg = await startSubgraph(subgraph, {
      databaseUrl: db.url,
      seed: false,
      jobs: false,
      config: {
        IDENTITY_URL: owners.identityUrl,
        DIRECTORY_URL: owners.directoryUrl,
        DECLARATIONS_URL: owners.declarationsUrl,
        PRESCRIPTION_JOBS_INTERVAL_MS: 0,
        ...config,
      },
    });
    await sg.dataSource.transaction((m) => seedReferenceData(m));
  } catch (err) {
    await owners.stop();
    await db.stop();
    throw err;
  }
  const t: PrescriptionsUnderTest = {
    db,
    owners,
    sg,
    create: (doctorId, input, caller = callers.doctor(doctorId)) =>
      sg.call(
        `mutation($i: CreatePrescriptionInput!) { createPrescription(input: $i) { prescription { ${FIELDS} } userErrors { field code message } } }`,
        { i: input },
        caller,
      ),
    reject: (doctorId, id, reason = 'Призначено інший препарат', caller = callers.doctor(doctorId)) =>
      sg.call(
        `mutation($i: RejectPrescriptionInput!) { rejectPrescription(input: $i) { prescription { ${FIELDS} } userErrors { field code message } } }`,
        { i: { id, reason } },
        caller,
      ),
    dispense: (number, verificationCode, quantity, caller = callers.pharmacist()) =>
      sg.call(
        `mutation($i: DispensePrescriptionInput!) { dispensePrescription(input: $i) { prescription { ${FIELDS} } userErrors { field code message } } }`,
        { i: { number, verificationCode, quantity } },
        caller,
      ),
    scenario(over = {}) {
      const person = owners.addPerson();
      const { doctor, division } = owners.addDoctor();
      const input = {
        personId: person.id,
        divisionId: division.id,
        medication: { inn: NOT_COVERED.inn, dosageForm: NOT_COVERED.dosageForm, strength: NOT_COVERED.strength },
        quantity: 2,
        dosageInstruction: '1 капсула 3 рази на день',
        ...over,
      };
      return { personId: person.id, doctorId: doctor.id, divisionId: division.id, input };
    },
    async prescribe(over = {}) {
      const s = t.scenario(over);
      if (over.programId) owners.declarations.set(s.personId, { status: 'ACTIVE', doctorId: s.doctorId });
      const r = await t.create(s.doctorId, s.input);
      const p = r.data?.createPrescription.prescription;
      if (!p) throw new Error(`prescribe failed: ${JSON.stringify(r)}`);
      const [{ code }] = await sg.dataSource.query('SELECT verification_code AS code FROM prescriptions.prescription WHERE id = $1', [p.id]);
      return { ...p, code, personId: s.personId, doctorId: s.doctorId };
    },
    async stop() {
      await sg.stop();
      await owners.stop();
      await db.stop();
    },
  };
  return t;
}

/** The codes of a payload's user errors. */
export const codes = (p: { userErrors: UserErrorShape[] } | undefined): string[] => p?.userErrors.map((e) => e.code) ?? [];
