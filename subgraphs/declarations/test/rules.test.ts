import {
  checkEligibility,
  declarationPeriod,
  doctorLimit,
  fitsAge,
  hasRoom,
  initialDeclarationStatus,
  type DivisionFacts,
  type DoctorFacts,
  type PersonFacts,
  type RuleSettings,
} from '../src/domain/rules';

const settings: RuleSettings = { adultAge: 18, termDays: 365, defaultLimits: { FAMILY_DOCTOR: 1800, THERAPIST: 2000, PEDIATRICIAN: 900 } };
const fields = { doctor: ['input', 'doctorId'], division: ['input', 'divisionId'], person: ['input'] };
const today = '2026-06-15';
const person: PersonFacts = {
  id: 'p',
  firstName: 'Олена',
  lastName: 'Коваленко',
  birthDate: '1985-04-12',
  verificationStatus: 'VERIFIED',
  authenticationMethod: 'OTP',
  taxId: '3118312345',
  canSubmitDeclaration: true,
};
const doctor: DoctorFacts = {
  id: 'd',
  status: 'APPROVED',
  speciality: 'FAMILY_DOCTOR',
  declarationLimit: 1800,
  legalEntity: { id: 'le', status: 'ACTIVE', type: 'PRIMARY_CARE' },
};
const division: DivisionFacts = { id: 'v', status: 'ACTIVE', legalEntityId: 'le' };
const check = (over: { person?: Partial<PersonFacts>; doctor?: Partial<DoctorFacts> | null; division?: Partial<DivisionFacts> | null }) =>
  checkEligibility(
    {
      person: { ...person, ...over.person },
      doctor: over.doctor === null ? null : { ...doctor, ...over.doctor },
      division: over.division === null ? null : { ...division, ...over.division },
      today,
    },
    settings,
    fields,
  ).map((e) => e.code);

describe('declaration rules', () => {
  it('passes a valid declaration', () => {
    expect(check({})).toEqual([]);
  });

  it.each([
    [{ doctor: { status: 'NEW' } }, 'DOCTOR_NOT_ELIGIBLE'],
    [{ doctor: { status: 'DISMISSED' } }, 'DOCTOR_NOT_ELIGIBLE'],
    [{ doctor: { speciality: 'SURGEON' } }, 'DOCTOR_NOT_ELIGIBLE'],
    [{ doctor: { speciality: null } }, 'DOCTOR_NOT_ELIGIBLE'],
    [{ doctor: null }, 'DOCTOR_NOT_FOUND'],
    [{ doctor: { legalEntity: { id: 'le', status: 'CLOSED', type: 'PRIMARY_CARE' } } }, 'LEGAL_ENTITY_NOT_ACTIVE'],
    [{ doctor: { legalEntity: { id: 'le', status: 'ACTIVE', type: 'PHARMACY' } } }, 'LEGAL_ENTITY_TYPE_NOT_ALLOWED'],
    [{ division: { status: 'INACTIVE' } }, 'DIVISION_NOT_ACTIVE'],
    [{ division: { legalEntityId: 'elsewhere' } }, 'DIVISION_NOT_IN_LEGAL_ENTITY'],
    [{ division: null }, 'DIVISION_NOT_FOUND'],
    [{ person: { verificationStatus: 'NOT_VERIFIED' } }, 'PERSON_NOT_VERIFIED'],
    [{ doctor: { speciality: 'PEDIATRICIAN' } }, 'AGE_RULE'],
  ])('refuses %j with %s', (over, code) => {
    expect(check(over as never)).toEqual([code]);
  });

  it('reports every problem at once', () => {
    expect(check({ doctor: { status: 'DISMISSED' }, division: { status: 'INACTIVE' }, person: { verificationStatus: 'NOT_VERIFIED' } })).toEqual([
      'DOCTOR_NOT_ELIGIBLE',
      'DIVISION_NOT_ACTIVE',
      'PERSON_NOT_VERIFIED',
    ]);
  });

  it('accepts MSP legal entities and any verification status but NOT_VERIFIED', () => {
    expect(check({ doctor: { legalEntity: { id: 'le', status: 'ACTIVE', type: 'MSP' } } })).toEqual([]);
    for (const s of ['VERIFICATION_NEEDED', 'IN_REVIEW', 'VERIFIED', 'CHANGES_NEEDED']) expect(check({ person: { verificationStatus: s } })).toEqual([]);
  });

  it('applies the age rule on the birthday boundary', () => {
    expect(fitsAge('THERAPIST', '2008-06-15', today, 18)).toBe(true); // 18 today
    expect(fitsAge('THERAPIST', '2008-06-16', today, 18)).toBe(false); // 18 tomorrow
    expect(fitsAge('PEDIATRICIAN', '2008-06-16', today, 18)).toBe(true);
    expect(fitsAge('PEDIATRICIAN', '2008-06-15', today, 18)).toBe(false);
    expect(fitsAge('FAMILY_DOCTOR', '2026-06-01', today, 18)).toBe(true);
    expect(fitsAge('FAMILY_DOCTOR', '1930-01-01', today, 18)).toBe(true);
  });

  it('takes the doctor record’s limit, else the speciality default', () => {
    expect(doctorLimit({ ...doctor, declarationLimit: 5 }, settings)).toBe(5);
    expect(doctorLimit({ ...doctor, speciality: 'PEDIATRICIAN', declarationLimit: null }, settings)).toBe(900);
    expect(doctorLimit({ ...doctor, speciality: 'THERAPIST', declarationLimit: null }, settings)).toBe(2000);
    expect(hasRoom(1799, 1800)).toBe(true);
    expect(hasRoom(1800, 1800)).toBe(false);
  });

  it('runs a declaration for the term, a pediatrician’s until the day before the child turns 18', () => {
    expect(declarationPeriod('FAMILY_DOCTOR', '1985-04-12', today, settings)).toEqual({ startDate: today, endDate: '2027-06-15' });
    expect(declarationPeriod('PEDIATRICIAN', '2016-02-29', today, settings)).toEqual({ startDate: today, endDate: '2034-02-27' });
    expect(declarationPeriod('PEDIATRICIAN', '2008-06-16', today, settings)).toEqual({ startDate: today, endDate: today });
  });

  it('starts PENDING_VERIFICATION for OFFLINE authentication or without a tax number', () => {
    expect(initialDeclarationStatus({ authenticationMethod: 'OTP', taxId: '1' })).toBe('ACTIVE');
    expect(initialDeclarationStatus({ authenticationMethod: 'THIRD_PERSON', taxId: '1' })).toBe('ACTIVE');
    expect(initialDeclarationStatus({ authenticationMethod: 'OFFLINE', taxId: '1' })).toBe('PENDING_VERIFICATION');
    expect(initialDeclarationStatus({ authenticationMethod: 'OTP', taxId: null })).toBe('PENDING_VERIFICATION');
  });
});
