import { addDays, todayIn } from '@pc/calendar';
import { PRESCRIPTION_NUMBER_PATTERN } from '../src/domain/prescriptionNumber';
import { AFFORDABLE, COVERED, callers, codes, startPrescriptions, type PrescriptionsUnderTest } from './support/startPrescriptions';

// Every rule of docs/prescriptions.md through the subgraph's GraphQL API on a real database, with
// the owners (identity, directory, declarations) as real HTTP stand-ins.
describe('prescriptions: create, reject, dispense', () => {
  let t: PrescriptionsUnderTest;
  const today = todayIn('Europe/Kyiv');
  const count = async (table: string) => Number((await t.sg.dataSource.query(`SELECT count(*) AS n FROM prescriptions.${table}`))[0].n);
  const covered = { inn: COVERED.inn, dosageForm: COVERED.dosageForm, strength: COVERED.strength };

  beforeAll(async () => {
    t = await startPrescriptions();
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('createPrescription', () => {
    it('creates an ACTIVE prescription with a random number, a 4-digit code and 30 days of validity, reading the owners as a SERVICE', async () => {
      const s = t.scenario();
      t.owners.entityCallers.length = 0;
      const r = await t.create(s.doctorId, s.input);
      expect(r.errors).toBeUndefined();
      const p = r.data!.createPrescription.prescription!;
      expect(codes(r.data!.createPrescription)).toEqual([]);
      expect(p).toMatchObject({
        status: 'ACTIVE',
        validFrom: today,
        validTo: addDays(today, 29),
        quantity: 2,
        medication: { inn: 'Amoxicillin' },
        program: null,
        dispenses: [],
      });
      expect(p.number).toMatch(PRESCRIPTION_NUMBER_PATTERN);
      // The doctor does not see the code; it is stored for the person.
      expect(p.verificationCode).toBeNull();
      const [row] = await t.sg.dataSource.query('SELECT verification_code, prescriber_id, legal_entity_id FROM prescriptions.prescription WHERE id = $1', [
        p.id,
      ]);
      expect(row.verification_code).toMatch(/^\d{4}$/);
      expect(row.prescriber_id).toBe(s.doctorId);
      expect(row.legal_entity_id).toBe(t.owners.doctors.get(s.doctorId)!.legalEntity.id);
      expect(t.owners.entityCallers.length).toBeGreaterThan(0);
      expect(t.owners.entityCallers.every((c) => c.roles.includes('SERVICE') && c.subject === 'prescriptions')).toBe(true);
    });

    it('accepts a medication written in another letter case, and a start date within 7 days', async () => {
      const s = t.scenario({ medication: { inn: 'amoxicillin', dosageForm: 'capsule', strength: '500 MG' }, validFrom: addDays(today, 7) });
      const r = await t.create(s.doctorId, s.input);
      expect(codes(r.data?.createPrescription)).toEqual([]);
      expect(r.data!.createPrescription.prescription).toMatchObject({ validFrom: addDays(today, 7), validTo: addDays(today, 36) });
    });

    it.each([
      ['an unknown medication', { medication: { inn: 'Unobtainium', dosageForm: 'TABLET', strength: '1 mg' } }, 'MEDICATION_NOT_FOUND'],
      ['quantity 0', { quantity: 0 }, 'QUANTITY_INVALID'],
      ['more than the catalogue allows', { quantity: 4 }, 'QUANTITY_INVALID'],
      ['an empty dosage instruction', { dosageInstruction: '  ' }, 'DOSAGE_INSTRUCTION_INVALID'],
      ['a start date in the past', { validFrom: addDays(today, -1) }, 'VALID_FROM_INVALID'],
      ['a start date 8 days ahead', { validFrom: addDays(today, 8) }, 'VALID_FROM_INVALID'],
      ['an unknown program', { programId: '00000000-0000-4000-8000-000000000000' }, 'PROGRAM_NOT_FOUND'],
      ['a medication the program does not cover', { programId: AFFORDABLE }, 'MEDICATION_NOT_IN_PROGRAM'],
      ['a malformed person id', { personId: 'x' }, 'PERSON_NOT_FOUND'],
    ])('refuses %s and writes nothing', async (_what, over, code) => {
      const s = t.scenario(over);
      const before = await count('prescription');
      const r = await t.create(s.doctorId, s.input);
      expect(r.errors).toBeUndefined();
      expect(codes(r.data?.createPrescription)).toEqual([code]);
      expect(r.data!.createPrescription.prescription).toBeNull();
      expect(await count('prescription')).toBe(before);
    });

    it('refuses a person identity does not know, or whose record is not VERIFIED', async () => {
      const s = t.scenario();
      const unknown = await t.create(s.doctorId, { ...s.input, personId: '00000000-0000-4000-8000-000000000001' });
      expect(codes(unknown.data?.createPrescription)).toEqual(['PERSON_NOT_FOUND']);
      t.owners.persons.get(s.personId)!.verificationStatus = 'IN_REVIEW';
      const unverified = await t.create(s.doctorId, s.input);
      expect(codes(unverified.data?.createPrescription)).toEqual(['PERSON_NOT_VERIFIED']);
    });

    it('refuses a doctor who is not APPROVED, at an inactive legal entity, or another provider’s division', async () => {
      const dismissed = t.scenario();
      t.owners.doctors.get(dismissed.doctorId)!.status = 'DISMISSED';
      expect(codes((await t.create(dismissed.doctorId, dismissed.input)).data?.createPrescription)).toEqual(['DOCTOR_NOT_ELIGIBLE']);
      const suspended = t.scenario();
      t.owners.doctors.get(suspended.doctorId)!.legalEntity.status = 'SUSPENDED';
      expect(codes((await t.create(suspended.doctorId, suspended.input)).data?.createPrescription)).toEqual(['DOCTOR_NOT_ELIGIBLE']);
      const elsewhere = t.scenario();
      const other = t.owners.addDoctor();
      expect(codes((await t.create(elsewhere.doctorId, { ...elsewhere.input, divisionId: other.division.id })).data?.createPrescription)).toEqual([
        'DIVISION_NOT_ELIGIBLE',
      ]);
      const inactive = t.scenario();
      t.owners.divisions.get(inactive.divisionId)!.status = 'INACTIVE';
      expect(codes((await t.create(inactive.doctorId, inactive.input)).data?.createPrescription)).toEqual(['DIVISION_NOT_ELIGIBLE']);
    });

    it('needs, for a reimbursement program, the person’s ACTIVE declaration with this doctor', async () => {
      const s = t.scenario({ medication: covered, programId: AFFORDABLE });
      expect(codes((await t.create(s.doctorId, s.input)).data?.createPrescription)).toEqual(['NO_ACTIVE_DECLARATION']);
      const someoneElse = t.owners.addDoctor();
      t.owners.declarations.set(s.personId, { status: 'ACTIVE', doctorId: someoneElse.doctor.id });
      expect(codes((await t.create(s.doctorId, s.input)).data?.createPrescription)).toEqual(['NO_ACTIVE_DECLARATION']);
      t.owners.declarations.set(s.personId, { status: 'PENDING_VERIFICATION', doctorId: s.doctorId });
      expect(codes((await t.create(s.doctorId, s.input)).data?.createPrescription)).toEqual(['NO_ACTIVE_DECLARATION']);
      t.owners.declarations.set(s.personId, { status: 'ACTIVE', doctorId: s.doctorId });
      const ok = await t.create(s.doctorId, s.input);
      expect(codes(ok.data?.createPrescription)).toEqual([]);
      expect(ok.data!.createPrescription.prescription!.program).toEqual({ name: 'Доступні ліки' });
    });

    it('is for doctors holding prescription:write only', async () => {
      const s = t.scenario();
      const before = await count('prescription');
      const asPatient = await t.create(s.doctorId, s.input, callers.patient(s.personId, ['prescription:read', 'prescription:write']));
      const noScope = await t.create(s.doctorId, s.input, callers.doctor(s.doctorId, ['declaration:sign']));
      const asPharmacist = await t.create(s.doctorId, s.input, callers.pharmacist());
      for (const r of [asPatient, noScope, asPharmacist]) expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await count('prescription')).toBe(before);
    });

    it('fails with DEPENDENCY_UNAVAILABLE and writes nothing while an owner is down', async () => {
      const s = t.scenario({ medication: covered, programId: AFFORDABLE });
      t.owners.declarations.set(s.personId, { status: 'ACTIVE', doctorId: s.doctorId });
      const before = await count('prescription');
      for (const key of ['identity', 'directory', 'declarations'] as const) {
        t.owners.down[key] = true;
        try {
          const r = await t.create(s.doctorId, s.input);
          expect(r.errors?.[0].extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
        } finally {
          t.owners.down[key] = false;
        }
      }
      expect(await count('prescription')).toBe(before);
    });
  });

  it('costs a fixed number of statements per mutation, its payload with dispenses included (create 4, reject 4, dispense 7)', async () => {
    const s = t.scenario();
    const create = await t.sg.counter.measure(() => t.create(s.doctorId, s.input));
    const p = create.result.data!.createPrescription.prescription!;
    const [{ code }] = await t.sg.dataSource.query('SELECT verification_code AS code FROM prescriptions.prescription WHERE id = $1', [p.id]);
    const dispense = await t.sg.counter.measure(() => t.dispense(p.number, code, 1));
    expect(codes(dispense.result.data?.dispensePrescription)).toEqual([]);
    const reject = await t.sg.counter.measure(() => t.reject(s.doctorId, p.id));
    expect(codes(reject.result.data?.rejectPrescription)).toEqual([]);
    expect({ create: create.statements, reject: reject.statements, dispense: dispense.statements }).toEqual({ create: 4, reject: 4, dispense: 7 });
  });

  describe('rejectPrescription', () => {
    it('lets the prescriber withdraw their ACTIVE prescription with a reason, once', async () => {
      const p = await t.prescribe();
      const r = await t.reject(p.doctorId, p.id, 'Алергія');
      expect(codes(r.data?.rejectPrescription)).toEqual([]);
      expect(r.data!.rejectPrescription.prescription).toMatchObject({ status: 'REJECTED', rejectionReason: 'Алергія' });
      const again = await t.reject(p.doctorId, p.id);
      expect(codes(again.data?.rejectPrescription)).toEqual(['PRESCRIPTION_NOT_ACTIVE']);
      expect(again.data!.rejectPrescription.prescription!.rejectionReason).toBe('Алергія');
    });

    it('refuses another doctor, an empty reason and an unknown id', async () => {
      const p = await t.prescribe();
      const other = t.owners.addDoctor();
      expect((await t.reject(other.doctor.id, p.id)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(codes((await t.reject(p.doctorId, p.id, ' ')).data?.rejectPrescription)).toEqual(['REASON_REQUIRED']);
      expect(codes((await t.reject(p.doctorId, '00000000-0000-4000-8000-000000000002')).data?.rejectPrescription)).toEqual(['PRESCRIPTION_NOT_FOUND']);
      const [row] = await t.sg.dataSource.query('SELECT status FROM prescriptions.prescription WHERE id = $1', [p.id]);
      expect(row.status).toBe('ACTIVE');
    });
  });

  describe('dispensePrescription', () => {
    const state = async (id: string) =>
      (
        await t.sg.dataSource.query(
          'SELECT status, dispensed_quantity AS dispensed, (SELECT count(*)::int FROM prescriptions.dispense d WHERE d.prescription_id = p.id) AS dispenses FROM prescriptions.prescription p WHERE id = $1',
          [id],
        )
      )[0];

    it('dispenses part, then the rest (COMPLETED), recording the pharmacy and the reimbursed amount', async () => {
      const p = await t.prescribe({ medication: covered, programId: AFFORDABLE, quantity: 3 });
      const first = await t.dispense(p.number, p.code, 1);
      expect(codes(first.data?.dispensePrescription)).toEqual([]);
      expect(first.data!.dispensePrescription.prescription).toMatchObject({
        status: 'ACTIVE',
        verificationCode: null,
        dispenses: [{ quantity: 1, reimbursedAmount: COVERED.reimbursement, pharmacy: { name: 'Аптека «Подорожник» №12' } }],
      });
      const rest = await t.dispense(p.number, p.code, 2);
      expect(rest.data!.dispensePrescription.prescription!.status).toBe('COMPLETED');
      expect(rest.data!.dispensePrescription.prescription!.dispenses.map((d) => d.reimbursedAmount)).toEqual([
        COVERED.reimbursement,
        COVERED.reimbursement! * 2,
      ]);
      expect(await state(p.id)).toEqual({ status: 'COMPLETED', dispensed: 3, dispenses: 2 });
    });

    it('reads the number as typed: lower case, Cyrillic look-alikes, spaces', async () => {
      const p = await t.prescribe();
      const cyrillic = p.number.toLowerCase().replace(/a/g, 'а').replace(/e/g, 'е').replace(/-/, ' - ');
      const r = await t.dispense(cyrillic, p.code, 1);
      expect(codes(r.data?.dispensePrescription)).toEqual([]);
    });

    it('refuses a wrong code without telling anything about the prescription, and changes nothing', async () => {
      const p = await t.prescribe();
      const wrong = String((Number(p.code) + 1) % 10_000).padStart(4, '0');
      for (const code of [wrong, '', p.code + '0']) {
        const r = await t.dispense(p.number, code, 1);
        expect(codes(r.data?.dispensePrescription)).toEqual(['VERIFICATION_CODE_INVALID']);
        expect(r.data!.dispensePrescription.prescription).toBeNull();
      }
      expect(codes((await t.dispense('0000-0000-0000', p.code, 1)).data?.dispensePrescription)).toEqual(['PRESCRIPTION_NOT_FOUND']);
      expect(codes((await t.dispense('not a number', p.code, 1)).data?.dispensePrescription)).toEqual(['PRESCRIPTION_NOT_FOUND']);
      expect(await state(p.id)).toEqual({ status: 'ACTIVE', dispensed: 0, dispenses: 0 });
    });

    it('refuses the code, the right one too, for an hour after 5 wrong ones in a row; a right one before that starts the count again', async () => {
      const p = await t.prescribe({ quantity: 3 });
      const wrong = String((Number(p.code) + 1) % 10_000).padStart(4, '0');
      const attempt = async (code: string, quantity = 1) => codes((await t.dispense(p.number, code, quantity)).data?.dispensePrescription);
      for (let i = 0; i < 4; i++) expect(await attempt(wrong)).toEqual(['VERIFICATION_CODE_INVALID']);
      expect(await attempt(p.code)).toEqual([]);
      for (let i = 0; i < 4; i++) expect(await attempt(wrong)).toEqual(['VERIFICATION_CODE_INVALID']);
      expect(await attempt(wrong)).toEqual(['VERIFICATION_LOCKED']);
      expect(await attempt(p.code)).toEqual(['VERIFICATION_LOCKED']);
      const [row] = await t.sg.dataSource.query(
        `SELECT dispensed_quantity AS dispensed, code_failures AS failures, round(extract(epoch FROM code_locked_until - now()) / 60) AS minutes
         FROM prescriptions.prescription WHERE id = $1`,
        [p.id],
      );
      expect(row).toEqual({ dispensed: 1, failures: 0, minutes: '60' });
      // An hour later the right code works again.
      await t.sg.dataSource.query(`UPDATE prescriptions.prescription SET code_locked_until = now() - interval '1 second' WHERE id = $1`, [p.id]);
      expect(await attempt(p.code, 2)).toEqual([]);
    });

    it('refuses more than is left, a quantity below 1, a completed, an expired, a not-yet-valid and a rejected prescription; nothing changes', async () => {
      const p = await t.prescribe({ quantity: 2 });
      expect(codes((await t.dispense(p.number, p.code, 3)).data?.dispensePrescription)).toEqual(['QUANTITY_EXCEEDS_REMAINING']);
      expect(codes((await t.dispense(p.number, p.code, 0)).data?.dispensePrescription)).toEqual(['QUANTITY_INVALID']);
      expect(await state(p.id)).toEqual({ status: 'ACTIVE', dispensed: 0, dispenses: 0 });
      await t.dispense(p.number, p.code, 2);
      const done = await t.dispense(p.number, p.code, 1);
      expect(codes(done.data?.dispensePrescription)).toEqual(['PRESCRIPTION_COMPLETED']);
      expect(done.data!.dispensePrescription.prescription!.status).toBe('COMPLETED');
      expect(await state(p.id)).toEqual({ status: 'COMPLETED', dispensed: 2, dispenses: 1 });

      // Past its last day but not yet moved by the job: expired all the same.
      const late = await t.prescribe();
      await t.sg.dataSource.query(`UPDATE prescriptions.prescription SET valid_from = $2, valid_to = $3 WHERE id = $1`, [
        late.id,
        addDays(today, -30),
        addDays(today, -1),
      ]);
      expect(codes((await t.dispense(late.number, late.code, 1)).data?.dispensePrescription)).toEqual(['PRESCRIPTION_EXPIRED']);
      const early = await t.prescribe({ validFrom: addDays(today, 2) });
      expect(codes((await t.dispense(early.number, early.code, 1)).data?.dispensePrescription)).toEqual(['PRESCRIPTION_NOT_YET_VALID']);
      const rejected = await t.prescribe();
      await t.reject(rejected.doctorId, rejected.id);
      expect(codes((await t.dispense(rejected.number, rejected.code, 1)).data?.dispensePrescription)).toEqual(['PRESCRIPTION_NOT_ACTIVE']);
      for (const x of [late, early, rejected]) expect((await state(x.id)).dispenses).toBe(0);
    });

    it('is for registered pharmacists holding prescription:dispense only', async () => {
      const p = await t.prescribe();
      const refused = [
        await t.dispense(p.number, p.code, 1, callers.patient(p.personId, ['prescription:read', 'prescription:dispense'])),
        await t.dispense(p.number, p.code, 1, callers.doctor(p.doctorId, ['prescription:write', 'prescription:dispense'])),
        await t.dispense(p.number, p.code, 1, callers.pharmacist(undefined, ['prescription:read'])),
        await t.dispense(p.number, p.code, 1, callers.pharmacist('00000000-0000-4000-8000-000000000003')),
      ];
      for (const r of refused) expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await state(p.id)).toEqual({ status: 'ACTIVE', dispensed: 0, dispenses: 0 });
    });
  });
});
