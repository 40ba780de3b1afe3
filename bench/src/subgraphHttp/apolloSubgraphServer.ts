import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { GraphQLFormattedError } from 'graphql';
import { CALLER_TOKEN_HEADER, CallerTokenError, REQUEST_ID_HEADER, acceptRequestId, subgraphAudience, verifyCallerToken } from '@pc/auth';
import { ErrorCode, codedError } from '@pc/errors';
import { HttpError, readJsonBody, sendJson, sendJsonError } from '@pc/server/src/httpLayer';
import { VerifiedCallerTokens } from '@pc/server/src/verifiedCallerTokens';
import {
  closeKeepAliveWhileDraining,
  createMetrics,
  formatError,
  metricsPlugin,
  registerPoolMetrics,
  type RequestInterceptor,
  type SubgraphBaseContext,
  type SubgraphDefinition,
  type SubgraphDeps,
  type SubgraphServer,
} from '@pc/server';

const UNAUTHENTICATED_MESSAGE = 'This service is reachable only through the gateway';

/**
 * The subgraph server as it was with Apollo Server inside (shared/server/src/createSubgraphServer.ts
 * before the lean executor), kept only so that the bench can measure both back to back.
 *
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
export function createApolloSubgraphServer<TContext extends SubgraphBaseContext>(def: SubgraphDefinition<TContext>, deps: SubgraphDeps): SubgraphServer {
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

  const apollo = new ApolloServer<TContext & BaseContext>({
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

/** The request's headers as Apollo's HeaderMap. */
function headerMapOf(req: http.IncomingMessage): HeaderMap {
  const raw = req.rawHeaders;
  const headers = new HeaderMap();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? raw[i + 1] : `${prev}, ${raw[i + 1]}`);
  }
  return headers;
}

/** Writes what `executeHTTPGraphQLRequest` returned. */
async function sendGraphQLResponse(res: http.ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
