import { addDays, addYears, todayIn } from '@pc/calendar';
import { anonymous, doctorCaller, patientCaller } from '@pc/testing';
import { DECLARATION_NUMBER_PATTERN } from '../src/domain/declarationNumber';
import { codes, startDeclarations, type DeclarationsUnderTest } from './support/startDeclarations';

// Every rule of docs/domain.md "Declarations" at submission and at signing, and every request
// transition, allowed and forbidden, through the subgraph's GraphQL API on a real database.
describe('declarations: requests, rules and transitions', () => {
  let t: DeclarationsUnderTest;
  const today = todayIn('Europe/Kyiv');
  const child = () => t.owners.addPerson({ birthDate: addYears(today, -10), taxId: null, authenticationMethod: 'THIRD_PERSON' });
  const countRows = async (table: string) => Number((await t.sg.dataSource.query(`SELECT count(*) AS n FROM declarations.${table}`))[0].n);

  beforeAll(async () => {
    t = await startDeclarations();
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('submitDeclarationRequest', () => {
    it('approves a valid online request at once, reading the owners as a SERVICE', async () => {
      const p = t.owners.addPerson();
      const { doctor, division } = t.owners.addDoctor();
      t.owners.entityCallers.length = 0;
      const r = await t.submit(p.id, doctor.id, division.id);
      const req = r.data?.submitDeclarationRequest.declarationRequest;
      expect(r.errors).toBeUndefined();
      expect(codes(r.data?.submitDeclarationRequest)).toEqual([]);
      expect(req?.status).toBe('APPROVED');
      const hours = (Date.parse(req!.expiresAt) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(23.9);
      expect(hours).toBeLessThanOrEqual(24);
      expect(t.owners.entityCallers.length).toBeGreaterThan(0);
      expect(t.owners.entityCallers.every((c) => c.roles.includes('SERVICE') && c.subject === 'declarations')).toBe(true);
      const [row] = await t.sg.dataSource.query('SELECT person_first_name, person_birth_date::text AS b FROM declarations.declaration_request WHERE id = $1', [
        req!.id,
      ]);
      expect(row).toEqual({ person_first_name: p.firstName, b: p.birthDate });
    });

    it('cancels the person’s other open requests, whatever the doctor: one open request per person', async () => {
      const p = t.owners.addPerson();
      const a = t.owners.addDoctor();
      const b = t.owners.addDoctor();
      const first = (await t.submit(p.id, a.doctor.id, a.division.id)).data!.submitDeclarationRequest.declarationRequest!;
      const other = (await t.submit(p.id, b.doctor.id, b.division.id)).data!.submitDeclarationRequest.declarationRequest!;
      const second = (await t.submit(p.id, a.doctor.id, a.division.id)).data!.submitDeclarationRequest.declarationRequest!;
      expect([first.status, other.status, second.status]).toEqual(['APPROVED', 'APPROVED', 'APPROVED']);
      const rows: { id: string; status: string; cancellation_reason: string | null; replaced_by: string | null }[] = await t.sg.dataSource.query(
        'SELECT id, status, cancellation_reason, replaced_by FROM declarations.declaration_request WHERE person_id = $1',
        [p.id],
      );
      const state = Object.fromEntries(rows.map((r) => [r.id, [r.status, r.cancellation_reason, r.replaced_by]]));
      expect(state).toEqual({
        [first.id]: ['CANCELLED', 'auto_new_request', other.id],
        [other.id]: ['CANCELLED', 'auto_new_request', second.id],
        [second.id]: ['APPROVED', null, null],
      });
    });

    it.each([
      ['a DISMISSED doctor', { status: 'DISMISSED' }, 'DOCTOR_NOT_ELIGIBLE'],
      ['a NEW (not approved) doctor', { status: 'NEW' }, 'DOCTOR_NOT_ELIGIBLE'],
      ['a speciality that holds no declarations', { speciality: 'SURGEON' }, 'DOCTOR_NOT_ELIGIBLE'],
      ['a SUSPENDED legal entity', { legalEntity: { id: 'le-s', status: 'SUSPENDED', type: 'PRIMARY_CARE' } }, 'LEGAL_ENTITY_NOT_ACTIVE'],
      ['an OUTPATIENT legal entity', { legalEntity: { id: 'le-o', status: 'ACTIVE', type: 'OUTPATIENT' } }, 'LEGAL_ENTITY_TYPE_NOT_ALLOWED'],
      ['an adult to a PEDIATRICIAN', { speciality: 'PEDIATRICIAN' }, 'AGE_RULE'],
    ])('refuses %s (%#)', async (_what, doctorOverrides, code) => {
      const p = t.owners.addPerson();
      const { doctor, division } = t.owners.addDoctor(doctorOverrides);
      const before = await countRows('declaration_request');
      const r = await t.submit(p.id, doctor.id, division.id);
      expect(codes(r.data?.submitDeclarationRequest)).toEqual([code]);
      expect(r.data?.submitDeclarationRequest.userErrors[0].field).toEqual(['input', 'doctorId']);
      expect(r.data?.submitDeclarationRequest.declarationRequest).toBeNull();
      expect(await countRows('declaration_request')).toBe(before);
    });

    it('accepts an MSP legal entity (the older primary-care type)', async () => {
      const { doctor, division } = t.owners.addDoctor({ legalEntity: { id: 'le-msp', status: 'ACTIVE', type: 'MSP' } });
      const r = await t.submit(t.owners.addPerson().id, doctor.id, division.id);
      expect(r.data?.submitDeclarationRequest.declarationRequest?.status).toBe('APPROVED');
    });

    it('applies the age rule: therapist 18+, pediatrician under 18, family doctor any age', async () => {
      const adult = t.owners.addPerson({ birthDate: addYears(today, -18) }); // 18 today
      const minor = t.owners.addPerson({ birthDate: addDays(addYears(today, -18), 1) }); // 18 tomorrow
      const therapist = t.owners.addDoctor({ speciality: 'THERAPIST' });
      const pediatrician = t.owners.addDoctor({ speciality: 'PEDIATRICIAN' });
      const family = t.owners.addDoctor({ speciality: 'FAMILY_DOCTOR' });
      const ok = async (p: string, d: typeof family) => codes((await t.submit(p, d.doctor.id, d.division.id)).data?.submitDeclarationRequest);
      expect(await ok(adult.id, therapist)).toEqual([]);
      expect(await ok(minor.id, therapist)).toEqual(['AGE_RULE']);
      expect(await ok(minor.id, pediatrician)).toEqual([]);
      expect(await ok(adult.id, pediatrician)).toEqual(['AGE_RULE']);
      expect(await ok(minor.id, family)).toEqual([]);
      expect(await ok(child().id, family)).toEqual([]);
    });

    it('refuses an inactive division, one of another legal entity, and unknown doctors or divisions', async () => {
      const p = t.owners.addPerson();
      const { doctor, division } = t.owners.addDoctor();
      const other = t.owners.addDoctor();
      division.status = 'INACTIVE';
      let r = await t.submit(p.id, doctor.id, division.id);
      expect(codes(r.data?.submitDeclarationRequest)).toEqual(['DIVISION_NOT_ACTIVE']);
      expect(r.data?.submitDeclarationRequest.userErrors[0].field).toEqual(['input', 'divisionId']);
      r = await t.submit(p.id, doctor.id, other.division.id);
      expect(codes(r.data?.submitDeclarationRequest)).toEqual(['DIVISION_NOT_IN_LEGAL_ENTITY']);
      r = await t.submit(p.id, '00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000001');
      expect(codes(r.data?.submitDeclarationRequest)).toEqual(['DOCTOR_NOT_FOUND', 'DIVISION_NOT_FOUND']);
      r = await t.submit(p.id, 'not-an-id', division.id);
      expect(codes(r.data?.submitDeclarationRequest)).toEqual(['DOCTOR_NOT_FOUND']);
    });

    it('blocks a NOT_VERIFIED person but not one still awaiting verification', async () => {
      const { doctor, division } = t.owners.addDoctor();
      const blocked = await t.submit(t.owners.addPerson({ verificationStatus: 'NOT_VERIFIED' }).id, doctor.id, division.id);
      expect(codes(blocked.data?.submitDeclarationRequest)).toEqual(['PERSON_NOT_VERIFIED']);
      const waiting = await t.submit(t.owners.addPerson({ verificationStatus: 'VERIFICATION_NEEDED' }).id, doctor.id, division.id);
      expect(codes(waiting.data?.submitDeclarationRequest)).toEqual([]);
    });

    it('refuses a person without capacity (FORBIDDEN) and writes nothing', async () => {
      const teen = t.owners.addPerson({ birthDate: addYears(today, -15), capabilities: { canSubmitDeclaration: false } });
      const { doctor, division } = t.owners.addDoctor();
      const before = await countRows('declaration_request');
      const r = await t.submit(teen.id, doctor.id, division.id);
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await countRows('declaration_request')).toBe(before);
    });

    it('keeps the doctor’s limit: declarations held plus approved requests stay below it, not counting this patient', async () => {
      const { doctor, division } = t.owners.addDoctor({ declarationLimit: 2 });
      const holder = t.owners.addPerson();
      await t.declare(holder.id, doctor.id, division.id); // 1 declaration
      expect(codes((await t.submit(t.owners.addPerson().id, doctor.id, division.id)).data?.submitDeclarationRequest)).toEqual([]); // + 1 approved = 2
      const full = await t.submit(t.owners.addPerson().id, doctor.id, division.id);
      expect(codes(full.data?.submitDeclarationRequest)).toEqual(['DOCTOR_LIMIT_REACHED']);
      // The holder's own place is not counted against them: they may renew with their doctor.
      expect(codes((await t.submit(holder.id, doctor.id, division.id)).data?.submitDeclarationRequest)).toEqual([]);
    });

    it('takes the limit from the doctor record, not from the speciality default', async () => {
      const { doctor, division } = t.owners.addDoctor({ declarationLimit: 0 });
      expect(codes((await t.submit(t.owners.addPerson().id, doctor.id, division.id)).data?.submitDeclarationRequest)).toEqual(['DOCTOR_LIMIT_REACHED']);
    });

    it('answers DEPENDENCY_UNAVAILABLE and writes nothing when an owner is down', async () => {
      const p = t.owners.addPerson();
      const { doctor, division } = t.owners.addDoctor();
      const before = await countRows('declaration_request');
      for (const which of ['identity', 'directory'] as const) {
        t.owners.down[which] = true;
        try {
          const r = await t.submit(p.id, doctor.id, division.id);
          expect(r.errors?.[0].extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
          expect(r.data).toBeNull();
        } finally {
          t.owners.down[which] = false;
        }
      }
      expect(await countRows('declaration_request')).toBe(before);
      expect(await countRows('outbox')).toBeGreaterThanOrEqual(0);
    });

    it('is for patients with declaration:write only', async () => {
      const { doctor, division } = t.owners.addDoctor();
      const q = 'mutation($i: SubmitDeclarationRequestInput!) { submitDeclarationRequest(input: $i) { userErrors { code } } }';
      const i = { i: { doctorId: doctor.id, divisionId: division.id } };
      const p = t.owners.addPerson();
      expect((await t.sg.call(q, i, anonymous())).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await t.sg.call(q, i, doctorCaller(doctor.id))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await t.sg.call(q, i, patientCaller(p.id, { scopes: ['declaration:read'] }))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('signDeclarationRequest', () => {
    it('creates an ACTIVE declaration numbered 0001-XXXX-XXXX for the term, and terminates the previous one in the same transaction', async () => {
      const p = t.owners.addPerson();
      const a = t.owners.addDoctor();
      const b = t.owners.addDoctor({ speciality: 'THERAPIST' });
      const first = await t.declare(p.id, a.doctor.id, a.division.id);
      const req = (await t.submit(p.id, b.doctor.id, b.division.id)).data!.submitDeclarationRequest.declarationRequest!;
      const r = await t.sign(b.doctor.id, req.id);
      const signed = r.data?.signDeclarationRequest.declarationRequest;
      expect(codes(r.data?.signDeclarationRequest)).toEqual([]);
      expect(signed?.status).toBe('SIGNED');
      expect(signed?.declaration).toMatchObject({ status: 'ACTIVE', startDate: today, endDate: addDays(today, 365) });
      expect(signed?.declaration?.number).toMatch(DECLARATION_NUMBER_PATTERN);
      const rows: { id: string; status: string; termination_reason: string | null }[] = await t.sg.dataSource.query(
        'SELECT id, status, termination_reason FROM declarations.declaration WHERE person_id = $1 ORDER BY signed_at',
        [p.id],
      );
      expect(rows).toEqual([
        { id: first, status: 'TERMINATED', termination_reason: 'auto_new_declaration' },
        { id: signed!.declaration!.id, status: 'ACTIVE', termination_reason: null },
      ]);
    });

    it('starts PENDING_VERIFICATION for OFFLINE authentication or no tax number', async () => {
      const { doctor, division } = t.owners.addDoctor();
      for (const p of [t.owners.addPerson({ authenticationMethod: 'OFFLINE' }), t.owners.addPerson({ taxId: null })]) {
        const id = await t.declare(p.id, doctor.id, division.id);
        const [row] = await t.sg.dataSource.query('SELECT status FROM declarations.declaration WHERE id = $1', [id]);
        expect(row.status).toBe('PENDING_VERIFICATION');
      }
    });

    it('ends a pediatrician’s declaration the day before the child turns 18', async () => {
      const kid = t.owners.addPerson({ birthDate: addYears(today, -10), taxId: null, authenticationMethod: 'THIRD_PERSON' });
      const { doctor, division } = t.owners.addDoctor({ speciality: 'PEDIATRICIAN' });
      const req = (await t.submit(kid.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      const r = await t.sign(doctor.id, req.id);
      expect(r.data?.signDeclarationRequest.declarationRequest?.declaration?.endDate).toBe(addDays(addYears(kid.birthDate, 18), -1));
    });

    it('lets only the doctor named in the request sign it', async () => {
      const p = t.owners.addPerson();
      const { doctor, division } = t.owners.addDoctor();
      const other = t.owners.addDoctor();
      const req = (await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      expect((await t.sign(other.doctor.id, req.id)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const asPatient = await t.sg.call(
        'mutation($i: SignDeclarationRequestInput!) { signDeclarationRequest(input: $i) { userErrors { code } } }',
        { i: { id: req.id } },
        patientCaller(p.id),
      );
      expect(asPatient.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const noScope = await t.sg.call(
        'mutation($i: SignDeclarationRequestInput!) { signDeclarationRequest(input: $i) { userErrors { code } } }',
        { i: { id: req.id } },
        doctorCaller(doctor.id, { scopes: ['declaration:read'] }),
      );
      expect(noScope.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const [row] = await t.sg.dataSource.query('SELECT status FROM declarations.declaration_request WHERE id = $1', [req.id]);
      expect(row.status).toBe('APPROVED');
    });

    it('refuses an expired request, a cancelled one, and signing twice', async () => {
      const { doctor, division } = t.owners.addDoctor();
      const p = t.owners.addPerson();
      const expired = (await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      await t.sg.dataSource.query(`UPDATE declarations.declaration_request SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
      expect(codes((await t.sign(doctor.id, expired.id)).data?.signDeclarationRequest)).toEqual(['REQUEST_EXPIRED']);

      const cancelled = (await t.submit(t.owners.addPerson().id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      const owner = (await t.sg.dataSource.query('SELECT person_id FROM declarations.declaration_request WHERE id = $1', [cancelled.id]))[0].person_id;
      await t.cancel(owner, cancelled.id);
      expect(codes((await t.sign(doctor.id, cancelled.id)).data?.signDeclarationRequest)).toEqual(['REQUEST_NOT_APPROVED']);

      const q = t.owners.addPerson();
      const once = (await t.submit(q.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      expect(codes((await t.sign(doctor.id, once.id)).data?.signDeclarationRequest)).toEqual([]);
      const twice = await t.sign(doctor.id, once.id);
      expect(codes(twice.data?.signDeclarationRequest)).toEqual(['REQUEST_NOT_APPROVED']);
      expect(Number((await t.sg.dataSource.query('SELECT count(*) AS n FROM declarations.declaration WHERE person_id = $1', [q.id]))[0].n)).toBe(1);
    });

    it.each([
      ['the doctor was dismissed', (x: Ctx) => void (x.doctor.status = 'DISMISSED'), 'DOCTOR_NOT_ELIGIBLE'],
      ['the division was closed', (x: Ctx) => void (x.division.status = 'INACTIVE'), 'DIVISION_NOT_ACTIVE'],
      ['the legal entity was suspended', (x: Ctx) => void (x.doctor.legalEntity.status = 'SUSPENDED'), 'LEGAL_ENTITY_NOT_ACTIVE'],
      ['the person failed verification', (x: Ctx) => void (x.person.verificationStatus = 'NOT_VERIFIED'), 'PERSON_NOT_VERIFIED'],
      ['the person lost capacity', (x: Ctx) => void (x.person.capabilities.canSubmitDeclaration = false), 'PERSON_NO_CAPACITY'],
      ['the doctor’s limit was lowered', (x: Ctx) => void (x.doctor.declarationLimit = 0), 'DOCTOR_LIMIT_REACHED'],
    ])('checks again at signing: %s', async (_what, change, code) => {
      const person = t.owners.addPerson();
      const { doctor, division } = t.owners.addDoctor();
      const req = (await t.submit(person.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      change({ person, doctor, division });
      const r = await t.sign(doctor.id, req.id);
      expect(codes(r.data?.signDeclarationRequest)).toEqual([code]);
      expect(r.data?.signDeclarationRequest.declarationRequest?.status).toBe('APPROVED');
      expect(Number((await t.sg.dataSource.query('SELECT count(*) AS n FROM declarations.declaration WHERE person_id = $1', [person.id]))[0].n)).toBe(0);
    });

    it('answers DEPENDENCY_UNAVAILABLE when identity is down, and the request stays APPROVED', async () => {
      const p = t.owners.addPerson();
      const { doctor, division } = t.owners.addDoctor();
      const req = (await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      t.owners.down.identity = true;
      try {
        expect((await t.sign(doctor.id, req.id)).errors?.[0].extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
      } finally {
        t.owners.down.identity = false;
      }
      const [row] = await t.sg.dataSource.query('SELECT status FROM declarations.declaration_request WHERE id = $1', [req.id]);
      expect(row.status).toBe('APPROVED');
    });
  });

  describe('rejectDeclarationRequest and cancelDeclarationRequest', () => {
    it('lets the named doctor reject an open request with a reason, and nobody else', async () => {
      const { doctor, division } = t.owners.addDoctor();
      const other = t.owners.addDoctor();
      const req = (await t.submit(t.owners.addPerson().id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      expect((await t.reject(other.doctor.id, req.id)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(codes((await t.reject(doctor.id, req.id, '  ')).data?.rejectDeclarationRequest)).toEqual(['REASON_REQUIRED']);
      const r = await t.reject(doctor.id, req.id, 'Поза зоною обслуговування');
      expect(r.data?.rejectDeclarationRequest.declarationRequest?.status).toBe('REJECTED');
      expect(codes((await t.reject(doctor.id, req.id)).data?.rejectDeclarationRequest)).toEqual(['REQUEST_NOT_OPEN']);
      expect(codes((await t.sign(doctor.id, req.id)).data?.signDeclarationRequest)).toEqual(['REQUEST_NOT_APPROVED']);
    });

    it('lets the patient cancel their own open request, not a signed one and not someone else’s', async () => {
      const { doctor, division } = t.owners.addDoctor();
      const p = t.owners.addPerson();
      const req = (await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      expect((await t.cancel(t.owners.addPerson().id, req.id)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await t.cancel(p.id, req.id)).data?.cancelDeclarationRequest.declarationRequest?.status).toBe('CANCELLED');
      expect(codes((await t.cancel(p.id, req.id)).data?.cancelDeclarationRequest)).toEqual(['REQUEST_NOT_OPEN']);

      const signed = (await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
      await t.sign(doctor.id, signed.id);
      const r = await t.cancel(p.id, signed.id);
      expect(codes(r.data?.cancelDeclarationRequest)).toEqual(['REQUEST_NOT_OPEN']);
      expect(r.data?.cancelDeclarationRequest.declarationRequest?.status).toBe('SIGNED');
      expect(codes((await t.cancel(p.id, '00000000-0000-4000-8000-000000000000')).data?.cancelDeclarationRequest)).toEqual(['REQUEST_NOT_FOUND']);
    });
  });

  describe('terminateDeclaration', () => {
    it('lets the patient end their own current declaration with manual_person, once', async () => {
      const p = t.owners.addPerson();
      const { doctor, division } = t.owners.addDoctor();
      const id = await t.declare(p.id, doctor.id, division.id);
      expect((await t.terminate(t.owners.addPerson().id, id)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(codes((await t.terminate(p.id, id, 'moved away')).data?.terminateDeclaration)).toEqual(['INVALID_TERMINATION_REASON']);
      const r = await t.terminate(p.id, id, 'manual_person');
      expect(r.data?.terminateDeclaration.declaration).toEqual({ id, status: 'TERMINATED', terminationReason: 'manual_person' });
      expect(codes((await t.terminate(p.id, id)).data?.terminateDeclaration)).toEqual(['DECLARATION_NOT_ACTIVE']);
    });

    it('needs capacity, read from identity', async () => {
      const p = t.owners.addPerson();
      const { doctor, division } = t.owners.addDoctor();
      const id = await t.declare(p.id, doctor.id, division.id);
      p.capabilities.canSubmitDeclaration = false;
      expect((await t.terminate(p.id, id)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const [row] = await t.sg.dataSource.query('SELECT status FROM declarations.declaration WHERE id = $1', [id]);
      expect(row.status).toBe('ACTIVE');
    });
  });
});

type Ctx = {
  person: import('./support/fakeOwners').FakePerson;
  doctor: import('./support/fakeOwners').FakeDoctor;
  division: import('./support/fakeOwners').FakeDivision;
};
