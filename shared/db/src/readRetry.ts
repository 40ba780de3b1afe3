import { Client, type Pool, type QueryResult, type QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from '@pc/logging';

/**
 * One retry of a read whose PostgreSQL connection was lost, in one place for the whole system:
 * TypeORM data sources ({@link retryReadsOnLostConnection}, installed by createDataSource) and
 * plain `pg` pools ({@link queryWithReadRetry}, the gateway's grant reads).
 *
 * A pooled connection can die under a query: `pg_terminate_backend`, a server restart or
 * failover, a proxy closing idle connections. Only the statement in flight fails, and only
 * because of its connection — so a read outside a transaction (no effects to repeat, no
 * transaction state to lose) is run once more on a brand-new connection, not on another pooled
 * one that may have died the same way. Writes and anything inside a transaction fail as before.
 */

// admin_shutdown, crash_shutdown, cannot_connect_now; connection_failure, connection_does_not_exist.
const LOST_CODES = new Set(['57P01', '57P02', '57P03', '08006', '08003', 'ECONNRESET', 'EPIPE']);
const LOST_MESSAGE = /Connection terminated|terminating connection|not queryable|Client was closed/i;

/** True when `err` (or the driver error a TypeORM QueryFailedError wraps) means the connection was lost. */
export function isConnectionLost(err: unknown): boolean {
  let e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 3; depth++) {
    if (typeof e.code === 'string' && LOST_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && LOST_MESSAGE.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

// Anything that changes data or session state, even inside a SELECT (a CTE's INSERT, nextval,
// pg_notify, advisory locks, row locks): such statements are never repeated.
const NOT_A_PLAIN_READ =
  /\b(insert|update|delete|merge|truncate|copy|into|call|do|nextval|setval|pg_notify|pg_advisory\w*|pg_try_advisory\w*|pg_terminate_backend|pg_cancel_backend|set_config|lo_\w+|share|listen|notify)\b/i;

/** True for a statement that only reads: a SELECT (or WITH … SELECT) with no write or side effect in it. */
export function isPlainRead(sql: string): boolean {
  const text = sql.replace(/^(\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '');
  return /^(select|with)\b/i.test(text) && !NOT_A_PLAIN_READ.test(text);
}

/** A new client with the pool's own settings (pg-pool builds its clients the same way). */
async function freshClient(pool: Pool): Promise<Client> {
  const p = pool as unknown as { Client?: typeof Client; options: ConstructorParameters<typeof Client>[0] };
  const client = new (p.Client ?? Client)(p.options);
  // A late error of this one-off connection must not become an uncaught 'error' event.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * `pool.query`, with one retry on a fresh connection when `text` is a plain read and the
 * pooled connection was lost under it.
 */
export async function queryWithReadRetry<R extends QueryResultRow = QueryResultRow>(
  pool: Pool,
  text: string,
  values?: unknown[],
  log?: Logger,
): Promise<QueryResult<R>> {
  try {
    return await pool.query<R>(text, values);
  } catch (err) {
    if (!isPlainRead(text) || !isConnectionLost(err)) throw err;
    log?.warn(
      { code: (err as { code?: string }).code, reason: (err as Error).message },
      'read lost its database connection; retrying once on a fresh connection',
    );
    const client = await freshClient(pool);
    try {
      return await client.query<R>(text, values);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** The private parts of TypeORM's PostgresQueryRunner (typeorm 1.x) the retry uses. */
interface PostgresRunner {
  query(query: string, parameters?: unknown[], useStructuredResult?: boolean): Promise<unknown>;
  releasePostgresConnection(err?: unknown): Promise<void>;
  isReleased: boolean;
  isTransactionActive: boolean;
  databaseConnection: unknown;
  databaseConnectionPromise: unknown;
  releaseCallback?: (err?: unknown) => void;
  driver: { master?: Pool; connectedQueryRunners: unknown[] };
}

/**
 * Makes every query runner of `ds` retry a plain read outside a transaction once on a fresh
 * connection when its pooled connection was lost. The runner is rebound to that connection, so
 * TypeORM's logging, result mapping and the caller's `release()` work as for any query; the
 * fresh connection is closed on release (the pool replaces the dead one by itself).
 *
 * @throws Error when TypeORM's internals are not the expected ones (an upgrade: review this file)
 */
export function retryReadsOnLostConnection(ds: DataSource, log?: Logger): void {
  const driver = ds.driver as unknown as { createQueryRunner(mode: string): PostgresRunner };
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode: string) => {
    const runner = create(mode);
    if (typeof runner.releasePostgresConnection !== 'function' || !('isTransactionActive' in runner)) {
      throw new Error('typeorm PostgresQueryRunner internals changed: review shared/db/src/readRetry.ts');
    }
    let lost: unknown;
    const release = runner.releasePostgresConnection.bind(runner);
    // TypeORM releases a runner whose connection emits 'error'; remember why, for the next read.
    runner.releasePostgresConnection = (err?: unknown) => {
      if (err && !runner.isReleased) lost = err;
      return release(err);
    };
    const query = runner.query.bind(runner);
    runner.query = async (sql, parameters, structured) => {
      const retryable = !runner.isTransactionActive && isPlainRead(sql);
      try {
        return await query(sql, parameters, structured);
      } catch (err) {
        const releasedByLoss = (err as Error).name === 'QueryRunnerAlreadyReleasedError' && lost !== undefined;
        if (!retryable || runner.isTransactionActive || !(releasedByLoss || isConnectionLost(err))) throw err;
        log?.warn(
          { code: (err as { code?: string }).code, reason: (err as Error).message },
          'read lost its database connection; retrying once on a fresh connection',
        );
        await rebind(runner, lost ?? err);
        lost = undefined;
        return query(sql, parameters, structured);
      }
    };
    return runner;
  };
}

/** Gives the dead connection back to the pool as broken (it discards it) and binds a new one. */
async function rebind(runner: PostgresRunner, cause: unknown): Promise<void> {
  if (!runner.isReleased) await runner.releasePostgresConnection(cause);
  const pool = runner.driver.master;
  if (!pool) throw cause;
  const client = await freshClient(pool);
  client.on('error', (err) => void runner.releasePostgresConnection(err));
  runner.databaseConnection = client;
  runner.databaseConnectionPromise = Promise.resolve(client);
  runner.releaseCallback = () => void client.end().catch(() => undefined);
  runner.isReleased = false;
  runner.driver.connectedQueryRunners.push(runner);
}
