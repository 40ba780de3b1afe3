/**
 * The declaration rules of docs/domain.md as pure functions: no I/O, no clock ("today" is an
 * argument), so each rule is a unit test away. The services feed them what the owner
 * subgraphs said about the person, the doctor and the division.
 */
import { addDays, addYears, ageOn } from '@pc/calendar';
import type { UserError } from '@pc/errors';
import { DeclarationCode, declarationError } from './codes';

/** Specialities that may hold declarations. */
const DECLARATION_SPECIALITIES = ['FAMILY_DOCTOR', 'THERAPIST', 'PEDIATRICIAN'] as const;
/** One of {@link DECLARATION_SPECIALITIES}. */
export type DeclarationSpeciality = (typeof DECLARATION_SPECIALITIES)[number];
/** Legal entity types that provide primary care. */
const PRIMARY_CARE_TYPES = ['PRIMARY_CARE', 'MSP'];

/** What identity says about the person (read through its `_entities`). */
export interface PersonFacts {
  id: string;
  firstName: string | null;
  lastName: string | null;
  birthDate: string;
  verificationStatus: string;
  authenticationMethod: string | null;
  taxId: string | null;
  /** capabilities.canSubmitDeclaration: the person may act on declarations alone. */
  canSubmitDeclaration: boolean;
}

/** What the directory says about the doctor. */
export interface DoctorFacts {
  id: string;
  status: string;
  speciality: string | null;
  /** The record's limit; authoritative when present. */
  declarationLimit: number | null;
  legalEntity: { id: string; status: string; type: string } | null;
}

/** What the directory says about the division. */
export interface DivisionFacts {
  id: string;
  status: string;
  legalEntityId: string | null;
}

/** The configured numbers the rules use. */
export interface RuleSettings {
  adultAge: number;
  termDays: number;
  /** Fallback limits by speciality. */
  defaultLimits: Record<DeclarationSpeciality, number>;
}

/** Paths the errors point at: the submission names doctor and division, signing only the request. */
export interface ErrorFields {
  doctor: string[];
  division: string[];
  person: string[];
}

const isDeclarationSpeciality = (s: string | null): s is DeclarationSpeciality => s !== null && (DECLARATION_SPECIALITIES as readonly string[]).includes(s);

/**
 * Every static check of a declaration between `person` and `doctor` at `division` on `today`:
 * doctor eligibility, employer, division, the age rule and verification. The doctor's limit
 * and capacity are checked elsewhere (the limit needs the database under a lock; capacity is
 * a FORBIDDEN for the acting patient but a user error for the signing doctor).
 *
 * @returns every problem at once (empty when the declaration may go ahead)
 */
export function checkEligibility(
  facts: { person: PersonFacts; doctor: DoctorFacts | null; division: DivisionFacts | null; today: string },
  settings: RuleSettings,
  fields: ErrorFields,
): UserError[] {
  const { person, doctor, division, today } = facts;
  const errors: UserError[] = [];
  if (!doctor) {
    errors.push(declarationError(DeclarationCode.DOCTOR_NOT_FOUND, fields.doctor));
  } else {
    if (doctor.status !== 'APPROVED' || !isDeclarationSpeciality(doctor.speciality)) {
      errors.push(declarationError(DeclarationCode.DOCTOR_NOT_ELIGIBLE, fields.doctor));
    } else if (!fitsAge(doctor.speciality, person.birthDate, today, settings.adultAge)) {
      errors.push(declarationError(DeclarationCode.AGE_RULE, fields.doctor));
    }
    if (!doctor.legalEntity || doctor.legalEntity.status !== 'ACTIVE') {
      errors.push(declarationError(DeclarationCode.LEGAL_ENTITY_NOT_ACTIVE, fields.doctor));
    } else if (!PRIMARY_CARE_TYPES.includes(doctor.legalEntity.type)) {
      errors.push(declarationError(DeclarationCode.LEGAL_ENTITY_TYPE_NOT_ALLOWED, fields.doctor));
    }
  }
  if (!division) {
    errors.push(declarationError(DeclarationCode.DIVISION_NOT_FOUND, fields.division));
  } else {
    if (division.status !== 'ACTIVE') errors.push(declarationError(DeclarationCode.DIVISION_NOT_ACTIVE, fields.division));
    if (doctor?.legalEntity && division.legalEntityId !== doctor.legalEntity.id) {
      errors.push(declarationError(DeclarationCode.DIVISION_NOT_IN_LEGAL_ENTITY, fields.division));
    }
  }
  if (person.verificationStatus === 'NOT_VERIFIED') errors.push(declarationError(DeclarationCode.PERSON_NOT_VERIFIED, fields.person));
  return errors;
}

/**
 * The age rule: a family doctor takes anyone, a therapist adults (`adultAge` and older), a
 * pediatrician children (younger than `adultAge`).
 */
export function fitsAge(speciality: DeclarationSpeciality, birthDate: string, today: string, adultAge: number): boolean {
  const age = ageOn(birthDate, today);
  if (speciality === 'THERAPIST') return age >= adultAge;
  if (speciality === 'PEDIATRICIAN') return age < adultAge;
  return true;
}

/** The doctor's limit: the record's own when it has one, else the configured default of the speciality. */
export function doctorLimit(doctor: DoctorFacts, settings: RuleSettings): number {
  if (doctor.declarationLimit !== null && doctor.declarationLimit !== undefined) return doctor.declarationLimit;
  return isDeclarationSpeciality(doctor.speciality) ? settings.defaultLimits[doctor.speciality] : 0;
}

/**
 * Whether one more patient fits: the places already taken by other patients (declarations
 * held plus approved requests) must stay below the limit.
 */
export const hasRoom = (placesTakenByOthers: number, limit: number): boolean => placesTakenByOthers < limit;

/**
 * Start and end of a declaration signed on `today`: the configured term, except that a
 * pediatrician's declaration runs until the day before the child comes of age.
 */
export function declarationPeriod(
  speciality: string,
  birthDate: string,
  today: string,
  settings: Pick<RuleSettings, 'adultAge' | 'termDays'>,
): { startDate: string; endDate: string } {
  const endDate = speciality === 'PEDIATRICIAN' ? addDays(addYears(birthDate, settings.adultAge), -1) : addDays(today, settings.termDays);
  return { startDate: today, endDate };
}

/**
 * The status a newly signed declaration starts in: identity checked only from document scans
 * (OFFLINE) or a person without a tax number needs verification first.
 */
export function initialDeclarationStatus(person: Pick<PersonFacts, 'authenticationMethod' | 'taxId'>): 'ACTIVE' | 'PENDING_VERIFICATION' {
  return person.authenticationMethod === 'OFFLINE' || !person.taxId ? 'PENDING_VERIFICATION' : 'ACTIVE';
}
