import { bool, num, str, url } from '@pc/config';
import { subgraphSettings, type SubgraphConfig } from '@pc/server';

/**
 * The declarations subgraph's settings, declared once. The numbers of the domain rules are
 * *config* in the real eHealth system too (docs/domain.md), so they live here rather than in the code.
 */
export const declarationsSpec = subgraphSettings(4002, {
  /** The identity subgraph (owner of the person's birth date, verification, capacity). */
  IDENTITY_URL: url({ default: 'http://127.0.0.1:4001/graphql' }),
  /** The directory subgraph (owner of the doctor's speciality, limit, employer, divisions). */
  DIRECTORY_URL: url({ default: 'http://127.0.0.1:4003/graphql' }),
  /** How long a read from an owner subgraph may take before the mutation fails with DEPENDENCY_UNAVAILABLE. */
  OWNER_TIMEOUT_MS: num({ default: 3000 }),
  /** `declaration_request_expiration`: an APPROVED request not signed within it becomes EXPIRED. */
  DECLARATION_REQUEST_EXPIRATION_HOURS: num({ default: 24 }),
  /** `declaration_term`: days from the start date to the end date (a pediatrician's: until the day before 18). */
  DECLARATION_TERM_DAYS: num({ default: 365 }),
  /** Age of majority: THERAPIST from it, PEDIATRICIAN below it. */
  ADULT_AGE: num({ default: 18 }),
  /** Limits by speciality, used only when the doctor's record carries none (the record is authoritative). */
  DECLARATION_LIMIT_FAMILY_DOCTOR: num({ default: 1800 }),
  DECLARATION_LIMIT_THERAPIST: num({ default: 2000 }),
  DECLARATION_LIMIT_PEDIATRICIAN: num({ default: 900 }),
  /** The calendar of start and end dates and ages (eHealth is a Ukrainian system). */
  TIME_ZONE: str({ default: 'Europe/Kyiv' }),
  /** How often the expiry and closing job runs (first run one interval after start); 0 turns it off. Each run also wakes the outbox relay. */
  DECLARATION_JOBS_INTERVAL_MS: num({ default: 60_000 }),
  /** Deliver the doctors' counts to the directory (after each commit, at start, on each job run). */
  OUTBOX_RELAY_ENABLED: bool({ default: true }),
});

/** The parsed settings of {@link declarationsSpec}. */
export type DeclarationsConfig = SubgraphConfig<typeof declarationsSpec>;

/** The settings the services read (the subgraph's own ones). */
export type DeclarationsSettings = Pick<
  DeclarationsConfig,
  | 'IDENTITY_URL'
  | 'DIRECTORY_URL'
  | 'OWNER_TIMEOUT_MS'
  | 'DECLARATION_REQUEST_EXPIRATION_HOURS'
  | 'DECLARATION_TERM_DAYS'
  | 'ADULT_AGE'
  | 'DECLARATION_LIMIT_FAMILY_DOCTOR'
  | 'DECLARATION_LIMIT_THERAPIST'
  | 'DECLARATION_LIMIT_PEDIATRICIAN'
  | 'TIME_ZONE'
  | 'DECLARATION_JOBS_INTERVAL_MS'
  | 'OUTBOX_RELAY_ENABLED'
>;
