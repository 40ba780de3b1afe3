import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { CALLER_TOKEN_HEADER, CallerTokenError, REQUEST_ID_HEADER, subgraphAudience, verifyCallerToken, type Caller } from '@pc/auth';
import { ErrorCode, codedError } from '@pc/errors';
import {
  closeKeepAliveWhileDraining,
  createMetrics,
  formatError,
  metricsPlugin,
  registerPoolMetrics,
  type SubgraphBaseContext,
  type SubgraphDefinition,
  type SubgraphDeps,
} from '@pc/server';

/** What the Express layer returned (its `app` was part of SubgraphServer then). */
export interface LegacySubgraphServer {
  name: string;
  app: express.Express;
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  setNotReady(): void;
}

/**
 * The subgraph HTTP layer as it was before node:http (shared/server/src/createSubgraphServer.ts
 * at 53cd176), kept only so that the bench can measure both back to back. Turns a subgraph definition into an HTTP server: `buildSubgraphSchema` + Apollo Server on
 * `/graphql`, `/healthz`, `/readyz` (database reachable), `/metrics` (Prometheus). Every GraphQL
 * request must carry a caller token signed for this subgraph — a request that did not come
 * through the gateway (or an internal service) is refused before any resolver runs.
 */
export function createExpressSubgraphServer<TContext extends SubgraphBaseContext>(def: SubgraphDefinition<TContext>, deps: SubgraphDeps): LegacySubgraphServer {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  // Keep-alive connections from the gateway must outlive its agent's idle timeout.
  httpServer.keepAliveTimeout = 65_000;
  let draining = false;
  closeKeepAliveWhileDraining(httpServer, () => draining);
  const metrics = createMetrics(def.name);
  registerPoolMetrics(
    metrics,
    () => (deps.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master,
  );
  const production = deps.nodeEnv === 'production';
  const audience = subgraphAudience(def.name);

  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({ typeDefs: def.typeDefs, resolvers: def.resolvers as GraphQLResolverMap<unknown> }),
    // Subgraphs are private: only the gateway talks to them, so no landing page, and the
    // supergraph is composed from files, not from introspection.
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    // runSubgraph drains and exits on SIGTERM itself; Apollo's own handler would race it and
    // re-raise the signal, leaving the process hanging until SIGKILL.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metricsPlugin(metrics),
    ],
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error, deps.log, production),
  });
  let started = false;

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      if (draining) throw new Error('shutting down');
      if (!started) throw new Error('starting');
      await deps.dataSource.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', reason: (err as Error).message });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  async function buildContext(req: express.Request): Promise<TContext> {
    const requestId = String(req.headers[REQUEST_ID_HEADER] ?? randomUUID());
    const log = deps.log.child({ requestId });
    const token = req.headers[CALLER_TOKEN_HEADER];
    if (typeof token !== 'string') {
      throw codedError(ErrorCode.UNAUTHENTICATED, 'This service is reachable only through the gateway', 401);
    }
    let caller: Caller;
    try {
      caller = await verifyCallerToken(token, { secret: deps.internalTokenSecret, audience });
    } catch (err) {
      if (err instanceof CallerTokenError) {
        log.warn({ reason: err.message }, 'refused caller token');
        throw codedError(ErrorCode.UNAUTHENTICATED, 'This service is reachable only through the gateway', 401);
      }
      throw err;
    }
    return def.createContext({ caller: { ...caller, requestId }, requestId, log });
  }

  return {
    name: def.name,
    app,
    async listen(port, host = '127.0.0.1') {
      await apollo.start();
      app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: ({ req }) => buildContext(req) }));
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      started = true;
      const bound = (httpServer.address() as AddressInfo).port;
      return { url: `http://${host}:${bound}/graphql`, port: bound };
    },
    setNotReady() {
      draining = true;
    },
    async stop() {
      started = false;
      await apollo.stop();
      httpServer.closeAllConnections?.();
    },
  };
}
