import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import type { DataSource } from 'typeorm';
import { CALLER_TOKEN_HEADER, CallerTokenError, REQUEST_ID_HEADER, acceptRequestId, subgraphAudience, verifyCallerToken, type Caller } from '@pc/auth';
import { ErrorCode, codedError } from '@pc/errors';
import type { Logger } from '@pc/logging';
import { HttpError, headerMapOf, readJsonBody, sendGraphQLResponse, sendJson, sendJsonError } from './httpLayer';
import { closeKeepAliveWhileDraining } from './lifecycle';
import { createMetrics, metricsPlugin, registerPoolMetrics, type ServiceMetrics } from './metrics';
import { VerifiedCallerTokens } from './verifiedCallerTokens';

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
  /** Verified caller tokens kept until they expire (default 5000; 0 verifies every request's token). */
  callerTokenCacheSize?: number;
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

/**
 * A request handler run before the routes (tests use it to make a subgraph look down); returns
 * true when it answered the request itself.
 */
export type RequestInterceptor = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

/** A subgraph server that is built but not yet listening. */
export interface SubgraphServer {
  name: string;
  /** The node:http server (routes are the server's own; see {@link createSubgraphServer}). */
  httpServer: http.Server;
  metrics: ServiceMetrics;
  /** Adds a handler that runs before the routes, in the order added. */
  intercept(handler: RequestInterceptor): void;
  /** Binds the port (0 = any free port) and resolves with the GraphQL URL. */
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops accepting connections and waits for in-flight requests to finish. */
  stop(): Promise<void>;
  /** Shutdown, first step: /readyz answers 503 and responses close keep-alive connections; requests are still served. */
  setNotReady(): void;
}

const UNAUTHENTICATED_MESSAGE = 'This service is reachable only through the gateway';

/**
 * Turns a subgraph definition into an HTTP server: `buildSubgraphSchema` + Apollo Server on
 * `/graphql`, `/healthz`, `/readyz` (database reachable), `/metrics` (Prometheus). Every GraphQL
 * request must carry a caller token signed for this subgraph — a request that did not come
 * through the gateway (or an internal service) is refused before any resolver runs.
 *
 * Served straight from `node:http`: the handler builds Apollo's HTTPGraphQLRequest itself
 * (headers, JSON body of at most 1 MiB, search string) and calls `executeHTTPGraphQLRequest`;
 * every other answer — unknown path, wrong method, malformed JSON, wrong content type, body too
 * large — is a JSON error, never HTML. (Express and its Apollo integration cost ~17% of a
 * subgraph's CPU; see docs/performance.md.)
 */
export function createSubgraphServer<TContext extends SubgraphBaseContext>(def: SubgraphDefinition<TContext>, deps: SubgraphDeps): SubgraphServer {
  const interceptors: RequestInterceptor[] = [];
  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.log.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) sendJsonError(res, new HttpError(500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR));
      else res.destroy();
    });
  });
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
  const verified = deps.callerTokenCacheSize === 0 ? undefined : new VerifiedCallerTokens(deps.callerTokenCacheSize);

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

  async function readiness(): Promise<[number, unknown]> {
    try {
      if (draining) throw new Error('shutting down');
      if (!started) throw new Error('starting');
      await deps.dataSource.query('SELECT 1');
      return [200, { status: 'ready' }];
    } catch (err) {
      return [503, { status: 'unavailable', reason: (err as Error).message }];
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const intercept of interceptors) if (intercept(req, res)) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (path === '/graphql' || path === '/graphql/') return graphql(req, res, method, q < 0 ? '' : url.slice(q));
    if (path === '/healthz' || path === '/readyz' || path === '/metrics') {
      if (method !== 'GET' && method !== 'HEAD') {
        return sendJsonError(res, new HttpError(405, `${method} is not allowed on ${path}`, 'BAD_REQUEST', { allow: 'GET, HEAD' }));
      }
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        const [status, body] = await readiness();
        return sendJson(res, status, body);
      }
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    sendJsonError(res, new HttpError(404, `Not found: ${path}`, 'NOT_FOUND'));
  }

  async function graphql(req: http.IncomingMessage, res: http.ServerResponse, method: string, search: string): Promise<void> {
    if (method !== 'POST' && method !== 'GET') {
      return sendJsonError(res, new HttpError(405, `${method} is not allowed on /graphql`, 'BAD_REQUEST', { allow: 'GET, POST' }));
    }
    const headers = headerMapOf(req);
    let body: unknown;
    if (method === 'POST') {
      try {
        body = await readJsonBody(req, headers);
      } catch (err) {
        if (err instanceof HttpError) return sendJsonError(res, err);
        throw err;
      }
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search, body },
      context: () => buildContext(headers),
    });
    await sendGraphQLResponse(res, response);
  }

  async function buildContext(headers: Map<string, string>): Promise<TContext> {
    const requestId = acceptRequestId(headers.get(REQUEST_ID_HEADER)) ?? randomUUID();
    const log = deps.log.child({ requestId });
    const token = headers.get(CALLER_TOKEN_HEADER);
    if (token === undefined) {
      throw codedError(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE, 401);
    }
    let caller = verified?.get(token);
    if (!caller) {
      try {
        caller = await verifyCallerToken(token, { secret: deps.internalTokenSecret, audience });
      } catch (err) {
        if (err instanceof CallerTokenError) {
          log.warn({ reason: err.message }, 'refused caller token');
          throw codedError(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE, 401);
        }
        throw err;
      }
      verified?.set(token, caller);
    }
    return def.createContext({ caller: { ...caller, requestId }, requestId, log });
  }

  return {
    name: def.name,
    httpServer,
    metrics,
    intercept(handler) {
      interceptors.push(handler);
    },
    async listen(port, host = '127.0.0.1') {
      await apollo.start();
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
