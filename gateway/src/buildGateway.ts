import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '@pc/logging';
import type { ServiceMetrics } from '@pc/server';
import { createAccessGuard, type AccessGuard, type AccessGuardOptions } from './access/createAccessGuard';
import { loadDevIssuer, type DevIssuer } from './auth/devIssuer';
import { createTokenVerifier, type TokenVerifier } from './auth/verifyUserToken';
import { metricsPortOf, parseSubgraphUrls, parseTrustProxy, type GatewayConfig } from './config';
import { createGatewayServer, type GatewayDeps, type GatewayServer } from './createGatewayServer';
import { createEdge, type Edge, type EdgeOptions } from './edge/createEdge';
import { startTracing } from './telemetry';

/**
 * What a caller of {@link buildGateway} may put in place of what the config describes — the test
 * harness and the benches, never the process: each field replaces or extends only its part.
 */
export interface GatewayOverrides {
  /** The end-user token check (default: JWKS_URL, or the development issuer's key when DEV_ISSUER is on). */
  verifyToken?: TokenVerifier;
  /** Default: a logger at LOG_LEVEL. */
  log?: Logger;
  /** Edge settings over the config's (a rate-limit key prefix, a Redis URL…); `rateLimit` is merged field by field. */
  edge?: Partial<EdgeOptions>;
  /** Grant check and access log settings over the config's. */
  access?: Partial<Omit<AccessGuardOptions, 'databaseUrl' | 'log'>>;
  /** Server dependencies over the ones derived from the config (extra plugins, subgraph URLs, warm-up list…). */
  server?: Partial<GatewayDeps>;
}

/** The gateway as {@link buildGateway} composed it: built, not yet listening. */
export interface Gateway {
  server: GatewayServer;
  edge: Edge;
  /** Grant checks and the access log (ACCESS_GUARD). */
  access?: AccessGuard;
  /** The development issuer whose key verifies tokens (DEV_ISSUER, and no `verifyToken` given). */
  devIssuer?: DevIssuer;
  metrics: ServiceMetrics;
  log: Logger;
  /** Listens on `port`/`host` (default PORT/HOST); `/metrics` on METRICS_PORT when set. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number; metricsUrl?: string }>;
  /** Shutdown, first step: /readyz 503 while still serving. */
  setNotReady(): void;
  /** Closes the port after in-flight requests, then flushes the access log, closes Redis and tracing. */
  stop(): Promise<void>;
}

/**
 * The gateway's one composition root: everything the gateway runs with, built from its parsed
 * configuration (`loadGatewayConfig`). `index.ts` (the process), the whole-system test harness
 * and the benches all build the gateway here, so the tests run what production runs.
 */
export async function buildGateway(config: GatewayConfig, overrides: GatewayOverrides = {}): Promise<Gateway> {
  const log = overrides.log ?? createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  // Registered before the gateway is built so its spans have a provider from the first request.
  const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT ? startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT) : undefined;
  const supergraphPath = config.SUPERGRAPH_PATH || join(__dirname, '..', '..', 'schema', 'supergraph.graphql');
  const devIssuer = !overrides.verifyToken && config.DEV_ISSUER ? await loadDevIssuer(config.DATA_DIR, config.JWT_ISSUER, config.JWT_AUDIENCE) : undefined;
  const verifyToken =
    overrides.verifyToken ??
    createTokenVerifier({
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      jwksUrl: config.JWKS_URL || undefined,
      publicKey: devIssuer?.publicKey,
      cache: { maxEntries: config.TOKEN_CACHE_SIZE },
    });
  const fromConfig: EdgeOptions = {
    production: config.NODE_ENV === 'production',
    redisUrl: config.REDIS_URL || undefined,
    stateFreeForm: config.STATE_FREE_FORM === '' ? undefined : config.STATE_FREE_FORM === 'true',
    rateLimit: { points: config.RATE_LIMIT_POINTS, cabinetPoints: config.RATE_LIMIT_CABINET_POINTS, durationSeconds: config.RATE_LIMIT_WINDOW_SECONDS },
    log: log.child({ component: 'edge' }),
    limits: { maxDepth: config.MAX_DEPTH, maxAliases: config.MAX_ALIASES, maxCost: config.MAX_COST },
  };
  const edge = createEdge({ ...fromConfig, ...overrides.edge, rateLimit: { ...fromConfig.rateLimit, ...overrides.edge?.rateLimit } });
  // Access management: grant check first in the guard chain, access log as a plugin (docs/access.md).
  if (config.ACCESS_GUARD && !config.DATABASE_URL) {
    await edge.close();
    throw new Error(
      'DATABASE_URL is required for grant checks and the access log (npm start provides it); ACCESS_GUARD=false turns them off outside production',
    );
  }
  const access = config.ACCESS_GUARD
    ? createAccessGuard({
        databaseUrl: config.DATABASE_URL,
        log: log.child({ component: 'access' }),
        cacheTtlMs: config.ACCESS_CACHE_TTL_MS,
        fallbackTtlMs: config.ACCESS_CACHE_FALLBACK_TTL_MS,
        flushIntervalMs: config.ACCESS_LOG_FLUSH_MS,
        spoolDir: config.ACCESS_LOG_SPOOL ? join(config.DATA_DIR, 'access-log-spool') : undefined,
        ...overrides.access,
      })
    : undefined;
  const server = createGatewayServer({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: parseSubgraphUrls(config.SUBGRAPH_URLS),
    subgraphFetch: config.SUBGRAPH_FETCH as 'http' | 'fetch',
    subgraphBatching: config.SUBGRAPH_BATCHING === 'on',
    verifyToken,
    callerTokenCache: { maxEntries: config.CALLER_TOKEN_CACHE_SIZE },
    entityCache: config.DATABASE_URL ? { maxEntries: config.ENTITY_CACHE_SIZE, databaseUrl: config.DATABASE_URL } : undefined,
    internalTokenSecret: config.INTERNAL_TOKEN_SECRET,
    log,
    nodeEnv: config.NODE_ENV,
    guards: [...(access ? [access.guard] : []), ...edge.guards],
    plugins: [...edge.plugins, ...(access ? [access.plugin] : [])],
    apqCache: edge.apqCache,
    maxTokens: edge.maxTokens,
    degraded: edge.degraded,
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    metricsPort: metricsPortOf(config),
    // Every operation of the persisted lists is planned before the gateway reports ready.
    warmUpOperations: edge.listedOperations,
    ...overrides.server,
  });
  access?.registerMetrics(server.metrics.registry);
  edge.registerMetrics(server.metrics.registry);
  return {
    server,
    edge,
    access,
    devIssuer,
    metrics: server.metrics,
    log,
    listen: (port = config.PORT, host = config.HOST) => server.listen(port, host),
    setNotReady: () => server.setNotReady(),
    async stop() {
      await server.stop();
      // After in-flight requests finished: flush the access log (what cannot be written stays spooled).
      await access?.stop();
      await edge.close();
      await tracing?.shutdown();
    },
  };
}
