import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
  ApolloServerPluginSchemaReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { Histogram } from 'prom-client';
import { REQUEST_ID_HEADER, acceptRequestId, anonymousCaller, type Caller } from '@pc/auth';
import { ErrorCode, codedError } from '@pc/errors';
import type { Logger } from '@pc/logging';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { createMetrics, createServiceHost, metricsPlugin, useSharedScalars, type ServiceMetrics } from '@pc/server';
import { GraphQLError, Kind, parse } from 'graphql';
import { InvalidTokenError, type TokenVerifier } from './auth/verifyUserToken';
import { CallerDataSource } from './CallerDataSource';
import { CallerTokenCache, type CallerTokenCacheOptions } from './auth/callerTokenCache';
import { createSubgraphFetcher } from './subgraphFetcher';
import { createEntityCache, type EntityCacheSettings } from './entityCache/createEntityCache';
import type { GatewayContext } from './context';
import { sendErrorBody, sendGuardError, type GraphQLRequestBody, type GuardRequest, type RequestGuard } from './pipeline/guards';
import { clientAddress, compileTrustProxy, headerMapOf, parseByteSize, readJsonBody, writeApolloResponse, type TrustProxy } from './pipeline/httpFront';
import { formatGatewayError } from './pipeline/formatGatewayError';
import { operationInputPlugin } from './pipeline/operationInput';
import { attachSupergraphDirectives, authorizationPlugin, gatewaySupergraphSdl, type AuthorizationOptions } from './pipeline/authorization';

/** Everything the gateway is built from; `index.ts` derives it from config, tests directly. */
export interface GatewayDeps {
  supergraphSdl: string;
  /** Per-subgraph URL overrides; subgraphs not named use the URL in the supergraph. */
  subgraphUrls?: Record<string, string>;
  verifyToken: TokenVerifier;
  internalTokenSecret: string;
  log: Logger;
  /** `production` turns off introspection, the Sandbox landing page and error details. */
  nodeEnv: string;
  /** More Apollo plugins (limits, access log). */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /**
   * Checks run in order after the token is verified and before Apollo plans the operation
   * (grant check, persisted-query rules, rate limit); each may narrow the caller or refuse.
   */
  guards?: RequestGuard[];
  /** Largest accepted request body (a size string read with `bytes`, as express.json() read it); default `100kb`. */
  maxBodySize?: string;
  /** Cache of automatic persisted queries (Redis in production); in-memory by default. */
  apqCache?: KeyValueCache<string>;
  /** Parser token limit (graphql-js `maxTokens`); default 2,000. */
  maxTokens?: number;
  /**
   * Operations to parse, validate and plan before the gateway reports ready (the persisted
   * lists): nothing is sent to subgraphs, and the first patients neither pay for planning
   * (~50 ms for CabinetHome) nor plan one operation once per concurrent request. Default none.
   */
  warmUpOperations?: string[];
  /**
   * How subgraph calls are sent: `http` (default), node:http with a keep-alive agent, or `fetch`,
   * Node's global fetch — kept for comparison (docs/performance.md).
   */
  subgraphFetch?: 'http' | 'fetch';
  /** Fetches of one request to one subgraph in the same tick go as one batched HTTP call (SUBGRAPH_BATCHING); default on. */
  subgraphBatching?: boolean;
  /**
   * Caller tokens reused per caller and subgraph while ≥ 15 s of their 60 s remain
   * (gateway/src/auth/callerTokenCache.ts, CALLER_TOKEN_CACHE_SIZE); `false` signs one for
   * every subgraph fetch. Default on, 20,000 tokens.
   */
  callerTokenCache?: false | Omit<CallerTokenCacheOptions, 'secret'>;
  /**
   * TRUST_PROXY, with Express' `trust proxy` semantics (pipeline/httpFront.ts compileTrustProxy):
   * whose X-Forwarded-For decides `req.ip`, the address anonymous callers are rate-limited by.
   * Default `false`: the socket's peer, the header ignored.
   */
  trustProxy?: boolean | number | string;
  /**
   * Serve `/metrics` on this separate (internal) port instead of the public one (0 = any free
   * port); undefined: on the public port (development only; index.ts decides, see METRICS_PORT).
   */
  metricsPort?: number;
  /** Dependencies the gateway is serving without right now (e.g. `['redis']`); /readyz reports them. */
  degraded?: () => string[];
  /** `@requiresScopes` / `@authenticated` enforcement (pipeline/authorization.ts); default: refused fields removed. */
  authorization?: AuthorizationOptions;
  /** Cache of public entities driven by the supergraph's `@cacheControl` hints (entityCache/, ENTITY_CACHE_SIZE); default off. */
  entityCache?: EntityCacheSettings;
}

