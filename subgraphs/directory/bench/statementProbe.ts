/**
 * Preloaded (`node -r`) into the subgraph the search bench starts: counts the SQL statements the
 * process sends through `pg` (TypeORM and raw queries both end in `Client.prototype.query`;
 * BEGIN/COMMIT apart) and, on SIGUSR2, writes the count to `$SEARCH_BENCH_PROBE` — statements per
 * search without pg_stat_statements, which needs a server restart to load.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';

const file = process.env.SEARCH_BENCH_PROBE;
if (file) {
  const counts = { statements: 0, transactionControl: 0 };
  const TX = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function patched(this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    if (TX.test(text)) counts.transactionControl++;
    else counts.statements++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  process.on('SIGUSR2', () => writeFileSync(file, JSON.stringify({ ...counts, cpu: process.cpuUsage() })));
}
