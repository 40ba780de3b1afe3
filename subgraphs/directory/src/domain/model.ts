/**
 * Value types of the directory shared by entities, services and resolvers: the enums of the
 * public schema (generated, or string unions with arrays where code checks them at run time) and
 * the shapes kept in jsonb.
 *
 * @packageDocumentation
 */
import type { SpecialityLevel } from '../generated/graphql';

/** Enums of the public schema, generated from schema.graphql (npm run codegen). */
export type { DivisionStatus, DivisionType, DoctorStatus, LegalEntityStatus, LegalEntityType, SpecialityLevel } from '../generated/graphql';

/** All values of {@link Speciality}. */
export const SPECIALITIES = ['FAMILY_DOCTOR', 'THERAPIST', 'PEDIATRICIAN'] as const;
/** Specialities that may hold declarations (domain.md). */
export type Speciality = (typeof SPECIALITIES)[number];

/** State (communal) or private ownership. */
export type OwnerPropertyType = 'STATE' | 'PRIVATE';
/** Gender. */
export type Gender = 'MALE' | 'FEMALE';
/** Kind of settlement. */
export type SettlementType = 'CITY' | 'TOWNSHIP' | 'VILLAGE' | 'SETTLEMENT';

/** All values of {@link Weekday}, Monday first (the Ukrainian week). */
export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Reception hours of one weekday (jsonb element of `division.working_hours`). */
export interface WorkingHoursDay {
  day: Weekday;
  /** `HH:MM` pairs in order, each end after its start. */
  intervals: { start: string; end: string }[];
}

/** A contact phone (jsonb element). */
export interface ContactPhone {
  type: 'MOBILE' | 'LAND_LINE';
  /** `+38` and ten digits. */
  number: string;
}

/** A postal address as the public `Address` type shows it. */
export interface PostalAddress {
  type: 'RESIDENCE' | 'REGISTRATION';
  country: string;
  area: string;
  region: string | null;
  settlement: string;
  settlementType: SettlementType;
  /** Code in the state register of settlements (КАТОТТГ); the directory has none yet. */
  settlementId?: string | null;
  streetType: string | null;
  street: string | null;
  building: string | null;
  apartment: string | null;
  zip: string | null;
}

/** One of a doctor's specialities (jsonb element of `doctor.specialities`). */
export interface DoctorSpecialityEntry {
  speciality: Speciality;
  level: SpecialityLevel;
  /** Exactly one entry is main; it equals `doctor.speciality`. */
  main: boolean;
  attestationYear: number | null;
}

/** A medical diploma (jsonb element of `doctor.education`). */
export interface EducationEntry {
  institution: string;
  city: string | null;
  degree: string;
  speciality: string;
  graduationYear: number;
}

/** A postgraduate qualification (jsonb element of `doctor.qualifications`). */
export interface QualificationEntry {
  type: string;
  institution: string;
  speciality: string;
  year: number;
}