/** The gateway, built but not yet listening. */
export interface GatewayServer {
  metrics: ServiceMetrics;
  /** `metricsUrl`: where `/metrics` is served when it has its own port. */
  listen(port: number, host?: string): Promise<{ url: string; port: number; metricsUrl?: string }>;
  stop(): Promise<void>;
  /** Shutdown, first step: /readyz answers 503 and responses close keep-alive connections; requests are still served. */
  setNotReady(): void;
}

/**
 * The supergraph's single entry point: verifies the caller's token, plans the operation with
 * @apollo/gateway over the static supergraph, and forwards the verified caller to subgraphs.
 */
export function createGatewayServer(deps: GatewayDeps): GatewayServer {
  const production = deps.nodeEnv === 'production';
  const trust = compileTrustProxy(deps.trustProxy ?? false);
  const bodyLimit = parseByteSize(deps.maxBodySize ?? '100kb');
  const metrics = createMetrics('gateway');
  // The HTTP host every service shares (health, readiness, /metrics — on METRICS_PORT when set —,
  // keep-alive during a drain, stop); `serve` handles everything else.
  const host = createServiceHost({
    handler: (req, res) => {
      serve(req, res).catch((err: unknown) => answerError(err, req, res, deps.log));
    },
    registry: metrics.registry,
    // A degraded dependency (Redis) still serves traffic, so the instance stays in the load
    // balancer: 200, with what is degraded for alerts and dashboards (docs/edge.md).
    readiness: () => ({ ready: true, degraded: deps.degraded?.() ?? [] }),
    metricsPort: deps.metricsPort,
    log: deps.log,
  });
  const fetchDuration = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Time of each fetch from the gateway to a subgraph',
    labelNames: ['subgraph'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [metrics.registry],
  });

  // @apollo/gateway reads this in its constructor and otherwise posts anonymous usage data
  // hourly; this service handles health data and makes no outbound calls.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const send = deps.subgraphFetch === 'fetch' ? undefined : createSubgraphFetcher();
  const callerTokens = new CallerTokenCache({
    secret: deps.internalTokenSecret,
    ...(deps.callerTokenCache === false ? { maxEntries: 0 } : deps.callerTokenCache),
  });
  const entityCache = deps.entityCache?.maxEntries ? createEntityCache(deps.entityCache, deps.supergraphSdl, deps.log, metrics.registry) : undefined;
  const gateway = new ApolloGateway({
    // The supergraph's @requiresScopes/@authenticated are enforced here (authorizationPlugin).
    supergraphSdl: gatewaySupergraphSdl(deps.supergraphSdl),
    buildService: ({ name, url }) =>
      new CallerDataSource(name, deps.subgraphUrls?.[name] ?? url!, callerTokens, fetchDuration, send, entityCache?.cache, deps.subgraphBatching ?? true),
    logger: deps.log,
  });
  // The API schema parses Date/DateTime as the subgraphs do (one definition, @pc/server): an
  // impossible date fails validation or variable coercion here and never reaches a subgraph.
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    useSharedScalars(apiSchema);
    // The domains' authorization and access-log directives, read once per schema load.
    attachSupergraphDirectives(apiSchema, coreSupergraphSdl);
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    // Production answers a misspelt field without "Did you mean …" hints about the schema.
    hideSchemaDetailsFromClientErrors: production,
    parseOptions: { maxTokens: deps.maxTokens ?? 2000 },
    persistedQueries: deps.apqCache ? { cache: deps.apqCache } : {},
    allowBatchedHttpRequests: false,
    // The process entry (index.ts) drains and exits on SIGTERM itself; Apollo's own handler would
    // race it and re-raise the signal, leaving the process hanging until SIGKILL.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({
            embed: { endpointIsEditable: false, initialState: { pollForSchemaUpdates: false } },
            footer: false,
          } as never),
      metricsPlugin(metrics),
      // Before the limits: bad variables or operation name are 400 BAD_USER_INPUT, not a 500 from a later hook.
      operationInputPlugin(),
      ...(deps.plugins ?? []),
      authorizationPlugin(deps.authorization),
    ],
    formatError: (formatted, error) => {
      // graphql-js reports the parser's token limit as a syntax error; give it the limit's code.
      if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && /contains more th\w+ \d+ tokens/.test(formatted.message)) {
        return { message: formatted.message, extensions: { code: 'TOKEN_LIMIT_EXCEEDED' } };
      }
      return formatGatewayError(formatted, error, deps.log, production);
    },
  });

  /**
   * `/graphql` (and below it, case-insensitive, as Express mounted it): the JSON body, then
   * authentication and guards, then Apollo. Anything else is a JSON 404.
   */
  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (!isGraphQLPath(path)) {
      sendErrorBody(res, 404, `No route for ${req.method} ${path}`, { code: ErrorCode.NOT_FOUND });
      return;
    }
    const search = q < 0 ? '' : url.slice(q);
    const body = await readJsonBody(req, bodyLimit);
    const context = await admit(req, res, body, search);
    if (!context) return;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMapOf(req), search, body },
      context: () => Promise.resolve(context),
    });
    await writeApolloResponse(res, response);
  }

  /**
   * Authentication and guards run in front of Apollo: a refused request never reaches parsing or
   * query planning, which is where the gateway spends its time. Returns the request's context,
   * or undefined when a refusal was answered.
   */
  async function admit(req: http.IncomingMessage, res: http.ServerResponse, parsedBody: unknown, search: string): Promise<GatewayContext | undefined> {
    const requestId = acceptRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
    const log = deps.log.child({ requestId });
    try {
      let caller = await authenticate(req, requestId, log);
      const body = (req.method === 'GET' ? parseGetParams(search) : (parsedBody ?? {})) as GraphQLRequestBody;
      const guardReq = guardRequestOf(req, trust);
      for (const guard of deps.guards ?? []) caller = await guard({ caller, body, req: guardReq, log });
      const clientName = header(req, 'apollographql-client-name');
      const clientVersion = header(req, 'apollographql-client-version');
      return {
        caller,
        // Client awareness: every log line of the request names the calling app and version.
        log: clientName ? log.child({ client: clientName, clientVersion }) : log,
        clientName,
        clientVersion,
      };
    } catch (err) {
      if (err instanceof GraphQLError) {
        metrics.errors.inc({ code: String(err.extensions?.code ?? 'UNKNOWN') });
        sendGuardError(res, err);
        return undefined;
      }
      throw err;
    }
  }

  async function authenticate(req: http.IncomingMessage, requestId: string, log: Logger): Promise<Caller> {
    const auth = header(req, 'authorization');
    if (!auth) return anonymousCaller(requestId);
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw codedError(ErrorCode.UNAUTHENTICATED, 'Authorization must be "Bearer <token>"', 401);
    try {
      return { ...(await deps.verifyToken(m[1])), requestId };
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        log.info({ reason: err.message }, 'refused token');
        throw codedError(ErrorCode.UNAUTHENTICATED, 'Invalid or expired token', 401);
      }
      throw err;
    }
  }

  return {
    metrics,
    async listen(port, hostname = '127.0.0.1') {
      await apollo.start();
      await warmUp(apollo, deps);
      return host.listen(port, hostname);
    },
    setNotReady: () => host.setNotReady(),
    async stop() {
      // Close the port after in-flight requests finished (at most 10 s), then Apollo and what the gateway holds.
      await host.stop();
      await apollo.stop();
      send?.close();
      await entityCache?.stop();
    },
  };
}

