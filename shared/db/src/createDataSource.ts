import 'reflect-metadata';
import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';
import type { Logger } from '@pc/logging';
import { retryReadsOnLostConnection } from './readRetry';
import { PG_SESSION_OPTIONS } from './sessionOptions';

/** Counts SQL statements; tests use it to prove batching (N+1 guards). */
export class QueryCounter {
  count = 0;
  readonly statements: string[] = [];
  /** Zeroes the counter (and the kept statements). */
  reset(): void {
    this.count = 0;
    this.statements.length = 0;
  }
  /** Runs `fn` and returns how many statements it issued. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number; sql: string[] }> {
    this.reset();
    const result = await fn();
    return { result, statements: this.count, sql: [...this.statements] };
  }
}

/** Options for {@link createDataSource}. */
export interface DataSourceOptions {
  /** PostgreSQL URL (a server, or the embedded PGlite). */
  url: string;
  /** The subgraph's own PostgreSQL schema; every table and the migrations table live here. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Pool size; default 10. */
  poolSize?: number;
  log?: Logger;
  /** Receives every statement (tests). */
  counter?: QueryCounter;
}

class CountingLogger implements TypeOrmLogger {
  constructor(
    private readonly counter: QueryCounter | undefined,
    private readonly logger: Logger | undefined,
  ) {}
  logQuery(query: string): void {
    if (!this.counter) return;
    // Transaction control statements are not data access; counting them would make the
    // N+1 guards depend on how TypeORM wraps writes.
    if (/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i.test(query)) return;
    this.counter.count++;
    this.counter.statements.push(query);
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger?.debug({ err: error, query }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger?.warn({ time, query }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger?.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger?.warn(String(message));
  }
}

/**
 * A TypeORM DataSource for one subgraph: its own schema, migrations only (`synchronize` is
 * never on), statements counted when a {@link QueryCounter} is given. A plain read outside a
 * transaction whose pooled connection was lost (terminated backend, server restart) is retried
 * once on a fresh connection; writes never are (readRetry.ts).
 */
export function createDataSource(opts: DataSourceOptions): DataSource {
  const ds = new DataSource({
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: opts.counter ? ['query', 'error', 'warn', 'migration'] : ['error', 'warn', 'migration'],
    logger: new CountingLogger(opts.counter, opts.log),
    maxQueryExecutionTime: 1000,
    extra: { max: opts.poolSize ?? 10, application_name: opts.schema, options: PG_SESSION_OPTIONS },
  });
  retryReadsOnLostConnection(ds, opts.log);
  return ds;
}

/**
 * Connects, creates the subgraph's schema if needed and runs pending migrations. Several
 * instances starting at once are safe: an advisory lock serialises the migration step.
 */
export async function openDatabase(ds: DataSource): Promise<DataSource> {
  if (!ds.isInitialized) await ds.initialize();
  const schema = (ds.options as { schema?: string }).schema ?? 'public';
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`]);
    }
  } finally {
    await runner.release();
  }
  return ds;
}
