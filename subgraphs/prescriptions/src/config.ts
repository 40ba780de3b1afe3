import { num, str, url } from '@pc/config';
import { subgraphSettings, type SubgraphConfig } from '@pc/server';

/** The prescriptions subgraph's settings, declared once (docs/prescriptions.md "Numbers"). */
export const prescriptionsSpec = subgraphSettings(4005, {
  /** The identity subgraph (owner of the person and their verification). */
  IDENTITY_URL: url({ default: 'http://127.0.0.1:4001/graphql' }),
  /** The declarations subgraph (whether the doctor holds an active declaration with the person). */
  DECLARATIONS_URL: url({ default: 'http://127.0.0.1:4002/graphql' }),
  /** The directory subgraph (owner of the doctor, the division and the legal entity). */
  DIRECTORY_URL: url({ default: 'http://127.0.0.1:4003/graphql' }),
  /** How long a read from an owner subgraph may take before the mutation fails with DEPENDENCY_UNAVAILABLE. */
  OWNER_TIMEOUT_MS: num({ default: 3000 }),
  /** Days a prescription is valid, validFrom included (reimbursed ones: 30 in eHealth). */
  PRESCRIPTION_VALIDITY_DAYS: num({ default: 30 }),
  /** How many days ahead validFrom may be set. */
  PRESCRIPTION_MAX_DAYS_AHEAD: num({ default: 7 }),
  /** Wrong verification codes in a row after which the code is refused for PRESCRIPTION_CODE_LOCK_MINUTES. */
  PRESCRIPTION_CODE_ATTEMPTS: num({ default: 5 }),
  /** How long the code is refused after PRESCRIPTION_CODE_ATTEMPTS wrong ones. */
  PRESCRIPTION_CODE_LOCK_MINUTES: num({ default: 60 }),
  /** The calendar of validity dates (eHealth is a Ukrainian system). */
  TIME_ZONE: str({ default: 'Europe/Kyiv' }),
  /** How often the expiry job runs (first run one interval after start); 0 turns it off. */
  PRESCRIPTION_JOBS_INTERVAL_MS: num({ default: 60_000 }),
});

/** The parsed settings of {@link prescriptionsSpec}. */
export type PrescriptionsConfig = SubgraphConfig<typeof prescriptionsSpec>;

/** The settings the services read (the subgraph's own ones). */
export type PrescriptionsSettings = Pick<
  PrescriptionsConfig,
  | 'IDENTITY_URL'
  | 'DECLARATIONS_URL'
  | 'DIRECTORY_URL'
  | 'OWNER_TIMEOUT_MS'
  | 'PRESCRIPTION_VALIDITY_DAYS'
  | 'PRESCRIPTION_MAX_DAYS_AHEAD'
  | 'PRESCRIPTION_CODE_ATTEMPTS'
  | 'PRESCRIPTION_CODE_LOCK_MINUTES'
  | 'TIME_ZONE'
  | 'PRESCRIPTION_JOBS_INTERVAL_MS'
>;
