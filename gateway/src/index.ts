import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@pc/logging';
import { drainOnSignal } from '@pc/server';
import { loadDevIssuer } from './auth/devIssuer';
import { createTokenVerifier } from './auth/verifyUserToken';
import { loadGatewayConfig, metricsPortOf, parseSubgraphUrls, parseTrustProxy } from './config';
import { createGatewayServer } from './createGatewayServer';
import { createAccessGuard } from './access/createAccessGuard';
import { createEdge } from './edge/createEdge';
import { startTracing } from './telemetry';

async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (err) {
    process.stderr.write(`gateway: ${(err as Error).message}\n`);
    process.exit(78);
  }
  const log = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  // Registered before the gateway is built so its spans have a provider from the first request.
  const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT ? startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT) : undefined;
  const supergraphPath = config.SUPERGRAPH_PATH || join(__dirname, '..', '..', 'schema', 'supergraph.graphql');
  const devIssuer = config.DEV_ISSUER ? await loadDevIssuer(config.DATA_DIR, config.JWT_ISSUER, config.JWT_AUDIENCE) : undefined;
  const production = config.NODE_ENV === 'production';
  const edge = createEdge({
    production,
    redisUrl: config.REDIS_URL || undefined,
    stateFreeForm: config.STATE_FREE_FORM === '' ? undefined : config.STATE_FREE_FORM === 'true',
    rateLimit: { points: config.RATE_LIMIT_POINTS, cabinetPoints: config.RATE_LIMIT_CABINET_POINTS, durationSeconds: config.RATE_LIMIT_WINDOW_SECONDS },
    log: log.child({ component: 'edge' }),
    limits: { maxDepth: config.MAX_DEPTH, maxAliases: config.MAX_ALIASES, maxCost: config.MAX_COST },
  });
  // Access management: grant check first in the guard chain, access log as a plugin (docs/access.md).
  if (config.ACCESS_GUARD && !config.DATABASE_URL) {
    log.fatal('DATABASE_URL is required for grant checks and the access log (npm start provides it); ACCESS_GUARD=false turns them off outside production');
    process.exit(78);
  }
  const access = config.ACCESS_GUARD
    ? createAccessGuard({
        databaseUrl: config.DATABASE_URL,
        log: log.child({ component: 'access' }),
        cacheTtlMs: config.ACCESS_CACHE_TTL_MS,
        fallbackTtlMs: config.ACCESS_CACHE_FALLBACK_TTL_MS,
        flushIntervalMs: config.ACCESS_LOG_FLUSH_MS,
        spoolDir: config.ACCESS_LOG_SPOOL ? join(config.DATA_DIR, 'access-log-spool') : undefined,
      })
    : undefined;
  const server = createGatewayServer({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: parseSubgraphUrls(config.SUBGRAPH_URLS),
    subgraphFetch: config.SUBGRAPH_FETCH as 'http' | 'fetch',
    verifyToken: createTokenVerifier({
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      jwksUrl: config.JWKS_URL || undefined,
      publicKey: devIssuer?.publicKey,
      cache: { maxEntries: config.TOKEN_CACHE_SIZE },
    }),
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
  });
  access?.registerMetrics(server.metrics.registry);
  edge.registerMetrics(server.metrics.registry);
  const { url, metricsUrl } = await server.listen(config.PORT, config.HOST);
  log.info({ url, metricsUrl, devIssuer: Boolean(devIssuer) }, 'gateway ready');
  // SIGTERM: not ready at once, still serving for SHUTDOWN_DELAY_MS, then drain and exit (docs/architecture.md).
  drainOnSignal({
    setNotReady: () => server.setNotReady(),
    delayMs: config.SHUTDOWN_DELAY_MS,
    log,
    async stop() {
      await server.stop();
      // After in-flight requests finished: flush the access log (what cannot be written stays spooled).
      await access?.stop();
      await edge.close();
      await tracing?.shutdown();
    },
  });
}

void main();
