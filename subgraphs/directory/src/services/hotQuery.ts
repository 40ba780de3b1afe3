import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { isConnectionLost } from '@pc/db';

const embedded = new WeakMap<DataSource, Promise<boolean>>();

/** Whether `ds` is the embedded PGlite: one session shared by every connection, where named statements would collide. */
function onPglite(ds: DataSource): Promise<boolean> {
  let known = embedded.get(ds);
  if (!known) {
    known = (ds.query('SELECT version() AS v') as Promise<{ v: string }[]>).then(([row]) => /PGlite/i.test(row.v));
    embedded.set(ds, known);
  }
  return known;
}

/**
 * A read on a hot path (search pages, a page's divisions) as a **named** statement of the pg
 * driver: each pooled connection parses and plans it once, PostgreSQL then reuses the plan
 * (a generic one after five runs when it costs no more than planning each time), where
 * `DataSource.query` sends an unnamed statement that is parsed and planned on every search —
 * 0.2–0.6 ms of PostgreSQL CPU per statement, as much as the work itself. The name is a digest
 * of the text, so every distinct SQL text (one per filter shape) is its own statement.
 *
 * The rule (docs/directory.md): TypeORM stays for migrations, writes and aggregate loads; only
 * reads whose TypeORM or planning cost shows in a profile go through here. The statement is still
 * counted by the data source's logger (the batching guards' QueryCounter), and a read whose
 * connection was lost is repeated once through TypeORM (which retries on a fresh connection).
 * On the embedded PGlite (`npm start`, tests without TEST_DATABASE_URL) every pooled connection
 * shares one session, so there it is an ordinary `DataSource.query`.
 */
export async function hotQuery<T>(ds: DataSource, text: string, values: unknown[]): Promise<T[]> {
  if (await onPglite(ds)) return (await ds.query(text, values)) as T[];
  ds.logger.logQuery(text, values);
  const pool = (ds.driver as unknown as { master: Pool }).master;
  const name = `directory_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
  try {
    return (await pool.query({ name, text, values })).rows as T[];
  } catch (err) {
    if (!isConnectionLost(err)) throw err;
    return (await ds.query(text, values)) as T[];
  }
}
