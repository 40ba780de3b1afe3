import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_INTERNAL_TOKEN_SECRET } from '@pc/config';
import { DEMO_CABINETS, DEMO_PERSONAS, DOCTOR_SCOPES, PATIENT_SCOPES, type DemoPersona } from '@pc/demo';
import { createLogger } from '@pc/logging';
import type { SubgraphModule } from '@pc/server';
import { readSubgraphList, repoRoot } from '@pc/schema';
import { startSubgraph, startTestDatabase, type GraphQLResponse, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { createDevIssuer, type DevIssuer, type MintOptions } from '../auth/devIssuer';
import { createTokenVerifier } from '../auth/verifyUserToken';
import { createGatewayServer, type GatewayDeps, type GatewayServer } from '../createGatewayServer';
import { createEdge, type EdgeOptions } from '../edge/createEdge';

/** Options for {@link startSystem}. */
export interface StartSystemOptions {
  /** Seed the demo data; default true. */
  seed?: boolean;
  /** Only these subgraphs (default: the whole composition list). */
  only?: string[];
  /** Extra settings passed to every subgraph's config. */
  subgraphConfig?: Record<string, unknown>;
  /** Changes to the gateway's dependencies (extra plugins, production mode…). */
  gateway?: Partial<GatewayDeps>;
  /** Edge settings (persisted queries, limits, rate limit); defaults as in development. */
  edge?: Partial<EdgeOptions>;
}

/** The whole supergraph running in-process: real HTTP between gateway and subgraphs, real database. */
export interface RunningSystem {
  gatewayUrl: string;
  gateway: GatewayServer;
  subgraphs: Record<string, RunningSubgraph>;
  database: TestDatabase;
  issuer: DevIssuer;
  /** A token for a demo persona, or for explicit claims. */
  token(who: DemoPersona | Partial<MintOptions>): Promise<string>;
  /** POSTs an operation to the gateway, with a bearer token when given. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * Starts the real supergraph for e2e tests: a fresh database, every subgraph of
 * `schema/subgraphs.json` on a free port (loaded from its package `@pc/<name>`), and the gateway
 * over the committed supergraph with URL overrides pointing at those ports.
 */
export async function startSystem(opts: StartSystemOptions = {}): Promise<RunningSystem> {
  const database = await startTestDatabase();
  const entries = readSubgraphList().filter((e) => !opts.only || opts.only.includes(e.name));
  const subgraphs: Record<string, RunningSubgraph> = {};
  try {
    for (const e of entries) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = (require(`@pc/${e.name}`) as { subgraph: SubgraphModule }).subgraph;
      subgraphs[e.name] = await startSubgraph(mod, { databaseUrl: database.url, seed: opts.seed, config: opts.subgraphConfig });
    }
  } catch (err) {
    await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
    await database.stop();
    throw err;
  }
  const issuer = await createDevIssuer('pc-dev-issuer', 'patient-cabinet');
  const edge = createEdge({ production: opts.gateway?.nodeEnv === 'production', ...opts.edge });
  const gateway = createGatewayServer({
    supergraphSdl: readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'),
    subgraphUrls: Object.fromEntries(Object.values(subgraphs).map((s) => [s.name, s.url])),
    verifyToken: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, publicKey: issuer.publicKey }),
    internalTokenSecret: DEV_INTERNAL_TOKEN_SECRET,
    log: createLogger({ service: 'gateway', level: 'silent' }),
    nodeEnv: 'test',
    guards: edge.guards,
    plugins: edge.plugins,
    apqCache: edge.apqCache,
    maxTokens: edge.maxTokens,
    ...opts.gateway,
  });
  const { url: gatewayUrl } = await gateway.listen(0);
  return {
    gatewayUrl,
    gateway,
    subgraphs,
    database,
    issuer,
    token(who) {
      if (typeof who === 'string') {
        const p = DEMO_PERSONAS[who];
        return issuer.mint({ sub: p.id, roles: [p.role], scopes: p.role === 'DOCTOR' ? DOCTOR_SCOPES : PATIENT_SCOPES, clientId: DEMO_CABINETS.state.id });
      }
      return issuer.mint({ sub: DEMO_PERSONAS.patient.id, roles: ['PATIENT'], scopes: PATIENT_SCOPES, clientId: DEMO_CABINETS.state.id, ...who });
    },
    async query(query, variables = {}, token, headers = {}) {
      const res = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    async stop() {
      await gateway.stop();
      await edge.close();
      await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
      await database.stop();
    },
  };
}
