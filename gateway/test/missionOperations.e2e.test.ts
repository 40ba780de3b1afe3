import { createHash } from 'node:crypto';
import { DEMO_CABINETS, DEMO_PERSONAS, DOCTOR_SCOPES } from '@pc/demo';
import { readManifests } from '@pc/schema';
import { startSystem, type RunningSystem } from '@pc/e2e';

/**
 * Every operation of every persisted query list, run in production mode through the lists (by
 * id alone, as production clients send them), one test per operation, each checking a real
 * effect. Lists: `state` (the state cabinet: every screen and action of the mission), `practitioners`
 * (doctors' tools), `public` (anonymous callers), and the partners' `zdorovia` and `medcard`.
 */

// The hand-written demo directory (subgraphs/directory/src/seed/demoProviders.ts):
// deterministicUuid('demo-directory', 1 | 2 | 10) of @pc/fixtures.
const LEGAL_ENTITY = '2ef5db0e-60e3-4488-b569-922f476a1246';
const DIVISION = 'a94d61d0-7abc-4b65-8beb-6f54b6b744bf';
const THERAPIST = '18e77917-3fb5-479a-96e6-efa8e19db54e';
const DOCTOR = DEMO_PERSONAS.doctor.id;
// The prescriptions subgraph's reference data (subgraphs/prescriptions/src/seed/referenceData.ts): Доступні ліки.
const AFFORDABLE_MEDICINES = 'ea5b0b9c-2ea2-4915-8fa0-df4ba173ebeb';
const KHRESHCHATYK = { latitude: 50.4475, longitude: 30.5224 };

type Result = Awaited<ReturnType<RunningSystem['persisted']>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk response data by path; typing every shape would only restate the operations
type Data = Record<string, any>;
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The data of a successful response; fails the test with the errors otherwise. */
function ok(r: Result): Data {
  expect({ status: r.status, errors: r.errors }).toEqual({ status: 200, errors: undefined });
  return r.data as Data;
}

async function post(url: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as { data?: Data | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }) };
}

async function eventually<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  let v = await probe();
  while (!done(v) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    v = await probe();
  }
  return v;
}

const manifests = readManifests();
const names = (list: string) => manifests[list].operations.map((o) => o.name).sort();
/** Operations each list must hold: the mission, one per screen and action. */
const EXPECTED: Record<string, string[]> = {
  state: [
    'AccessGrants',
    'AccessLog',
    'CabinetHome',
    'CancelDeclarationRequest',
    'ChangeHistory',
    'DivisionPage',
    'DoctorPage',
    'FindDoctor',
    'LabResultDetails',
    'LegalEntityPage',
    'MyDeclarationRequests',
    'MyDeclarations',
    'MyLabResults',
    'MyMedicalRecord',
    'MyPrescriptions',
    'MyRepresentations',
    'PersonalData',
    'PrescriptionDetails',
    'RepresentedPerson',
    'RepresentedPersonAccessLog',
    'RevokeAccessGrant',
    'SubmitDeclarationRequest',
    'TerminateDeclaration',
    'UpdateAddresses',
    'UpdateContacts',
    'UpdateDocuments',
    'UpdateEmergencyContact',
  ],
  practitioners: [
    'CreatePrescription',
    'DispensePrescription',
    'DoctorWorkload',
    'MarkEnteredInError',
    'RecordDiagnosticReport',
    'RecordEncounter',
    'RejectDeclarationRequest',
    'RejectPrescription',
    'SignDeclarationRequest',
  ],
  public: ['DivisionPage', 'DoctorPage', 'FindDoctor', 'LegalEntityPage'],
  zdorovia: ['PartnerDeclaration', 'PartnerFindDoctor', 'PartnerProfile', 'PartnerSubmitDeclaration'],
  medcard: ['PartnerContacts', 'PartnerDeclaration', 'PartnerFindDoctor', 'PartnerLabResults', 'PartnerPrescriptions', 'PartnerProfile'],
};

