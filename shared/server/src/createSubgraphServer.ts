import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { DataSource } from 'typeorm';
import { CALLER_TOKEN_HEADER, CallerTokenError, REQUEST_ID_HEADER, acceptRequestId, subgraphAudience, verifyCallerToken, type Caller } from '@pc/auth';
import { ErrorCode, codedError } from '@pc/errors';
import type { Logger } from '@pc/logging';
import { BATCH_STATUS_HEADER, MAX_BATCH_OPERATIONS, RequestErrorCode, createOperationExecutor, type OperationResult } from './executeOperation';
import { HttpError, headerMapOf, operationFromSearch, readJsonBody, sendJsonError, type Headers } from './httpLayer';
import { createMetrics, registerPoolMetrics, type ServiceMetrics } from './metrics';
import { createServiceHost, type RequestInterceptor } from './serviceHost';
import { VerifiedCallerTokens } from './verifiedCallerTokens';

export { formatError } from './executeOperation';

/** What every subgraph's context starts with. */
export interface SubgraphBaseContext {
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

/** A subgraph server that is built but not yet listening. */
export interface SubgraphServer {
  name: string;
  /** The node:http server (its host: serviceHost.ts). */
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
 * Turns a subgraph definition into an HTTP server: `buildSubgraphSchema` + a lean GraphQL
 * executor (executeOperation.ts: graphql-js with a cache of validated documents; Apollo Server's
 * request pipeline cost more CPU than the operation itself, docs/performance.md) on `/graphql`,
 * and, through its host (serviceHost.ts), `/healthz`, `/readyz` (database reachable), `/metrics`. Every GraphQL request must
 * carry a caller token signed for this subgraph — a request that did not come through the gateway
 * (or an internal service) is refused with 401 before anything is parsed or resolved.
 *
 * `/graphql` takes POST with a JSON body of at most 1 MiB — one operation, or a batch: an array
 * of operations answered by an array of results in the same order (Apollo's batched HTTP format,
 * one context shared by the batch, each operation's own HTTP status in `x-batch-status`) — and
 * GET for queries (with a CSRF preflight header, as Apollo Server required). Every other answer —
 * unknown path, wrong method, malformed JSON, wrong content type, body too large — is a JSON
 * error, never HTML.
 */
export function createSubgraphServer<TContext extends SubgraphBaseContext>(def: SubgraphDefinition<TContext>, deps: SubgraphDeps): SubgraphServer {
  const metrics = createMetrics(def.name);
  registerPoolMetrics(
    metrics,
    () => (deps.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master,
  );
  const production = deps.nodeEnv === 'production';
  const audience = subgraphAudience(def.name);
  const verified = deps.callerTokenCacheSize === 0 ? undefined : new VerifiedCallerTokens(deps.callerTokenCacheSize);

  const executor = createOperationExecutor({
    schema: buildSubgraphSchema({ typeDefs: def.typeDefs, resolvers: def.resolvers as GraphQLResolverMap<unknown> }),
    // Subgraphs are private: the supergraph is composed from files, so production refuses introspection.
    production,
    log: deps.log,
    metrics,
  });
  const host = createServiceHost({
    handler: (req, res) => {
      handle(req, res).catch((err: unknown) => {
        deps.log.error({ err, url: req.url }, 'request failed');
        if (!res.headersSent) sendJsonError(res, new HttpError(500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR));
        else res.destroy();
      });
    },
    registry: metrics.registry,
    // Ready while the database answers.
    readiness: async () => {
      await deps.dataSource.query('SELECT 1');
      return { ready: true };
    },
    log: deps.log,
  });

  /** `/graphql`; /healthz, /readyz and /metrics are the host's. */
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (path === '/graphql' || path === '/graphql/') return graphql(req, res, method, q < 0 ? '' : url.slice(q));
    sendJsonError(res, new HttpError(404, `Not found: ${path}`, 'NOT_FOUND'));
  }

  async function graphql(req: http.IncomingMessage, res: http.ServerResponse, method: string, search: string): Promise<void> {
    if (method !== 'POST' && method !== 'GET') {
      return sendJsonError(res, new HttpError(405, `${method} is not allowed on /graphql`, 'BAD_REQUEST', { allow: 'GET, POST' }));
    }
    const headers = headerMapOf(req);
    let body: unknown;
    try {
      body = method === 'POST' ? await readJsonBody(req, headers) : operationFromSearch(search, headers);
    } catch (err) {
      if (err instanceof HttpError) return sendJsonError(res, err);
      throw err;
    }
    let context: TContext;
    try {
      context = await buildContext(headers);
    } catch (err) {
      const e = err instanceof GraphQLError ? err : new GraphQLError(`Context creation failed: ${(err as Error).message}`, { originalError: err as Error });
      return sendResult(res, executor.errorResult([e], 500));
    }
    const client = headers.get('apollographql-client-name') ?? 'unknown';
    if (!Array.isArray(body)) return sendResult(res, await executor.run(body as object, context, client, method === 'GET'));
    if (body.length === 0 || body.length > MAX_BATCH_OPERATIONS) {
      const message = `A batch holds 1 to ${MAX_BATCH_OPERATIONS} operations, not ${body.length}`;
      return sendResult(res, executor.errorResult([new GraphQLError(message, { extensions: { code: RequestErrorCode.BAD_REQUEST } })], 400));
    }
    const results = await Promise.all(body.map((op: object) => executor.run(op, context, client)));
    const text = `[${results.map((r) => r.body).join(',')}]`;
    res.writeHead(results.find((r) => r.status !== 200)?.status ?? 200, {
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(text),
      [BATCH_STATUS_HEADER]: results.map((r) => r.status).join(','),
    });
    res.end(text);
  }

  async function buildContext(headers: Headers): Promise<TContext> {
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
    httpServer: host.httpServer,
    metrics,
    intercept: (handler) => host.intercept(handler),
    listen: (port, hostname = '127.0.0.1') => host.listen(port, hostname),
    setNotReady: () => host.setNotReady(),
    stop: () => host.stop(),
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Writes one operation's answer (a newline after the JSON, as Apollo Server wrote it). */
function sendResult(res: http.ServerResponse, result: OperationResult): void {
  const text = `${result.body}\n`;
  res.writeHead(result.status, { ...result.headers, 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
