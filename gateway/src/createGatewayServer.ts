import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled, ApolloServerPluginSchemaReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { REQUEST_ID_HEADER, anonymousCaller, type Caller } from '@pc/auth';
import { ErrorCode, codedError } from '@pc/errors';
import type { Logger } from '@pc/logging';
import { createMetrics, formatError, metricsPlugin, type ServiceMetrics } from '@pc/server';
import { InvalidTokenError, type TokenVerifier } from './auth/verifyUserToken';
import { CallerDataSource } from './CallerDataSource';
import type { GatewayContext } from './context';

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
  /** More Apollo plugins (limits, persisted queries, access checks). */
  plugins?: ApolloServerPlugin<GatewayContext>[];
}

/** The gateway, built but not yet listening. */
export interface GatewayServer {
  app: express.Express;
  metrics: ServiceMetrics;
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

/**
 * The supergraph's single entry point: verifies the caller's token, plans the operation with
 * @apollo/gateway over the static supergraph, and forwards the verified caller to subgraphs.
 */
export function createGatewayServer(deps: GatewayDeps): GatewayServer {
  const production = deps.nodeEnv === 'production';
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;
  const metrics = createMetrics('gateway');

  // @apollo/gateway reads this in its constructor and otherwise posts anonymous usage data
  // hourly; this service handles health data and makes no outbound calls.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const gateway = new ApolloGateway({
    supergraphSdl: deps.supergraphSdl,
    buildService: ({ name, url }) => new CallerDataSource(name, deps.subgraphUrls?.[name] ?? url!, deps.internalTokenSecret),
    logger: deps.log,
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({
            embed: { endpointIsEditable: false, initialState: { pollForSchemaUpdates: false } },
            footer: false,
          } as never),
      metricsPlugin(metrics),
      ...(deps.plugins ?? []),
    ],
    formatError: (formatted, error) => formatError(formatted, error, deps.log, production),
  });

  let ready = false;
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'starting' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  async function buildContext(req: express.Request): Promise<GatewayContext> {
    const requestId = String(req.headers[REQUEST_ID_HEADER] ?? randomUUID());
    const log = deps.log.child({ requestId });
    const clientName = header(req, 'apollographql-client-name');
    const clientVersion = header(req, 'apollographql-client-version');
    const auth = header(req, 'authorization');
    let caller: Caller = anonymousCaller(requestId);
    if (auth) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m) throw codedError(ErrorCode.UNAUTHENTICATED, 'Authorization must be "Bearer <token>"', 401);
      try {
        caller = { ...(await deps.verifyToken(m[1])), requestId };
      } catch (err) {
        if (err instanceof InvalidTokenError) {
          log.info({ reason: err.message }, 'refused token');
          throw codedError(ErrorCode.UNAUTHENTICATED, 'Invalid or expired token', 401);
        }
        throw err;
      }
    }
    return { caller, log, clientName, clientVersion };
  }

  return {
    app,
    metrics,
    async listen(port, host = '127.0.0.1') {
      await apollo.start();
      app.use('/graphql', express.json({ limit: '100kb' }), expressMiddleware(apollo, { context: ({ req }) => buildContext(req) }));
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      ready = true;
      const bound = (httpServer.address() as AddressInfo).port;
      return { url: `http://${host}:${bound}/graphql`, port: bound };
    },
    async stop() {
      ready = false;
      await apollo.stop();
      httpServer.closeAllConnections?.();
    },
  };
}

function header(req: express.Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