describe('every mission operation runs in production mode through the persisted query lists', () => {
  let sys: RunningSystem;
  let patient: string;
  let other: string;
  let teen: string;
  let doctor: string;
  let therapist: string;
  /** Operations run per list, checked against the lists at the end. */
  const ran: Record<string, Set<string>> = {};
  const run = async (list: string, name: string, variables: Record<string, unknown> = {}, token?: string) => {
    (ran[list] ??= new Set()).add(name);
    return sys.persisted<Data>(list, name, variables, token);
  };
  const version = async (token: string) => ok(await run('state', 'PersonalData', {}, token)).me.version as number;

  beforeAll(async () => {
    sys = await startSystem({ production: true });
    [patient, other, teen, doctor] = await Promise.all([sys.token('patient'), sys.token('other'), sys.token('teen'), sys.token('doctor')]);
    therapist = await sys.token({ sub: THERAPIST, roles: ['DOCTOR'], scopes: DOCTOR_SCOPES });
  });
  afterAll(() => sys?.stop());

  it('the lists hold the mission: one operation per screen and action', () => {
    for (const [list, expected] of Object.entries(EXPECTED)) expect([list, names(list)]).toEqual([list, expected]);
  });

  describe('public list (anonymous callers)', () => {
    it('FindDoctor: by name, speciality, settlement, accepting new patients; near me with a radius', async () => {
      const byName = ok(
        await run('public', 'FindDoctor', {
          filter: { name: 'Мельн', speciality: 'FAMILY_DOCTOR', settlement: 'Київ', acceptingNewPatients: true },
          first: 10,
        }),
      );
      expect(byName.searchDoctors.edges.map((e: Data) => e.node.id)).toContain(DOCTOR);
      const near = ok(await run('public', 'FindDoctor', { filter: { near: KHRESHCHATYK, radiusKm: 1 }, first: 20 }));
      expect(near.searchDoctors.totalCount).toBeGreaterThan(0);
      expect(near.searchDoctors.edges.map((e: Data) => e.node.id)).toEqual(expect.arrayContaining([DOCTOR, THERAPIST]));
      // Paging: the next page of the same search.
      const family = { speciality: 'FAMILY_DOCTOR', settlement: 'Київ' };
      const page1 = ok(await run('public', 'FindDoctor', { filter: family, first: 2 }));
      expect(page1.searchDoctors.pageInfo.hasNextPage).toBe(true);
      const page2 = ok(await run('public', 'FindDoctor', { filter: family, first: 2, after: page1.searchDoctors.pageInfo.endCursor }));
      expect(page2.searchDoctors.edges.length).toBeGreaterThan(0);
      expect(page2.searchDoctors.edges[0].node.id).not.toBe(page1.searchDoctors.edges[0].node.id);
    });

    it('DoctorPage: profile, divisions and whether the doctor accepts new patients', async () => {
      const d = ok(await run('public', 'DoctorPage', { id: DOCTOR })).doctor;
      expect(d).toMatchObject({
        id: DOCTOR,
        fullName: 'Мельник Ірина Василівна',
        speciality: 'FAMILY_DOCTOR',
        acceptingNewPatients: true,
        legalEntity: { id: LEGAL_ENTITY },
      });
      expect(d.divisions.map((x: Data) => x.id)).toContain(DIVISION);
      expect(d.activeDeclarationCount).toBeGreaterThanOrEqual(1);
    });

    it('DivisionPage: the division with its provider and doctors', async () => {
      const d = ok(await run('public', 'DivisionPage', { id: DIVISION })).division;
      expect(d).toMatchObject({ id: DIVISION, status: 'ACTIVE', legalEntity: { id: LEGAL_ENTITY } });
      expect(d.doctors.map((x: Data) => x.id)).toEqual(expect.arrayContaining([DOCTOR, THERAPIST]));
      expect(d.workingHours.length).toBeGreaterThan(0);
    });

    it('LegalEntityPage: the provider with its divisions', async () => {
      const e = ok(await run('public', 'LegalEntityPage', { id: LEGAL_ENTITY })).legalEntity;
      expect(e).toMatchObject({ id: LEGAL_ENTITY, type: 'PRIMARY_CARE', status: 'ACTIVE' });
      expect(e.edrpou).toMatch(/^\d{8}$/);
      expect(e.divisions.map((x: Data) => x.id)).toContain(DIVISION);
    });
  });

  describe('state cabinet list: personal data', () => {
    it('CabinetHome: the person, the active declaration and the grants', async () => {
      const me = ok(await run('state', 'CabinetHome', {}, patient)).me;
      expect(me).toMatchObject({
        firstName: 'Олена',
        capabilities: { canEditPersonalData: true },
        activeDeclaration: { status: 'ACTIVE', doctor: { id: DOCTOR } },
      });
      expect(me.accessGrants.map((g: Data) => g.cabinet.id)).toContain(DEMO_CABINETS.state.id);
    });

    it('PersonalData: every field the cabinet shows, and what the person may do alone', async () => {
      const me = ok(await run('state', 'PersonalData', {}, patient)).me;
      expect(me).toMatchObject({
        id: DEMO_PERSONAS.patient.id,
        lastName: 'Коваленко',
        unzr: '19850412-00318',
        verificationStatus: 'VERIFIED',
        capabilities: { canView: true, canEditPersonalData: true },
      });
      expect(me.addresses.map((a: Data) => a.type).sort()).toEqual(['REGISTRATION', 'RESIDENCE']);
      expect(me.documents[0]).toMatchObject({ type: 'NATIONAL_ID' });
      // The 15-year-old without a capacity document may only read.
      const t = ok(await run('state', 'PersonalData', {}, teen)).me;
      expect(t.capabilities).toMatchObject({ canView: true, canEditPersonalData: false, reason: 'MINOR_WITHOUT_LEGAL_CAPACITY_DOCUMENT' });
    });

    it('UpdateContacts: changes the phone and e-mail and bumps the version; a stale version is a VERSION_CONFLICT', async () => {
      const v = await version(patient);
      const input = {
        expectedVersion: v,
        email: 'olena.k@example.com',
        phones: [{ type: 'MOBILE', number: '+380501112233' }],
        preferredWayOfCommunication: 'EMAIL',
      };
      const r = ok(await run('state', 'UpdateContacts', { input }, patient)).updateContacts;
      expect(r.userErrors).toEqual([]);
      expect(r.person).toMatchObject({
        version: v + 1,
        email: 'olena.k@example.com',
        phones: [{ type: 'MOBILE', number: '+380501112233' }],
        preferredWayOfCommunication: 'EMAIL',
      });
      const stale = ok(await run('state', 'UpdateContacts', { input: { ...input, email: 'x@example.com' } }, patient)).updateContacts;
      expect(stale.userErrors.map((e: Data) => e.code)).toEqual(['VERSION_CONFLICT']);
      expect(stale.person.email).toBe('olena.k@example.com');
    });

    it('UpdateAddresses: replaces the residence address', async () => {
      const v = await version(patient);
      const residence = {
        type: 'RESIDENCE',
        country: 'UA',
        area: 'м. Київ',
        settlement: 'Київ',
        settlementType: 'CITY',
        streetType: 'вул.',
        street: 'Саксаганського',
        building: '12',
        apartment: '4',
        zip: '01033',
      };
      const registration = {
        type: 'REGISTRATION',
        country: 'UA',
        area: 'Полтавська',
        region: 'Полтавський',
        settlement: 'Полтава',
        settlementType: 'CITY',
        streetType: 'вул.',
        street: 'Соборності',
        building: '12',
        apartment: '7',
        zip: '36000',
      };
      const r = ok(await run('state', 'UpdateAddresses', { input: { expectedVersion: v, addresses: [residence, registration] } }, patient)).updateAddresses;
      expect(r.userErrors).toEqual([]);
      expect(r.person.version).toBe(v + 1);
      expect(r.person.addresses.find((a: Data) => a.type === 'RESIDENCE')).toMatchObject({ street: 'Саксаганського', building: '12' });
    });

    it('UpdateDocuments: replaces the documents and sends the record back to verification', async () => {
      const v = await version(patient);
      const documents = [{ type: 'NATIONAL_ID', number: '004512390', issuedAt: '2024-08-20', issuedBy: '8036', expirationDate: '2034-08-20' }];
      const r = ok(await run('state', 'UpdateDocuments', { input: { expectedVersion: v, documents } }, patient)).updateDocuments;
      expect(r.userErrors).toEqual([]);
      expect(r.person).toMatchObject({ version: v + 1, verificationStatus: 'VERIFICATION_NEEDED', documents: [{ type: 'NATIONAL_ID', number: '004512390' }] });
    });

    it('UpdateEmergencyContact: sets the emergency contact', async () => {
      const v = await version(patient);
      const emergencyContact = { firstName: 'Марія', lastName: 'Коваленко', phones: [{ type: 'MOBILE', number: '+380671234500' }] };
      const r = ok(await run('state', 'UpdateEmergencyContact', { input: { expectedVersion: v, emergencyContact } }, patient)).updateEmergencyContact;
      expect(r.userErrors).toEqual([]);
      expect(r.person).toMatchObject({ version: v + 1, emergencyContact: { firstName: 'Марія', phones: [{ number: '+380671234500' }] } });
    });

    it('ChangeHistory: every accepted change, newest first, from the state cabinet, paged', async () => {
      const h = ok(await run('state', 'ChangeHistory', { first: 2 }, patient)).me.changeHistory;
      expect(h.totalCount).toBeGreaterThanOrEqual(4);
      expect(h.edges).toHaveLength(2);
      expect(h.edges[0].node).toMatchObject({ action: 'updateEmergencyContact', cabinetId: DEMO_CABINETS.state.id, changedBy: DEMO_PERSONAS.patient.id });
      expect(h.edges[0].node.changes.length).toBeGreaterThan(0);
      expect(h.pageInfo.hasNextPage).toBe(true);
      const next = ok(await run('state', 'ChangeHistory', { first: 2, after: h.pageInfo.endCursor }, patient)).me.changeHistory;
      expect(next.edges[0].node.id).not.toBe(h.edges[0].node.id);
    });
  });

  describe('state cabinet list: the doctor directory', () => {
    it('FindDoctor: the signed-in person searches', async () => {
      const r = ok(await run('state', 'FindDoctor', { filter: { name: 'Бондаренко', speciality: 'THERAPIST' }, first: 5 }, patient));
      expect(r.searchDoctors.edges.map((e: Data) => e.node.id)).toContain(THERAPIST);
    });

    it('DoctorPage', async () => {
      expect(ok(await run('state', 'DoctorPage', { id: THERAPIST }, patient)).doctor).toMatchObject({ id: THERAPIST, speciality: 'THERAPIST' });
    });

    it('DivisionPage', async () => {
      expect(ok(await run('state', 'DivisionPage', { id: DIVISION }, patient)).division).toMatchObject({ id: DIVISION, legalEntity: { id: LEGAL_ENTITY } });
    });

    it('LegalEntityPage', async () => {
      expect(ok(await run('state', 'LegalEntityPage', { id: LEGAL_ENTITY }, patient)).legalEntity).toMatchObject({ id: LEGAL_ENTITY });
    });
  });

  describe('declarations: sign up online, the doctor signs or rejects, cancel, terminate', () => {
    let signedRequest: string;

    it("SubmitDeclarationRequest, then the doctor signs it through the doctors' list (SignDeclarationRequest)", async () => {
      const s = ok(await run('state', 'SubmitDeclarationRequest', { input: { doctorId: DOCTOR, divisionId: DIVISION } }, other)).submitDeclarationRequest;
      expect(s.userErrors).toEqual([]);
      expect(s.declarationRequest).toMatchObject({ status: 'APPROVED', doctor: { id: DOCTOR }, division: { id: DIVISION } });
      signedRequest = s.declarationRequest.id;
      const signed = ok(await run('practitioners', 'SignDeclarationRequest', { input: { id: signedRequest } }, doctor)).signDeclarationRequest;
      expect(signed.userErrors).toEqual([]);
      expect(signed.declarationRequest).toMatchObject({ id: signedRequest, status: 'SIGNED', declaration: { status: 'ACTIVE' } });
    });

    it('MyDeclarations: the active declaration (with the doctor) and the previous ones', async () => {
      const me = ok(await run('state', 'MyDeclarations', {}, other)).me;
      expect(me.activeDeclaration).toMatchObject({ status: 'ACTIVE', doctor: { id: DOCTOR }, division: { id: DIVISION } });
      expect(me.declarations.map((d: Data) => d.status)).toEqual(['ACTIVE']);
      const mine = ok(await run('state', 'MyDeclarations', { status: ['TERMINATED'] }, patient)).me;
      expect(mine.declarations.map((d: Data) => d.status)).toEqual(['TERMINATED']);
      expect(mine.activeDeclaration).toMatchObject({ status: 'ACTIVE', doctor: { id: DOCTOR } });
    });

    it('CancelDeclarationRequest: the patient withdraws a pending request', async () => {
      const s = ok(await run('state', 'SubmitDeclarationRequest', { input: { doctorId: THERAPIST, divisionId: DIVISION } }, other)).submitDeclarationRequest;
      expect(s.userErrors).toEqual([]);
      const c = ok(await run('state', 'CancelDeclarationRequest', { input: { id: s.declarationRequest.id } }, other)).cancelDeclarationRequest;
      expect(c.userErrors).toEqual([]);
      expect(c.declarationRequest).toMatchObject({ id: s.declarationRequest.id, status: 'CANCELLED' });
    });

    it('RejectDeclarationRequest: the doctor declines, with a reason the patient sees', async () => {
      const s = ok(await run('state', 'SubmitDeclarationRequest', { input: { doctorId: THERAPIST, divisionId: DIVISION } }, other)).submitDeclarationRequest;
      expect(s.userErrors).toEqual([]);
      const r = ok(
        await run('practitioners', 'RejectDeclarationRequest', { input: { id: s.declarationRequest.id, reason: 'Список пацієнтів заповнено' } }, therapist),
      ).rejectDeclarationRequest;
      expect(r.userErrors).toEqual([]);
      expect(r.declarationRequest).toMatchObject({ status: 'REJECTED', rejectionReason: 'Список пацієнтів заповнено' });
    });

    it('MyDeclarationRequests: pending, signed, cancelled and rejected requests', async () => {
      const all = ok(await run('state', 'MyDeclarationRequests', {}, other)).me.declarationRequests;
      expect(all.map((r: Data) => r.status).sort()).toEqual(['CANCELLED', 'REJECTED', 'SIGNED']);
      expect(all.find((r: Data) => r.id === signedRequest)).toMatchObject({ declaration: { status: 'ACTIVE' } });
      const s = ok(await run('state', 'SubmitDeclarationRequest', { input: { doctorId: THERAPIST, divisionId: DIVISION } }, patient)).submitDeclarationRequest;
      expect(s.userErrors).toEqual([]);
      const pending = ok(await run('state', 'MyDeclarationRequests', { status: ['NEW', 'APPROVED'] }, patient)).me.declarationRequests;
      expect(pending).toEqual([
        expect.objectContaining({ id: s.declarationRequest.id, status: 'APPROVED', doctor: expect.objectContaining({ id: THERAPIST }) }),
      ]);
      ok(await run('state', 'CancelDeclarationRequest', { input: { id: s.declarationRequest.id } }, patient));
    });

    it('TerminateDeclaration: the patient ends their own declaration', async () => {
      const active = ok(await run('state', 'MyDeclarations', {}, other)).me.activeDeclaration;
      const t = ok(
        await run('state', 'TerminateDeclaration', { input: { id: active.id, reason: 'manual_person', description: 'Переїзд' } }, other),
      ).terminateDeclaration;
      expect(t.userErrors).toEqual([]);
      expect(t.declaration).toMatchObject({ id: active.id, status: 'TERMINATED', terminationReason: 'manual_person' });
      expect(ok(await run('state', 'MyDeclarations', {}, other)).me.activeDeclaration).toBeNull();
    });

    it('DoctorWorkload: the doctor sees their limit and how many declarations they hold', async () => {
      const d = ok(await run('practitioners', 'DoctorWorkload', { id: DOCTOR }, doctor)).doctor;
      expect(d).toMatchObject({ id: DOCTOR, status: 'APPROVED', acceptingNewPatients: true });
      expect(d.activeDeclarationCount).toBeGreaterThanOrEqual(1);
      expect(d.declarationLimit).toBeGreaterThan(d.activeDeclarationCount);
    });
  });

  describe('access management: grants, revoke, access log', () => {
    it('AccessGrants: the cabinets that may process the data, filtered by status and name', async () => {
      const all = ok(await run('state', 'AccessGrants', { status: ['ACTIVE'] }, patient)).me.accessGrants;
      expect(all.map((g: Data) => g.cabinet.id)).toEqual(expect.arrayContaining([DEMO_CABINETS.state.id, DEMO_CABINETS.zdorovia.id, DEMO_CABINETS.medcard.id]));
      const byName = ok(await run('state', 'AccessGrants', { cabinetName: 'МедКарта' }, patient)).me.accessGrants;
      expect(byName.map((g: Data) => g.cabinet.id)).toEqual([DEMO_CABINETS.medcard.id]);
    });

    it('RevokeAccessGrant: the revoked cabinet is refused from the next request on', async () => {
      const medcard = await sys.token({ clientId: DEMO_CABINETS.medcard.id, scopes: ['person:read', 'declaration:read'] });
      ok(await run('medcard', 'PartnerProfile', {}, medcard));
      const grant = ok(await run('state', 'AccessGrants', { cabinetName: 'МедКарта' }, patient)).me.accessGrants[0];
      const r = ok(await run('state', 'RevokeAccessGrant', { input: { id: grant.id } }, patient)).revokeAccessGrant;
      expect(r.userErrors).toEqual([]);
      expect(r.accessGrant).toMatchObject({ id: grant.id, status: 'REVOKED', cabinet: { id: DEMO_CABINETS.medcard.id } });
      const refused = await run('medcard', 'PartnerProfile', {}, medcard);
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'GRANT_REVOKED' });
    });

    it('AccessLog: the reads and changes of this run, with the cabinet and the operation', async () => {
      const log = await eventually(
        async () => ok(await run('state', 'AccessLog', { first: 100 }, patient)).me.accessLog,
        (l: Data) => l.edges.some((e: Data) => e.node.operationName === 'RevokeAccessGrant'),
      );
      const entries = log.edges.map((e: Data) => e.node);
      expect(entries).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'READ', operationName: 'PersonalData', cabinet: expect.objectContaining({ id: DEMO_CABINETS.state.id }) }),
          expect.objectContaining({ action: 'CHANGE', operationName: 'UpdateContacts' }),
          expect.objectContaining({ action: 'READ', operationName: 'PartnerProfile', cabinet: expect.objectContaining({ id: DEMO_CABINETS.medcard.id }) }),
          expect.objectContaining({ operationName: 'RevokeAccessGrant' }),
        ]),
      );
      expect(log.totalCount).toBeGreaterThanOrEqual(entries.length);
    });
  });

  describe('partner cabinets keep working in production', () => {
    let zdorovia: string;
    beforeAll(async () => {
      zdorovia = await sys.token({ clientId: DEMO_CABINETS.zdorovia.id, scopes: ['person:read', 'person:write', 'declaration:read', 'declaration:write'] });
    });

    it('zdorovia PartnerProfile', async () => {
      expect(ok(await run('zdorovia', 'PartnerProfile', {}, zdorovia)).me).toMatchObject({ firstName: 'Олена' });
    });

    it('zdorovia PartnerDeclaration', async () => {
      expect(ok(await run('zdorovia', 'PartnerDeclaration', {}, zdorovia)).me.activeDeclaration).toMatchObject({ status: 'ACTIVE', doctor: { id: DOCTOR } });
    });

    it('zdorovia PartnerFindDoctor', async () => {
      expect(
        ok(await run('zdorovia', 'PartnerFindDoctor', { filter: { speciality: 'PEDIATRICIAN' }, first: 3 }, zdorovia)).searchDoctors.edges.length,
      ).toBeGreaterThan(0);
    });

    it('zdorovia PartnerSubmitDeclaration', async () => {
      const s = ok(
        await run('zdorovia', 'PartnerSubmitDeclaration', { input: { doctorId: THERAPIST, divisionId: DIVISION } }, zdorovia),
      ).submitDeclarationRequest;
      expect(s.userErrors).toEqual([]);
      expect(s.declarationRequest.status).toBe('APPROVED');
      ok(await run('state', 'CancelDeclarationRequest', { input: { id: s.declarationRequest.id } }, patient));
    });

    it('medcard PartnerContacts, PartnerDeclaration, PartnerFindDoctor (a fresh consent after the revocation)', async () => {
      // Consenting again (what the identity provider's consent screen does) re-admits МедКарта.
      const medcard = await sys.token({ clientId: DEMO_CABINETS.medcard.id, scopes: ['person:read', 'person:write', 'declaration:read'] });
      expect(ok(await run('medcard', 'PartnerDeclaration', {}, medcard)).me.activeDeclaration).toMatchObject({ doctor: { id: DOCTOR } });
      expect(ok(await run('medcard', 'PartnerFindDoctor', { filter: { settlement: 'Київ' }, first: 3 }, medcard)).searchDoctors.totalCount).toBeGreaterThan(0);
      const v = await version(patient);
      const c = ok(await run('medcard', 'PartnerContacts', { input: { expectedVersion: v, email: 'olena@medcard.example' } }, medcard)).updateContacts;
      expect(c.person).toMatchObject({ version: v + 1, email: 'olena@medcard.example' });
    });
  });

  describe('prescriptions: the patient’s screens, the doctor prescribes and rejects, the pharmacist dispenses', () => {
    const METFORMIN = { inn: 'Metformin', dosageForm: 'TABLET', strength: '500 mg' };
    const AMOXICILLIN = { inn: 'Amoxicillin', dosageForm: 'CAPSULE', strength: '500 mg' };

    it('state MyPrescriptions and PrescriptionDetails: newest first, with the code only the person sees', async () => {
      const list = ok(await run('state', 'MyPrescriptions', { first: 20 }, patient)).me.prescriptions;
      expect(list.totalCount).toBeGreaterThanOrEqual(5);
      const first = list.edges[0].node;
      expect(first.verificationCode).toMatch(/^\d{4}$/);
      const one = ok(await run('state', 'PrescriptionDetails', { id: first.id }, patient)).me.prescription;
      expect(one).toMatchObject({ id: first.id, number: first.number, prescriber: { id: DOCTOR } });
    });

    it('practitioners CreatePrescription, RejectPrescription, DispensePrescription', async () => {
      // The patient's record went back to verification with their documents above: `other` is verified.
      const input = {
        personId: DEMO_PERSONAS.other.id,
        divisionId: DIVISION,
        medication: AMOXICILLIN,
        quantity: 2,
        dosageInstruction: '1 капсула 3 рази на день',
      };
      const created = ok(await run('practitioners', 'CreatePrescription', { input }, doctor)).createPrescription;
      expect(created.userErrors).toEqual([]);
      expect(created.prescription).toMatchObject({ status: 'ACTIVE', program: null });
      // Доступні ліки needs the doctor's active declaration with the person, which `other` does not hold.
      const reimbursed = ok(
        await run('practitioners', 'CreatePrescription', { input: { ...input, medication: METFORMIN, programId: AFFORDABLE_MEDICINES } }, doctor),
      ).createPrescription;
      expect(reimbursed.userErrors.map((e: Data) => e.code)).toEqual(['NO_ACTIVE_DECLARATION']);
      const rejected = ok(
        await run('practitioners', 'RejectPrescription', { input: { id: created.prescription.id, reason: 'Змінено лікування' } }, doctor),
      ).rejectPrescription;
      expect(rejected.prescription).toMatchObject({ status: 'REJECTED', rejectionReason: 'Змінено лікування' });
      const again = ok(await run('practitioners', 'CreatePrescription', { input }, doctor)).createPrescription.prescription;
      const details = ok(await run('state', 'PrescriptionDetails', { id: again.id }, other)).me.prescription;
      const pharmacist = await sys.token('pharmacist');
      const d = ok(
        await run(
          'practitioners',
          'DispensePrescription',
          { input: { number: details.number, verificationCode: details.verificationCode, quantity: 2 } },
          pharmacist,
        ),
      ).dispensePrescription;
      expect(d.userErrors).toEqual([]);
      expect(d.prescription.status).toBe('COMPLETED');
      expect(d.prescription.dispenses).toMatchObject([{ quantity: 2, reimbursedAmount: null }]);
    });

    it('medcard PartnerPrescriptions once the person consents to prescription:read', async () => {
      const medcard = await sys.token({ clientId: DEMO_CABINETS.medcard.id, scopes: ['person:read', 'prescription:read'] });
      // The grant cache may hold the grant as it was before this consent for up to its TTL.
      const r = await eventually(
        () => run('medcard', 'PartnerPrescriptions', { first: 5 }, medcard),
        (x) => !x.errors,
      );
      expect(ok(r).me.prescriptions.edges.every((e: Data) => e.node.status === 'ACTIVE')).toBe(true);
    });
  });

  describe('medical record: the patient’s screens, the doctor records a visit and results and marks one entered in error', () => {
    it('state MyMedicalRecord, MyLabResults and LabResultDetails', async () => {
      const record = ok(await run('state', 'MyMedicalRecord', { first: 10 }, patient)).me;
      expect(record.encounters.totalCount).toBeGreaterThanOrEqual(3);
      expect(record.conditions.edges.every((e: Data) => ['ICD10', 'ICPC2'].includes(e.node.code.system))).toBe(true);
      const labs = ok(await run('state', 'MyLabResults', { first: 20 }, patient)).me.diagnosticReports;
      const withResults = labs.edges.find((e: Data) => e.node.observations.length > 0).node;
      const one = ok(await run('state', 'LabResultDetails', { id: withResults.id }, patient)).me.diagnosticReport;
      expect(one).toMatchObject({ id: withResults.id, doctor: { id: DOCTOR }, performer: { id: LEGAL_ENTITY } });
    });

    it('practitioners RecordEncounter, RecordDiagnosticReport, MarkEnteredInError', async () => {
      const personId = DEMO_PERSONAS.other.id;
      const visit = ok(
        await run(
          'practitioners',
          'RecordEncounter',
          {
            input: {
              personId,
              divisionId: DIVISION,
              date: '2026-11-01',
              class: 'PHC',
              reasons: [{ system: 'ICPC2', code: 'R05' }],
              diagnoses: [{ code: { system: 'ICD10', code: 'J20.9' } }],
            },
          },
          doctor,
        ),
      ).recordEncounter;
      expect(visit.userErrors).toEqual([]);
      const report = ok(
        await run(
          'practitioners',
          'RecordDiagnosticReport',
          { input: { personId, serviceCode: 'LAB-GLU', observations: [{ code: '15074-8', value: '4.9', unit: 'mmol/L' }] } },
          doctor,
        ),
      ).recordDiagnosticReport;
      expect(report.diagnosticReport.observations).toMatchObject([{ value: '4.9', interpretation: 'NORMAL' }]);
      const marked = ok(await run('practitioners', 'MarkEnteredInError', { input: { id: visit.encounter.conditions[0].id } }, doctor)).markEnteredInError;
      expect(marked.condition).toMatchObject({ verificationStatus: 'ENTERED_IN_ERROR' });
    });

    it('medcard PartnerLabResults once the person consents to medical:read', async () => {
      const medcard = await sys.token({ clientId: DEMO_CABINETS.medcard.id, scopes: ['person:read', 'medical:read'] });
      const r = await eventually(
        () => run('medcard', 'PartnerLabResults', { first: 5 }, medcard),
        (x) => !x.errors,
      );
      expect(ok(r).me.diagnosticReports.totalCount).toBeGreaterThan(0);
    });
  });

  describe('representatives: a parent acts for their child (docs/representatives.md)', () => {
    it('MyRepresentations, RepresentedPerson, RepresentedPersonAccessLog: the parent sees the child; another adult is refused', async () => {
      const parent = await sys.token('parent');
      const reps = ok(await run('state', 'MyRepresentations', {}, parent)).me.representations as { person: { id: string } }[];
      expect(reps.map((r) => r.person.id)).toEqual([DEMO_PERSONAS.child.id]);
      const child = ok(await run('state', 'RepresentedPerson', { id: DEMO_PERSONAS.child.id }, parent)).person;
      expect(child).toMatchObject({ id: DEMO_PERSONAS.child.id, capabilities: { canSubmitDeclaration: true }, activeDeclaration: null });
      const refused = await run('state', 'RepresentedPerson', { id: DEMO_PERSONAS.child.id }, other);
      expect(refused.data?.person ?? null).toBeNull();
      expect(codes(refused)).toContain('FORBIDDEN');
      const log = ok(await run('state', 'RepresentedPersonAccessLog', { id: DEMO_PERSONAS.child.id, first: 5 }, parent)).person;
      expect(log.accessLog.totalCount).toBeGreaterThanOrEqual(0);
    });
  });

  it('every operation of every list was run above', () => {
    for (const list of Object.keys(manifests)) expect([list, [...(ran[list] ?? [])].sort()]).toEqual([list, names(list)]);
  });

  describe('every caller is held to a list', () => {
    it("a doctor token: free-form text and other lists' operations are refused", async () => {
      const free = await post(sys.gatewayUrl, { query: 'mutation { signDeclarationRequest(input: { id: "x" }) { userErrors { code } } }' }, doctor);
      expect([free.status, codes(free)]).toEqual([400, ['PERSISTED_QUERY_NOT_IN_LIST']]);
      const home = manifests.state.operations.find((o) => o.name === 'CabinetHome')!;
      const foreign = await post(sys.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: home.id } } }, doctor);
      expect([foreign.status, codes(foreign)]).toEqual([400, ['PERSISTED_QUERY_NOT_IN_LIST']]);
    });

    it("a doctor token without client_id is held to the doctors' list", async () => {
      const bare = await sys.token({ sub: DOCTOR, roles: ['DOCTOR'], scopes: DOCTOR_SCOPES, clientId: undefined });
      expect(JSON.parse(Buffer.from(bare.split('.')[1], 'base64url').toString())).not.toHaveProperty('client_id');
      expect(ok(await sys.persisted('practitioners', 'DoctorWorkload', { id: DOCTOR }, bare)).doctor).toMatchObject({ id: DOCTOR });
      const free = await post(sys.gatewayUrl, { query: '{ doctor(id: "x") { id } }' }, bare);
      expect(codes(free)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
      const search = manifests.public.operations.find((o) => o.name === 'FindDoctor')!;
      const foreign = await post(sys.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: search.id } } }, bare);
      expect(codes(foreign)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    });

    it('an anonymous caller: free-form text (introspection too) and non-public operations are refused', async () => {
      for (const query of ['{ searchDoctors(first: 1) { totalCount } }', '{ __schema { types { name } } }']) {
        const r = await post(sys.gatewayUrl, { query });
        expect([r.status, codes(r)]).toEqual([400, ['PERSISTED_QUERY_NOT_IN_LIST']]);
      }
      const home = manifests.state.operations.find((o) => o.name === 'CabinetHome')!;
      const r = await post(sys.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: home.id } } });
      expect(codes(r)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    });

    it('a patient token without client_id is refused', async () => {
      const bare = await sys.token({ clientId: undefined }, { consent: false });
      const r = await sys.persisted('state', 'CabinetHome', {}, bare);
      // The grant check (first in the chain) refuses it; the list guard would too (no list applies).
      expect(r.status).toBe(401);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'NO_CABINET' });
    });
  });

  describe('first-party APQ in production: listed ids only', () => {
    it('a listed operation runs by its hash alone, and with its own text alongside', async () => {
      const op = manifests.state.operations.find((o) => o.name === 'CabinetHome')!;
      const byId = await post(sys.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }, patient);
      expect(byId.errors).toBeUndefined();
      const withText = await post(sys.gatewayUrl, { query: op.body, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }, patient);
      expect(withText.errors).toBeUndefined();
      expect(withText.data).toEqual(byId.data);
    });

    it('registering an unlisted operation is refused, and so is its hash afterwards', async () => {
      const query = `query Unlisted${Date.now()} { me { id taxId } }`;
      const ext = { persistedQuery: { version: 1, sha256Hash: sha(query) } };
      const register = await post(sys.gatewayUrl, { query, extensions: ext }, patient);
      expect([register.status, codes(register), register.data]).toEqual([400, ['PERSISTED_QUERY_NOT_IN_LIST'], undefined]);
      const byHash = await post(sys.gatewayUrl, { extensions: ext }, patient);
      expect([byHash.status, codes(byHash)]).toEqual([400, ['PERSISTED_QUERY_NOT_IN_LIST']]);
    });
  });
});

