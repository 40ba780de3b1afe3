import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import type { DataSource } from 'typeorm';
import { CALLER_TOKEN_HEADER, CallerTokenError, REQUEST_ID_HEADER, subgraphAudience, verifyCallerToken, type Caller } from '@pc/auth';
import { ErrorCode, codedError } from '@pc/errors';
import type { Logger } from '@pc/logging';
import { closeKeepAliveWhileDraining } from './lifecycle';
import { createMetrics, metricsPlugin, registerPoolMetrics, type ServiceMetrics } from './metrics';

/** What every subgraph's context starts with. */
export interface SubgraphBaseContext extends BaseContext {
  caller: Caller;
  requestId: string;
  log: Logger;
}

/** Dependencies a subgraph server is built from; tests pass them directly, `index.ts` from config. */
export interface SubgraphDeps {
  dataSource: DataSource;
  log: Logger;
  /** INTERNAL_TOKEN_SECRET: verifies the caller token the gateway signed. */
  internalTokenSecret: string;
  /** `production` hides error details. */
  nodeEnv: string;
}

/** The parts of a subgraph the factory assembles into a server. */
export interface SubgraphDefinition<TContext extends SubgraphBaseContext> {
  /** Subgraph name, as in the composition list (`schema/subgraphs.json`). */
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<TContext>;
  /** Builds the per-request context (loaders, services) from the verified base context. */
  createContext(base: SubgraphBaseContext): TContext | Promise<TContext>;
}

/** A subgraph server that is built but not yet listening. */
export interface SubgraphServer {
  name: string;
  app: express.Express;
  metrics: ServiceMetrics;
  /** Binds the port (0 = any free port) and resolves with the GraphQL URL. */
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops accepting connections and waits for in-flight requests to finish. */
  stop(): Promise<void>;
  /** Shutdown, first step: /readyz answers 503 and responses close keep-alive connections; requests are still served. */
  setNotReady(): void;
}

/**
 * Turns a subgraph definition into an HTTP server: `buildSubgraphSchema` + Apollo Server on
 * `/graphql`, `/healthz`, `/readyz` (database reachable), `/metrics` (Prometheus). Every GraphQL
 * request must carry a caller token signed for this subgraph — a request that did not come
 * through the gateway (or an internal service) is refused before any resolver runs.
 */
export function createSubgraphServer<TContext extends SubgraphBaseContext>(
  def: SubgraphDefinition<TContext>,
  deps: SubgraphDeps,
): SubgraphServer {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  // Keep-alive connections from the gateway must outlive its agent's idle timeout.
  httpServer.keepAliveTimeout = 65_000;
  let draining = false;
  closeKeepAliveWhileDraining(httpServer, () => draining);
  const metrics = createMetrics(def.name);
  registerPoolMetrics(metrics, () => (deps.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master);
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
    metrics,
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

/**
 * Keeps stable codes and hides internals: unexpected errors become INTERNAL_SERVER_ERROR with
 * a generic message (the cause is logged), and production responses carry no stack traces.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: Logger, production: boolean): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (!code || code === ErrorCode.INTERNAL_SERVER_ERROR) {
    log.error({ err: (error as { originalError?: unknown }).originalError ?? error, path: formatted.path }, 'unexpected error');
    if (production) {
      return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
    return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
  return formatted;
}
