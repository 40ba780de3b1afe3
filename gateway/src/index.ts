import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@pc/logging';
import { loadDevIssuer } from './auth/devIssuer';
import { createTokenVerifier } from './auth/verifyUserToken';
import { loadGatewayConfig, parseSubgraphUrls } from './config';
import { createGatewayServer } from './createGatewayServer';
import { createEdge } from './edge/createEdge';

async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (err) {
    process.stderr.write(`gateway: ${(err as Error).message}\n`);
    process.exit(78);
  }
  const log = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const supergraphPath = config.SUPERGRAPH_PATH || join(__dirname, '..', '..', 'schema', 'supergraph.graphql');
  const devIssuer = config.DEV_ISSUER ? await loadDevIssuer(config.DATA_DIR, config.JWT_ISSUER, config.JWT_AUDIENCE) : undefined;
  const production = config.NODE_ENV === 'production';
  const edge = createEdge({
    production,
    redisUrl: config.REDIS_URL || undefined,
    stateFreeForm: config.STATE_FREE_FORM === '' ? undefined : config.STATE_FREE_FORM === 'true',
    rateLimit: { points: config.RATE_LIMIT_POINTS, durationSeconds: config.RATE_LIMIT_WINDOW_SECONDS },
    limits: { maxDepth: config.MAX_DEPTH, maxAliases: config.MAX_ALIASES, maxCost: config.MAX_COST },
  });
  const server = createGatewayServer({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: parseSubgraphUrls(config.SUBGRAPH_URLS),
    verifyToken: createTokenVerifier({
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      jwksUrl: config.JWKS_URL || undefined,
      publicKey: devIssuer?.publicKey,
    }),
    internalTokenSecret: config.INTERNAL_TOKEN_SECRET,
    log,
    nodeEnv: config.NODE_ENV,
    guards: edge.guards,
    plugins: edge.plugins,
    apqCache: edge.apqCache,
    maxTokens: edge.maxTokens,
  });
  const { url } = await server.listen(config.PORT, config.HOST);
  log.info({ url, devIssuer: Boolean(devIssuer) }, 'gateway ready');
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    await edge.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

void main();
