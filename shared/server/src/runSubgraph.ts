import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import { bool, commonSpec, str, type ConfigError } from '@pc/config';
import { createDataSource, openDatabase } from '@pc/db';
import { createLogger, type Logger } from '@pc/logging';
import type { SubgraphDeps, SubgraphServer } from './createSubgraphServer';
import { drainOnSignal } from './lifecycle';

/** Environment every subgraph process reads (plus its own PORT and settings). */
export const subgraphSpec = {
  ...commonSpec,
  HOST: str({ default: '127.0.0.1' }),
  /** Seed the deterministic demo data on start (idempotent); `npm start` sets it. */
  SEED_DEMO: bool({ default: false }),
};

/** The parsed common subgraph settings. */
export interface SubgraphProcessConfig {
  NODE_ENV: string;
  LOG_LEVEL: string;
  DATABASE_URL: string;
  DATA_DIR: string;
  INTERNAL_TOKEN_SECRET: string;
  DB_POOL_SIZE: number;
  /** On SIGTERM: ms of serving while /readyz says not ready, before the port closes. */
  SHUTDOWN_DELAY_MS: number;
  HOST: string;
  PORT: number;
  SEED_DEMO: boolean;
}

/** A background job a subgraph runs while it serves; returns a function that stops it. */
export type StartJobs<TConfig> = (deps: SubgraphDeps & { config: TConfig }) => () => Promise<void>;

/**
 * What a subgraph package exports from `src/subgraph.ts`: enough for the process runner, the
 * test harness and the composition step to use it without knowing anything else about it.
 */
export interface SubgraphModule<TConfig extends SubgraphProcessConfig = SubgraphProcessConfig> {
  /** Name in the composition list; also the PostgreSQL schema that holds its tables. */
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  createServer(deps: SubgraphDeps & { config: TConfig }): SubgraphServer;
  /** Writes the deterministic demo data; must be idempotent. */
  seedDemo?(dataSource: DataSource, log: Logger): Promise<void>;
  startJobs?: StartJobs<TConfig>;
}

/**
 * Runs a subgraph as a process: connects, migrates, optionally seeds, listens, and on SIGTERM
 * reports not ready while still serving for SHUTDOWN_DELAY_MS, then stops accepting requests,
 * lets in-flight ones finish, stops its jobs and closes the pool ({@link drainOnSignal}).
 */
export async function runSubgraph<TConfig extends SubgraphProcessConfig>(mod: SubgraphModule<TConfig>, loadConfig: () => TConfig): Promise<void> {
  let config: TConfig;
  try {
    config = loadConfig();
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
  const deps = { dataSource, log, internalTokenSecret: config.INTERNAL_TOKEN_SECRET, nodeEnv: config.NODE_ENV, config };
  const server = mod.createServer(deps);
  const { url } = await server.listen(config.PORT, config.HOST);
  const stopJobs = mod.startJobs?.(deps);
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
