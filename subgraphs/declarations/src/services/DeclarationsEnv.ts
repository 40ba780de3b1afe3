import type { DataSource } from 'typeorm';
import type { Logger } from '@pc/logging';
import type { OwnerReader } from '../clients/OwnerReader';
import type { DeclarationsSettings } from '../config';
import { todayIn } from '@pc/calendar';
import type { RuleSettings } from '../domain/rules';

/** What the services share for the lifetime of a server: database, owner reads, settings, clock. */
export interface DeclarationsEnv {
  dataSource: DataSource;
  owners: OwnerReader;
  settings: DeclarationsSettings;
  rules: RuleSettings;
  log: Logger;
  /** The clock; tests move it instead of sleeping. */
  now(): Date;
  /** Called after a commit that wrote count messages to the outbox (wakes the relay). */
  countsChanged(): void;
}

/** The rule numbers of the settings. */
export function ruleSettings(s: DeclarationsSettings): RuleSettings {
  return {
    adultAge: s.ADULT_AGE,
    termDays: s.DECLARATION_TERM_DAYS,
    defaultLimits: {
      FAMILY_DOCTOR: s.DECLARATION_LIMIT_FAMILY_DOCTOR,
      THERAPIST: s.DECLARATION_LIMIT_THERAPIST,
      PEDIATRICIAN: s.DECLARATION_LIMIT_PEDIATRICIAN,
    },
  };
}

/** Today's date in the configured time zone. */
export const today = (env: Pick<DeclarationsEnv, 'now' | 'settings'>): string => todayIn(env.settings.TIME_ZONE, env.now());
