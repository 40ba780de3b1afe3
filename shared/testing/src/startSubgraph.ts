import type { DataSource } from 'typeorm';
import { CALLER_TOKEN_HEADER, signCallerToken, subgraphAudience, type Caller } from '@pc/auth';
import { DEV_INTERNAL_TOKEN_SECRET, envFrom, parseConfig } from '@pc/config';
import { QueryCounter, createDataSource, openDatabase } from '@pc/db';
import { createLogger } from '@pc/logging';
import type { SubgraphModule, SubgraphServer } from '@pc/server';

/** A GraphQL response. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

/** A subgraph running on a free port against a test database. */
export interface RunningSubgraph {
  name: string;
  url: string;
  dataSource: DataSource;
  /** Counts every SQL statement this subgraph issues. */
  counter: QueryCounter;
  server: SubgraphServer;
  /** Calls the subgraph directly as `caller` would arrive from the gateway. */
  call<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/** Options for {@link startSubgraph}. */
export interface StartSubgraphOptions {
  databaseUrl: string;
  /** Run the module's demo seed; default true. */
  seed?: boolean;
  internalTokenSecret?: string;
  /**
   * Run the module's background jobs (outbox relay, expiry…) as the process does; default true.
   * Tests that count a request's SQL statements turn them off: a job's statement in the window
   * would be counted too.
   */
  jobs?: boolean;
  /** `production` runs the subgraph as production does (error masking); default `test`. */
  nodeEnv?: string;
  /**
   * Settings by name (`{ DECLARATION_LIMIT_THERAPIST: 1 }`), parsed with the module's own spec
   * exactly as the process parses its environment; the rest take the spec's defaults.
   */
  config?: Record<string, unknown>;
}

/** Migrates, seeds and serves one subgraph module in-process, on a free port, over real HTTP. */
export async function startSubgraph(mod: SubgraphModule, opts: StartSubgraphOptions): Promise<RunningSubgraph> {
  const log = createLogger({ service: mod.name, level: 'silent' });
  const counter = new QueryCounter();
  const secret = opts.internalTokenSecret ?? DEV_INTERNAL_TOKEN_SECRET;
  const nodeEnv = opts.nodeEnv ?? 'test';
  const config = parseConfig(
    mod.settings,
    envFrom({ NODE_ENV: nodeEnv, LOG_LEVEL: 'silent', DATABASE_URL: opts.databaseUrl, INTERNAL_TOKEN_SECRET: secret, DB_POOL_SIZE: 5, ...opts.config }),
  );
  const dataSource = createDataSource({
    url: config.DATABASE_URL,
    schema: mod.name,
    entities: mod.entities,
    migrations: mod.migrations,
    poolSize: config.DB_POOL_SIZE,
    log,
    counter,
  });
  await openDatabase(dataSource);
  if (opts.seed !== false && mod.seedDemo) await mod.seedDemo(dataSource, log);
  const { server, startJobs } = mod.create({ dataSource, log, internalTokenSecret: secret, nodeEnv, config });
  const { url } = await server.listen(0);
  const stopJobs = opts.jobs === false ? undefined : startJobs?.();
  return {
    name: mod.name,
    url,
    dataSource,
    counter,
    server,
    async call(query, variables = {}, caller) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (caller) headers[CALLER_TOKEN_HEADER] = await signCallerToken(caller, { secret, audience: subgraphAudience(mod.name) });
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as never;
    },
    async stop() {
      await stopJobs?.();
      await server.stop();
      await dataSource.destroy();
    },
  };
}
