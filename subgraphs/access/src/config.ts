import { num } from '@pc/config';
import { subgraphSettings } from '@pc/server';

/** The access subgraph's settings, declared once. */
export const accessSettings = subgraphSettings(4004, {
  /** Months of access log kept (the current month counts); older monthly partitions are detached and dropped. */
  ACCESS_LOG_RETENTION_MONTHS: num({ default: 36 }),
  /** Monthly partitions of the access log created ahead of the current month. */
  ACCESS_LOG_PARTITIONS_AHEAD: num({ default: 3 }),
  /** How often the partition job runs (also once at start); 0: only at start. */
  ACCESS_LOG_PARTITION_JOB_INTERVAL_MS: num({ default: 24 * 3600_000 }),
});
