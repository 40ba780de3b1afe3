import { randomUUID } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
  ApolloServerPluginSchemaReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
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
import { sendErrorBody, sendGuardError, type GraphQLRequestBody, type RequestGuard } from './pipeline/guards';
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
  /** Largest accepted request body; default `100kb`. */
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
   * Express `trust proxy` (TRUST_PROXY): whose X-Forwarded-For decides `req.ip`, the address
   * anonymous callers are rate-limited by. Default `false`: the socket's peer, the header ignored.
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
  app: express.Express;
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
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  const metrics = createMetrics('gateway');
  // The HTTP host every service shares (health, readiness, /metrics — on METRICS_PORT when set —,
  // keep-alive during a drain, stop); Express handles everything else.
  const host = createServiceHost({
    handler: app,
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
   * Authentication and guards run as Express middleware in front of Apollo: a refused request
   * never reaches parsing or query planning, which is where the gateway spends its time.
   */
  async function admit(req: express.Request, res: express.Response, next: express.NextFunction): Promise<void> {
    const requestId = acceptRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
    const log = deps.log.child({ requestId });
    try {
      let caller = await authenticate(req, requestId, log);
      const body = (req.method === 'GET' ? parseGetParams(req) : (req.body ?? {})) as GraphQLRequestBody;
      for (const guard of deps.guards ?? []) caller = await guard({ caller, body, req, log });
      const clientName = header(req, 'apollographql-client-name');
      const clientVersion = header(req, 'apollographql-client-version');
      const context: GatewayContext = {
        caller,
        // Client awareness: every log line of the request names the calling app and version.
        log: clientName ? log.child({ client: clientName, clientVersion }) : log,
        clientName,
        clientVersion,
      };
      res.locals.context = context;
      next();
    } catch (err) {
      if (err instanceof GraphQLError) {
        metrics.errors.inc({ code: String(err.extensions?.code ?? 'UNKNOWN') });
        sendGuardError(res, err);
        return;
      }
      next(err);
    }
  }

  async function authenticate(req: express.Request, requestId: string, log: Logger): Promise<Caller> {
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
    app,
    metrics,
    async listen(port, hostname = '127.0.0.1') {
      await apollo.start();
      await warmUp(apollo, deps);
      app.use(
        '/graphql',
        express.json({ limit: deps.maxBodySize ?? '100kb' }),
        (req, res, next) => void admit(req, res, next),
        expressMiddleware(apollo, { context: async ({ res }) => res.locals.context as GatewayContext }),
      );
      app.use(bodyErrorHandler);
      // Nothing answers with Express' HTML pages: unknown paths and unexpected errors are JSON too.
      app.use(notFoundHandler, finalErrorHandler(deps.log));
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

/** GET requests carry the operation in the query string (variables/extensions as JSON). */
function parseGetParams(req: express.Request): GraphQLRequestBody {
  const q = req.query as Record<string, string | undefined>;
  const json = (v?: string) => {
    try {
      return v ? (JSON.parse(v) as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  return { query: q.query, operationName: q.operationName, variables: json(q.variables), extensions: json(q.extensions) };
}

/** Oversized or malformed JSON bodies get a GraphQL-shaped error with a stable code. */
function bodyErrorHandler(err: { type?: string; status?: number }, _req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (err?.type === 'entity.too.large') {
    sendErrorBody(res, 413, 'Request body too large', { code: 'REQUEST_TOO_LARGE' });
  } else if (err?.type === 'entity.parse.failed') {
    sendErrorBody(res, 400, 'Malformed JSON body', { code: 'BAD_REQUEST' });
  } else next(err);
}

/** Unknown paths: a GraphQL-shaped 404 instead of Express' HTML "Cannot GET". */
function notFoundHandler(req: express.Request, res: express.Response): void {
  sendErrorBody(res, 404, `No route for ${req.method} ${req.path}`, { code: ErrorCode.NOT_FOUND });
}

/**
 * The last error handler: whatever reached it (a guard or middleware threw, a malformed URL…)
 * becomes a GraphQL-shaped JSON response with a stable code, never Express' HTML page.
 * Client errors keep their status and exposable message; anything else is a logged 500.
 */
function finalErrorHandler(log: Logger) {
  return (err: unknown, req: express.Request, res: express.Response, next: express.NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
    const status = Number(e.status ?? e.statusCode);
    if (status >= 400 && status < 500) {
      const message = e.expose === true && typeof e.message === 'string' ? e.message : 'Bad request';
      sendErrorBody(res, status, message, { code: status === 404 ? ErrorCode.NOT_FOUND : 'BAD_REQUEST' });
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'unexpected error outside GraphQL execution');
    sendErrorBody(res, 500, 'Internal server error', { code: ErrorCode.INTERNAL_SERVER_ERROR });
  };
}

function header(req: express.Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