describe('first-party APQ outside production: registers freely', () => {
  let sys: RunningSystem;
  beforeAll(async () => {
    sys = await startSystem({ only: ['identity', 'access'] });
  });
  afterAll(() => sys?.stop());

  it('the state cabinet registers an unlisted operation and then runs it by hash alone', async () => {
    const token = await sys.token('patient');
    const query = `query Apq${Date.now()} { me { id lastName } }`;
    const ext = { persistedQuery: { version: 1, sha256Hash: sha(query) } };
    expect(codes(await post(sys.gatewayUrl, { extensions: ext }, token))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await post(sys.gatewayUrl, { query, extensions: ext }, token)).data?.me).toMatchObject({ lastName: 'Коваленко' });
    expect((await post(sys.gatewayUrl, { extensions: ext }, token)).data?.me).toMatchObject({ lastName: 'Коваленко' });
  });

  it('a listed id resolves without registration, as in production', async () => {
    const r = await sys.persisted('state', 'PersonalData', {}, await sys.token('patient'));
    expect(r.errors).toBeUndefined();
    expect(r.data).toMatchObject({ me: { lastName: 'Коваленко' } });
  });

  it('partners stay held to their list', async () => {
    const partner = await sys.token({ clientId: DEMO_CABINETS.zdorovia.id, scopes: ['person:read'] });
    const query = `query Apq${Date.now()} { me { id } }`;
    const r = await post(sys.gatewayUrl, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha(query) } } }, partner);
    expect(codes(r)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });
});
