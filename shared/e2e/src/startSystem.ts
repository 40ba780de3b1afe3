import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEV_INTERNAL_TOKEN_SECRET, envFrom } from '@pc/config';
import { DEMO_CABINETS, DEMO_PERSONAS, PATIENT_SCOPES, demoScopes, type DemoPersona } from '@pc/demo';
import type { SubgraphModule } from '@pc/server';
import { readManifests, readSubgraphList } from '@pc/schema';
import { serviceCaller, startSubgraph, startTestDatabase, type GraphQLResponse, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import {
  buildGateway,
  createDevIssuer,
  createTokenVerifier,
  loadGatewayConfig,
  type AccessGuard,
  type AccessGuardOptions,
  type DevIssuer,
  type EdgeOptions,
  type Gateway,
  type GatewayDeps,
  type GatewayServer,
  type MintOptions,
} from '@pc/gateway';

/** Options for {@link startSystem}. */
export interface StartSystemOptions {
  /**
   * Production mode, as `NODE_ENV=production` runs it: gateway and subgraphs in production mode,
   * end-user tokens verified through a JWKS URL (served by a local HTTP server, as an identity
   * provider would), a random internal secret, every caller held to its persisted list, the
   * listed operations planned before ready, and Redis for APQ and rate limits when
   * `TEST_REDIS_URL` is set. Default false.
   */
  production?: boolean;
  /** Seed the demo data; default true. */
  seed?: boolean;
  /** Only these subgraphs (default: the whole composition list). */
  only?: string[];
  /** Extra settings passed to every subgraph's config. */
  subgraphConfig?: Record<string, unknown>;
  /** Gateway settings by name (`{ TOKEN_CACHE_SIZE: 0 }`), parsed by loadGatewayConfig as the process's environment is. */
  gatewaySettings?: Record<string, unknown>;
  /** Changes to the gateway's dependencies (extra plugins, production mode…). */
  gateway?: Partial<GatewayDeps>;
  /** Edge settings (persisted queries, limits, rate limit); defaults as in development. */
  edge?: Partial<EdgeOptions>;
  /**
   * Grant checks and the access log: on whenever the access subgraph runs (as in `npm start`);
   * `false` turns them off, an object changes their settings.
   */
  access?: false | Partial<Omit<AccessGuardOptions, 'databaseUrl' | 'log'>>;
}

/** Options of {@link RunningSystem.token}. */
export interface TokenOptions {
  /**
   * For a patient token while grant checks are on: first record the person's consent to the
   * token's cabinet with the token's scopes, as the identity provider's consent screen would at
   * sign-in (granting again merges scopes). Default true; tests of refusals pass false.
   */
  consent?: boolean;
}

/** The whole supergraph running in-process: real HTTP between gateway and subgraphs, real database. */
export interface RunningSystem {
  gatewayUrl: string;
  gateway: GatewayServer;
  subgraphs: Record<string, RunningSubgraph>;
  database: TestDatabase;
  issuer: DevIssuer;
  /** A token for a demo persona, or for explicit claims (patients consent first, see {@link TokenOptions}). */
  token(who: DemoPersona | Partial<MintOptions>, options?: TokenOptions): Promise<string>;
  /** Grant checks and access log of the gateway, when on. */
  access?: AccessGuard;
  /** Whether the system runs in production mode. */
  production: boolean;
  /** The JWKS URL the gateway verifies tokens with (production mode). */
  jwksUrl?: string;
  /** Where `/metrics` is served when it has its own port (production mode: a free port, as METRICS_PORT). */
  metricsUrl?: string;
  /**
   * POSTs a listed operation by its persisted id alone (`extensions.persistedQuery`), as a
   * production client does: `list` is the folder of schema/persisted-queries, `name` the operation.
   */
  persisted<T = Record<string, unknown>>(
    list: string,
    name: string,
    variables?: Record<string, unknown>,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T> & { status: number }>;
  /** POSTs an operation to the gateway, with a bearer token when given. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * Starts the real supergraph for e2e tests: a fresh database, every subgraph of
 * `schema/subgraphs.json` on a free port (loaded from its package `@pc/<name>`), and the gateway
 * over the committed supergraph with URL overrides pointing at those ports.
 */
export async function startSystem(opts: StartSystemOptions = {}): Promise<RunningSystem> {
  const production = opts.production ?? false;
  const nodeEnv = production ? 'production' : 'test';
  const internalTokenSecret = production ? randomBytes(32).toString('hex') : DEV_INTERNAL_TOKEN_SECRET;
  const database = await startTestDatabase();
  const entries = readSubgraphList().filter((e) => !opts.only || opts.only.includes(e.name));
  const subgraphs: Record<string, RunningSubgraph> = {};
  try {
    // Subgraphs that call others (declarations reads identity and directory) find the ones
    // started before them through `<NAME>_URL` settings, as a process finds them in its
    // environment; the composition list orders callers after the subgraphs they call.
    const urls: Record<string, string> = {};
    for (const e of entries) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = (require(`@pc/${e.name}`) as { subgraph: SubgraphModule }).subgraph;
      subgraphs[e.name] = await startSubgraph(mod, {
        databaseUrl: database.url,
        seed: opts.seed,
        nodeEnv,
        internalTokenSecret,
        config: { ...urls, ...opts.subgraphConfig },
      });
      urls[`${e.name.toUpperCase()}_URL`] = subgraphs[e.name].url;
    }
  } catch (err) {
    await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
    await database.stop();
    throw err;
  }
  const issuer = await createDevIssuer(production ? 'https://id.test.invalid' : 'pc-dev-issuer', 'patient-cabinet');
  const jwks = production ? await serveJwks(issuer.jwks) : undefined;
  const accessOn = Boolean(subgraphs.access) && opts.access !== false;
  // The gateway is configured as a process is, through its own parser (loadGatewayConfig), and
  // composed by the same root as index.ts (buildGateway); only the token check in development
  // (this system's in-memory issuer) and the test's own overrides are put in directly.
  let built: Gateway | undefined;
  let listening: { url: string; metricsUrl?: string };
  try {
    const config = loadGatewayConfig(
      envFrom({
        NODE_ENV: nodeEnv,
        LOG_LEVEL: 'silent',
        INTERNAL_TOKEN_SECRET: internalTokenSecret,
        DATABASE_URL: database.url,
        SUBGRAPH_URLS: Object.values(subgraphs)
          .map((s) => `${s.name}=${s.url}`)
          .join(','),
        JWT_ISSUER: issuer.issuer,
        JWT_AUDIENCE: issuer.audience,
        JWKS_URL: jwks?.url,
        REDIS_URL: production ? process.env.TEST_REDIS_URL : undefined,
        ACCESS_GUARD: accessOn,
        // Tests keep the access log in memory and leave the entity cache to the tests of it.
        ACCESS_LOG_SPOOL: false,
        ENTITY_CACHE_SIZE: 0,
        // Production serves /metrics on its own port only (METRICS_PORT); here a free one.
        METRICS_PORT: production ? 0 : undefined,
        ...opts.gatewaySettings,
      }),
    );
    built = await buildGateway(config, {
      verifyToken: jwks ? undefined : createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, publicKey: issuer.publicKey }),
      edge: {
        ...(opts.gateway?.nodeEnv === 'production' ? { production: true } : {}),
        ...opts.edge,
        // Test files share one Redis: each system counts its own requests.
        rateLimit: { keyPrefix: `pc-rl-test-${randomBytes(6).toString('hex')}`, ...opts.edge?.rateLimit },
      },
      access: opts.access === false ? undefined : opts.access,
      // Planning every listed operation before ready is production's (and the warm-up test's) business.
      server: { ...(production ? {} : { warmUpOperations: [] }), ...opts.gateway },
    });
    listening = await built.listen(0, '127.0.0.1');
  } catch (err) {
    await built?.stop().catch(() => undefined);
    await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
    await database.stop();
    await jwks?.close();
    throw err;
  }
  const { server: gateway, access } = built;
  const { url: gatewayUrl, metricsUrl } = listening;
  const consent = async (claims: MintOptions) => {
    if (!access || !claims.roles.includes('PATIENT')) return;
    // Unknown cabinets, blocked ones or unknown scopes come back as user errors: no grant, and the
    // token is then refused — which is what such a test wants to see.
    await subgraphs.access.call(
      'mutation($i: GrantAccessInput!) { grantAccess(input: $i) { userErrors { code } } }',
      { i: { personId: claims.sub, cabinetId: claims.clientId, scopes: claims.scopes } },
      serviceCaller('dev-issuer'),
    );
  };
  const manifests = readManifests();
  return {
    gatewayUrl,
    gateway,
    subgraphs,
    database,
    issuer,
    access,
    production,
    jwksUrl: jwks?.url,
    metricsUrl,
    async persisted(list, name, variables = {}, token, headers = {}) {
      const op = manifests[list]?.operations.find((o) => o.name === name);
      if (!op) throw new Error(`operation ${name} is not in the persisted list "${list}"`);
      const res = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ operationName: op.name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }),
      });
      return { status: res.status, ...((await res.json()) as GraphQLResponse<never>) } as never;
    },
    async token(who, options = {}) {
      let claims: MintOptions;
      if (typeof who === 'string') {
        const p = DEMO_PERSONAS[who];
        claims = { sub: p.id, roles: [p.role], scopes: demoScopes(p.role), clientId: DEMO_CABINETS.state.id };
      } else {
        claims = { sub: DEMO_PERSONAS.patient.id, roles: ['PATIENT'], scopes: PATIENT_SCOPES, clientId: DEMO_CABINETS.state.id, ...who };
      }
      if (options.consent !== false) await consent(claims);
      return issuer.mint(claims);
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
      await built.stop();
      await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
      await database.stop();
      await jwks?.close();
    },
  };
}

/** Serves a JSON Web Key Set on a free local port, as an identity provider's JWKS endpoint does. */
async function serveJwks(keys: unknown): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify(keys);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
