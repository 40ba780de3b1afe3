import type { DataSource } from 'typeorm';
import { todayIn } from '@pc/calendar';
import type { Logger } from '@pc/logging';
import type { OwnerReader } from '../clients/OwnerReader';
import type { PrescriptionsSettings } from '../config';

/** What the services share for the lifetime of a server: database, owner reads, settings, clock. */
export interface PrescriptionsEnv {
  dataSource: DataSource;
  owners: OwnerReader;
  settings: PrescriptionsSettings;
  log: Logger;
  /** The clock; tests move it instead of sleeping. */
  now(): Date;
}

/** Today's date in the configured time zone. */
export const today = (env: Pick<PrescriptionsEnv, 'now' | 'settings'>): string => todayIn(env.settings.TIME_ZONE, env.now());
