import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import { bool, commonSpec, parseConfig, port, str, type CleanedEnv, type ConfigError, type ValidatorSpec } from '@pc/config';
import { createDataSource, openDatabase } from '@pc/db';
import { createLogger, type Logger } from '@pc/logging';
import type { SubgraphDeps, SubgraphServer } from './createSubgraphServer';
import { drainOnSignal } from './lifecycle';

/** Environment every subgraph process reads (plus its own PORT and settings: {@link subgraphSettings}). */
export const subgraphSpec = {
  ...commonSpec,
  HOST: str({ default: '127.0.0.1' }),
  /** Seed the deterministic demo data on start (idempotent); `npm start` sets it. */
  SEED_DEMO: bool({ default: false }),
};

/** The spec of a subgraph's settings: the common ones, its PORT, and its own. */
export type SubgraphSpec = typeof subgraphSpec & { PORT: ValidatorSpec<number> };

/** A subgraph's parsed settings: what {@link parseConfig} makes of its spec `S`. */
export type SubgraphConfig<S extends SubgraphSpec = SubgraphSpec> = Readonly<CleanedEnv<S>>;

/** The parsed common subgraph settings. */
export type SubgraphProcessConfig = SubgraphConfig;

/**
 * A subgraph's settings spec, declared once in its `config.ts`: the common settings, PORT with the
 * subgraph's own default, and `own` (envalid validators with their defaults).
 */
export function subgraphSettings<S extends Record<string, ValidatorSpec<unknown>>>(
  defaultPort: number,
  own: S,
): typeof subgraphSpec & { PORT: ValidatorSpec<number> } & S {
  return { ...subgraphSpec, PORT: port({ default: defaultPort }), ...own };
}

/** One running instance of a subgraph: its server and, if it has any, its background jobs. */
export interface SubgraphInstance {
  server: SubgraphServer;
  /** Starts the jobs (outbox relay, expiry…) that share the server's runtime; returns their stop. */
  startJobs?(): () => Promise<void>;
}

/**
 * What a subgraph package exports from `src/subgraph.ts`: enough for the process runner, the
 * test harness and the composition step to use it without knowing anything else about it.
 */
export interface SubgraphModule<S extends SubgraphSpec = SubgraphSpec> {
  /** Name in the composition list; also the PostgreSQL schema that holds its tables. */
  name: string;
  /**
   * Its settings, declared once (envalid spec, {@link subgraphSettings}); the runner parses the
   * environment with it, the test harness its overrides ({@link parseConfig} both).
   */
  settings: S;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
  migrations: MixedList<Function | string>;
  /** Builds one instance (server + jobs) from the parsed settings; nothing listens or runs yet. */
  create(deps: SubgraphDeps & { config: SubgraphConfig<S> }): SubgraphInstance;
  /** Writes the deterministic demo data; must be idempotent. */
  seedDemo?(dataSource: DataSource, log: Logger): Promise<void>;
}

/**
 * Runs a subgraph as a process: parses its settings from the environment, connects, migrates,
 * optionally seeds, listens, and on SIGTERM reports not ready while still serving for
 * SHUTDOWN_DELAY_MS, then stops accepting requests, lets in-flight ones finish, stops its jobs and
 * closes the pool ({@link drainOnSignal}).
 */
export async function runSubgraph<S extends SubgraphSpec>(mod: SubgraphModule<S>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: SubgraphConfig<S>;
  try {
    config = parseConfig(mod.settings, env);
  } catch (err) {
    process.stderr.write(`${mod.name}: ${(err as ConfigError).message}\n`);
    process.exit(78);
  }
  const log = createLogger({ service: mod.name, level: config.LOG_LEVEL });
  if (!config.DATABASE_URL) {
    log.fatal('DATABASE_URL is required (npm start provides the embedded database)');
    process.exit(78);
  }
  const dataSource = createDataSource({
    url: config.DATABASE_URL,
    schema: mod.name,
    entities: mod.entities,
    migrations: mod.migrations,
    poolSize: config.DB_POOL_SIZE,
    log,
  });
  await withDatabaseRetry(() => openDatabase(dataSource), log);
  if (config.SEED_DEMO && mod.seedDemo) await mod.seedDemo(dataSource, log);
  const { server, startJobs } = mod.create({ dataSource, log, internalTokenSecret: config.INTERNAL_TOKEN_SECRET, nodeEnv: config.NODE_ENV, config });
  const { url } = await server.listen(config.PORT, config.HOST);
  const stopJobs = startJobs?.();
  log.info({ url }, `${mod.name} subgraph ready`);

  drainOnSignal({
    setNotReady: () => server.setNotReady(),
    delayMs: config.SHUTDOWN_DELAY_MS,
    log,
    async stop() {
      await stopJobs?.();
      await server.stop();
      await dataSource.destroy();
    },
  });
}

/**
 * Retries while the database is not reachable yet (up to `timeoutMs`): `npm start` starts the
 * subgraphs while the embedded database is still opening, and containers start in any order.
 */
export async function withDatabaseRetry<T>(fn: () => Promise<T>, log: Logger, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      const transient = code === 'ECONNREFUSED' || code === '57P03' || code === 'ECONNRESET';
      if (!transient || Date.now() > deadline) throw err;
      if (attempt === 1) log.info({ code }, 'waiting for the database');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