/**
 * Plans every warm-up operation once (anonymous, nothing sent: see CallerDataSource.process).
 * Operations with a required variable are left out: without a value Apollo stops before planning.
 */
async function warmUp(apollo: ApolloServer<GatewayContext>, deps: GatewayDeps): Promise<void> {
  const ops = (deps.warmUpOperations ?? []).filter((query) => !hasRequiredVariable(query));
  if (ops.length === 0) return;
  const started = Date.now();
  for (const query of ops) {
    const contextValue: GatewayContext = { caller: anonymousCaller('warm-up'), log: deps.log, warmUp: true };
    try {
      await apollo.executeOperation({ query }, { contextValue });
    } catch (err) {
      deps.log.warn({ err }, 'warm-up of a listed operation failed');
    }
  }
  deps.log.info({ operations: ops.length, ms: Date.now() - started }, 'planned the listed operations');
}

function hasRequiredVariable(query: string): boolean {
  try {
    return parse(query).definitions.some(
      (d) => d.kind === Kind.OPERATION_DEFINITION && (d.variableDefinitions ?? []).some((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue),
    );
  } catch {
    return true;
  }
}

/** `/graphql` or a path below it, in any case (how Express matched `app.use('/graphql')`). */
function isGraphQLPath(path: string): boolean {
  if (path.length < 8 || path.slice(0, 8).toLowerCase() !== '/graphql') return false;
  return path.length === 8 || path[8] === '/';
}

/** The request as guards see it; `ip` is worked out only if a guard reads it (anonymous rate limits). */
function guardRequestOf(req: http.IncomingMessage, trust: TrustProxy): GuardRequest {
  let ip: string | undefined;
  return {
    headers: req.headers,
    method: req.method ?? 'GET',
    get ip() {
      return (ip ??= clientAddress(req, trust));
    },
  };
}

/**
 * GET requests carry the operation in the query string (variables/extensions as JSON), for the
 * guards; Apollo reads the same string itself, and refuses what is malformed.
 */
function parseGetParams(search: string): GraphQLRequestBody {
  const params = new URLSearchParams(search);
  const json = (v: string | null) => {
    try {
      return v ? (JSON.parse(v) as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    query: params.get('query') ?? undefined,
    operationName: params.get('operationName') ?? undefined,
    variables: json(params.get('variables')),
    extensions: json(params.get('extensions')),
  };
}

/**
 * Whatever failed outside Apollo becomes a GraphQL-shaped JSON response with a stable code,
 * never an HTML page: an oversized body is 413 REQUEST_TOO_LARGE, malformed JSON 400; other
 * client errors keep their status and exposable message; anything else (a guard or the token
 * check threw) is a logged 500.
 */
function answerError(err: unknown, req: http.IncomingMessage, res: http.ServerResponse, log: Logger): void {
  if (res.headersSent) {
    log.error({ err, method: req.method, url: req.url }, 'response failed after its headers were sent');
    res.destroy();
    return;
  }
  const e = (err ?? {}) as { type?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  if (e.type === 'entity.too.large') return sendErrorBody(res, 413, 'Request body too large', { code: 'REQUEST_TOO_LARGE' });
  if (e.type === 'entity.parse.failed') return sendErrorBody(res, 400, 'Malformed JSON body', { code: 'BAD_REQUEST' });
  const status = Number(e.status ?? e.statusCode);
  if (status >= 400 && status < 500) {
    const message = e.expose === true && typeof e.message === 'string' ? e.message : 'Bad request';
    return sendErrorBody(res, status, message, { code: status === 404 ? ErrorCode.NOT_FOUND : 'BAD_REQUEST' });
  }
  log.error({ err, method: req.method, path: (req.url ?? '/').split('?')[0] }, 'unexpected error outside GraphQL execution');
  sendErrorBody(res, 500, 'Internal server error', { code: ErrorCode.INTERNAL_SERVER_ERROR });
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
