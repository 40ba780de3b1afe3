/**
 * The peer gateway: Hive Gateway's runtime (`@graphql-hive/gateway-runtime`) over the same
 * committed `schema/supergraph.graphql` and the same subgraph processes, with authentication made
 * equal to ours: it verifies the bearer token against the same JWKS (jose, issuer, audience,
 * expiry, 5 s tolerance) and sends each subgraph a caller token signed for that subgraph with
 * INTERNAL_TOKEN_SECRET (`@pc/auth`), exactly the header our CallerDataSource sets. What it does
 * not do, and ours does: grant checks, the access log, persisted-query lists, limits, rate limits.
 *
 * Environment: PORT, SUPERGRAPH_PATH, SUBGRAPH_URLS (`name=url,…`), JWKS_URL, JWT_ISSUER,
 * JWT_AUDIENCE, INTERNAL_TOKEN_SECRET.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, Kind, parse, print, visit, type DirectiveNode } from 'graphql';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { CALLER_TOKEN_HEADER, REQUEST_ID_HEADER, signCallerToken, subgraphAudience, type Caller, type Role } from '@pc/auth';
import { num, parseConfig, str } from '@pc/config';

const config = parseConfig({
  NODE_ENV: str({ default: 'production' }),
  PORT: num({ default: 5105 }),
  SUPERGRAPH_PATH: str(),
  SUBGRAPH_URLS: str({ default: '' }),
  JWKS_URL: str(),
  JWT_ISSUER: str(),
  JWT_AUDIENCE: str({ default: 'patient-cabinet' }),
  INTERNAL_TOKEN_SECRET: str(),
});

/** The supergraph with `@join__graph(url:)` pointed at the bench's subgraph ports. */
function withSubgraphUrls(sdl: string, urls: Record<string, string>): string {
  const doc = visit(parse(sdl), {
    Directive(node: DirectiveNode): DirectiveNode | undefined {
      if (node.name.value !== 'join__graph') return undefined;
      const name = node.arguments?.find((a) => a.name.value === 'name')?.value;
      const url = name?.kind === Kind.STRING ? urls[name.value] : undefined;
      if (!url) return undefined;
      return {
        ...node,
        arguments: node.arguments?.map((a) => (a.name.value === 'url' ? { ...a, value: { kind: Kind.STRING, value: url } } : a)),
      };
    },
  });
  return print(doc);
}

const urls = Object.fromEntries(
  config.SUBGRAPH_URLS.split(',')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const jwks = createRemoteJWKSet(new URL(config.JWKS_URL));
const KNOWN_ROLES: Role[] = ['PATIENT', 'DOCTOR'];

/** Verifies the bearer token as our gateway's createTokenVerifier does. */
async function authenticate(authorization: string | null): Promise<Caller> {
  const requestId = randomUUID();
  if (!authorization) return { subject: null, roles: [], scopes: [], clientId: null, tokenId: null, requestId };
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  const refuse = () => new GraphQLError('Invalid or expired token', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  if (!m) throw refuse();
  try {
    const { payload } = await jwtVerify(m[1], jwks, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      clockTolerance: 5,
      requiredClaims: ['sub', 'exp'],
    });
    const roles = (Array.isArray(payload.roles) ? payload.roles : [payload.roles]).filter((r): r is Role => KNOWN_ROLES.includes(r as Role));
    if (roles.length === 0) throw refuse();
    return {
      subject: String(payload.sub),
      roles,
      scopes: String(payload.scope ?? '')
        .split(' ')
        .filter(Boolean),
      clientId: typeof payload.client_id === 'string' ? payload.client_id : null,
      tokenId: typeof payload.jti === 'string' ? payload.jti : null,
      requestId,
    };
  } catch (err) {
    if (err instanceof errors.JOSEError) throw refuse();
    throw err;
  }
}

interface CallerContext {
  caller?: Caller;
}

/** Authenticates before execution, as our gateway does before planning. */
const authPlugin: GatewayPlugin<CallerContext> = {
  async onContextBuilding({ context, extendContext }) {
    const headers = (context as { request?: Request }).request?.headers;
    extendContext({ caller: await authenticate(headers?.get('authorization') ?? null) });
  },
};

const gateway = createGatewayRuntime<CallerContext>({
  supergraph: withSubgraphUrls(readFileSync(config.SUPERGRAPH_PATH, 'utf8'), urls),
  landingPage: false,
  graphiql: false,
  logging: 'error',
  plugins: () => [authPlugin],
  propagateHeaders: {
    fromClientToSubgraphs: async ({ context, subgraphName }) => {
      const caller = context.caller;
      if (!caller) return {};
      return {
        [CALLER_TOKEN_HEADER]: await signCallerToken(caller, { secret: config.INTERNAL_TOKEN_SECRET, audience: subgraphAudience(subgraphName) }),
        [REQUEST_ID_HEADER]: caller.requestId,
      };
    },
  },
});

const server = http.createServer(gateway);
server.keepAliveTimeout = 65_000;
server.listen(config.PORT, '127.0.0.1', () => {
  process.stdout.write(`hive gateway on http://127.0.0.1:${config.PORT}/graphql\n`);
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
