/**
 * Preloaded (`node -r`) into every process the bench starts: counts the SQL statements the
 * process sends through `pg` (TypeORM and the gateway's own pool both end in
 * `Client.prototype.query`), and on SIGUSR2 writes the count to
 * `$BENCH_PROBE_DIR/<pid>.json`. The bench signals before and after a scenario and divides the
 * difference by the requests served: statements per operation, exact, with no change to the
 * services and no pg_stat_statements (which needs a server restart to load).
 *
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
  const counts = { statements: 0, transactionControl: 0 };
  const original = pg.Client.prototype.query;
  const TX = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i;
  pg.Client.prototype.query = function patched(this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    if (TX.test(text)) counts.transactionControl++;
    else counts.statements++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  process.on('SIGUSR2', () => {
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ pid: process.pid, ...counts, at: Date.now() }));
  });
}
