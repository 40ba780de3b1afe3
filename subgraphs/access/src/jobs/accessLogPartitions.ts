import type { DataSource } from 'typeorm';
import type { Logger } from '@pc/logging';

/** What one run of the partition job did. */
export interface PartitionRun {
  /** Partitions that exist for the current month and the months ahead (created now or before). */
  ensured: string[];
  /** Partitions past retention, detached from access.access_log and dropped. */
  dropped: string[];
  /** Months that could not get a partition because their rows already sit in the default partition. */
  inDefault: string[];
}

const PARTITION_NAME = /^access_log_(\d{4})_(\d{2})$/;

/** First instant (UTC) of the month `offset` months from the month of `at`. */
function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

/**
 * Keeps the monthly partitions of access.access_log (migration PartitionAccessLog): creates the
 * current month's and the next `aheadMonths`, and detaches and drops every month older than the
 * `retentionMonths` most recent ones (the current month counts as one; 36 keeps three years).
 * Instances may run it at once: a transaction-scoped advisory lock serialises them. A month is
 * removed whole (DETACH + DROP): no row-by-row DELETE, no vacuum debt, and the append-only trigger
 * still refuses DELETE of single entries.
 */
export async function maintainAccessLogPartitions(ds: DataSource, opts: { now?: Date; aheadMonths?: number; retentionMonths: number }): Promise<PartitionRun> {
  const now = opts.now ?? new Date();
  const ahead = opts.aheadMonths ?? 3;
  if (!(opts.retentionMonths >= 1)) throw new Error('ACCESS_LOG_RETENTION_MONTHS must be at least 1');
  return ds.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('access.access_log partitions'))`);
    const ensured: string[] = [];
    const inDefault: string[] = [];
    for (let i = 0; i <= ahead; i++) {
      const month = monthStart(now, i).toISOString();
      const [row] = await m.query('SELECT access.create_access_log_partition($1) AS name', [month]);
      if (row.name) ensured.push(row.name);
      else inDefault.push(month.slice(0, 7));
    }
    const cutoff = monthStart(now, -(opts.retentionMonths - 1));
    const parts: { name: string }[] = await m.query(`
      SELECT c.relname AS name FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace
      WHERE n.nspname = 'access' AND p.relname = 'access_log'
      ORDER BY c.relname`);
    const dropped: string[] = [];
    for (const { name } of parts) {
      const match = PARTITION_NAME.exec(name);
      if (!match) continue;
      const end = new Date(Date.UTC(Number(match[1]), Number(match[2]), 1)); // first instant of the next month
      if (end > cutoff) continue;
      await m.query(`ALTER TABLE access.access_log DETACH PARTITION access."${name}"`);
      await m.query(`DROP TABLE access."${name}"`);
      dropped.push(name);
    }
    return { ensured, dropped, inDefault };
  });
}

/**
 * Runs {@link maintainAccessLogPartitions} at start and every `intervalMs` (a day by default; the
 * months ahead leave three months of slack if the job stops). Returns its stop.
 */
export function startAccessLogPartitionJob(a: {
  ds: DataSource;
  log: Logger;
  retentionMonths: number;
  aheadMonths: number;
  intervalMs: number;
}): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  const tick = () => {
    if (inFlight) return;
    inFlight = maintainAccessLogPartitions(a.ds, { retentionMonths: a.retentionMonths, aheadMonths: a.aheadMonths })
      .then(({ dropped, inDefault }) => {
        if (dropped.length > 0) a.log.info({ dropped }, 'access log partitions past retention dropped');
        if (inDefault.length > 0) a.log.warn({ months: inDefault }, 'access log months held by the default partition (partition job late?)');
      })
      .catch((err: unknown) => a.log.error({ err }, 'access log partition job failed'))
      .finally(() => {
        inFlight = null;
      });
  };
  tick();
  const timer = a.intervalMs > 0 ? setInterval(tick, a.intervalMs) : undefined;
  timer?.unref();
  return async () => {
    if (timer) clearInterval(timer);
    await inFlight;
  };
}
