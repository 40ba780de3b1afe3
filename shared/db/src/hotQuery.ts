import { createHash } from 'node:crypto';
import type { Pool, QueryResult, QueryResultRow } from 'pg';
import type { Logger } from '@pc/logging';
import type { DataSource } from 'typeorm';
import { isConnectionLost, queryWithReadRetry } from './readRetry';

const embedded = new WeakMap<DataSource, Promise<boolean>>();

/** The data source's pg pool (TypeORM's postgres driver keeps it as `master`). */
const poolOf = (ds: DataSource): Pool => (ds.driver as unknown as { master: Pool }).master;

/**
 * Whether `ds` is the embedded PGlite: one session shared by every connection, where named
 * statements would collide. Asked once per data source straight on the pool, so the probe is
 * not counted as one of a request's statements (the batching guards' QueryCounter); a failed
 * probe is forgotten and asked again next time.
 */
function onPglite(ds: DataSource): Promise<boolean> {
  let known = embedded.get(ds);
  if (!known) {
    known = poolOf(ds)
      .query<{ v: string }>('SELECT version() AS v')
      .then(({ rows: [row] }) => /PGlite/i.test(row?.v ?? ''));
    known.catch(() => embedded.delete(ds));
    embedded.set(ds, known);
  }
  return known;
}

const statementNames = new Map<string, string>();

/**
 * The statement name of `text`: a digest, so each distinct SQL text is its own statement. Hot
 * paths send a handful of fixed texts, so each name is computed once (the digest per call was
 * ~1% of a subgraph's CPU); the map is bounded in case a caller builds texts dynamically.
 */
export function hotStatementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `hot_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`;
    if (statementNames.size >= 1000) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A read on a hot path (entity resolution, per-request loaders, search pages) as a **named**
 * statement of the pg driver: each pooled connection parses and plans it once and PostgreSQL
 * then reuses it (a generic plan after five runs when it costs no more than planning each time),
 * where `DataSource.query` sends an unnamed statement that is parsed and planned every time, and
 * TypeORM's repository reads add their query building and row hydration on top. The rows come
 * back as pg returns them (jsonb parsed, timestamptz as Date, date as Date unless the SQL makes
 * it text): the caller selects and maps what its domain objects need.
 *
 * The rule (docs/directory.md, docs/identity.md): TypeORM stays for migrations, writes and
 * aggregate loads; only reads whose TypeORM or planning cost shows in a profile go through
 * here, with SQL whose plan does not depend on the values. The statement is still reported to
 * the data source's logger (the batching guards count it; slow and failed ones are logged as
 * TypeORM's would be), and a read whose connection was lost is repeated once through TypeORM
 * (which retries it on a fresh connection). On the embedded PGlite (`npm start`, tests without
 * TEST_DATABASE_URL) every pooled connection shares one session, so there it is an ordinary
 * `DataSource.query`.
 */
export async function hotQuery<T>(ds: DataSource, text: string, values: unknown[]): Promise<T[]> {
  if (await onPglite(ds)) return (await ds.query(text, values)) as T[];
  ds.logger.logQuery(text, values);
  const started = Date.now();
  try {
    const { rows } = await poolOf(ds).query({ name: hotStatementName(text), text, values });
    const took = Date.now() - started;
    const slow = ds.options.maxQueryExecutionTime;
    if (slow && took > slow) ds.logger.logQuerySlow(took, text, values);
    return rows as T[];
  } catch (err) {
    if (!isConnectionLost(err)) {
      ds.logger.logQueryError(err as Error, text, values);
      throw err;
    }
    return (await ds.query(text, values)) as T[];
  }
}

const embeddedPools = new WeakMap<Pool, Promise<boolean>>();

/** Whether a plain pg pool serves the embedded PGlite (see {@link onPglite}). */
function poolOnPglite(pool: Pool): Promise<boolean> {
  let known = embeddedPools.get(pool);
  if (!known) {
    known = pool.query<{ v: string }>('SELECT version() AS v').then(({ rows: [row] }) => /PGlite/i.test(row?.v ?? ''));
    known.catch(() => embeddedPools.delete(pool));
    embeddedPools.set(pool, known);
  }
  return known;
}

/**
 * {@link hotQuery} for a plain `pg` pool (the gateway's grant checks): a named statement, planned
 * once per connection — with PG_SESSION_OPTIONS' `plan_cache_mode`, a generic plan from the first
 * run. A lost connection, and every read on PGlite, go through {@link queryWithReadRetry}.
 */
export async function hotPoolQuery<R extends QueryResultRow = QueryResultRow>(
  pool: Pool,
  text: string,
  values: unknown[],
  log?: Logger,
): Promise<QueryResult<R>> {
  if (await poolOnPglite(pool)) return queryWithReadRetry<R>(pool, text, values, log);
  try {
    return await pool.query<R>({ name: hotStatementName(text), text, values });
  } catch (err) {
    if (!isConnectionLost(err)) throw err;
    return queryWithReadRetry<R>(pool, text, values, log);
  }
}
