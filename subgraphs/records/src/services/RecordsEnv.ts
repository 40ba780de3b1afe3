import type { DataSource } from 'typeorm';
import { todayIn } from '@pc/calendar';
import type { Logger } from '@pc/logging';
import type { OwnerReader } from '../clients/OwnerReader';
import type { RecordsConfig } from '../config';

/** What the services share for the lifetime of a server: database, owner reads, settings, clock. */
export interface RecordsEnv {
  dataSource: DataSource;
  owners: OwnerReader;
  settings: Pick<RecordsConfig, 'TIME_ZONE'>;
  log: Logger;
  /** The clock; tests move it instead of sleeping. */
  now(): Date;
}

/** Today's date in the configured time zone. */
export const today = (env: Pick<RecordsEnv, 'now' | 'settings'>): string => todayIn(env.settings.TIME_ZONE, env.now());
