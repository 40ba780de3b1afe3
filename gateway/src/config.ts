import { bool, commonSpec, num, parseConfig, port, str } from '@pc/config';
import { DEFAULT_NOTIFY_TTL_MS } from './access/GrantCache';
import { compileTrustProxy } from './pipeline/httpFront';

/** The gateway's environment, parsed once at start. */
export const gatewaySpec = {
  ...commonSpec,
  PORT: port({ default: 4000 }),
  HOST: str({ default: '127.0.0.1' }),
  /** Path of the composed supergraph (committed; `npm run compose` regenerates it). */
  SUPERGRAPH_PATH: str({ default: '' }),
  /** Overrides of subgraph URLs, `name=url,name=url` (docker, tests); default: the URLs in the supergraph. */
  SUBGRAPH_URLS: str({ default: '' }),
  /** How subgraph calls are sent: node:http with keep-alive (`http`), or the global `fetch` (for comparison). */
  SUBGRAPH_FETCH: str({ choices: ['http', 'fetch'], default: 'http' }),
  /** Fetches of one request to the same subgraph in the same tick as one batched HTTP call (`on`) or one call each (`off`). */
  SUBGRAPH_BATCHING: str({ choices: ['on', 'off'], default: 'on' }),
  /** Expected `iss` of end-user tokens. */
  JWT_ISSUER: str({ default: 'pc-dev-issuer' }),
  /** Expected `aud` of end-user tokens. */
  JWT_AUDIENCE: str({ default: 'patient-cabinet' }),
  /** JWKS of the identity provider (production). */
  JWKS_URL: str({ default: '' }),
  /** Verified bearer tokens kept (LRU, each until its exp − 5 s, at most 5 min) so a token seen again skips the signature check; 0 = off. */
  TOKEN_CACHE_SIZE: num({ default: 10_000 }),
  /** Caller tokens kept (LRU, one per caller and subgraph, reused while ≥ 15 s of their 60 s remain); 0 = sign one per subgraph fetch. */
  CALLER_TOKEN_CACHE_SIZE: num({ default: 20_000 }),
  /** Public entities kept by the entity cache (`@cacheControl` hints; on while DATABASE_URL delivers change notifications; at most 64 MiB; docs/performance.md); 0 = off. */
  ENTITY_CACHE_SIZE: num({ default: 50_000 }),
  /** Redis for APQ and shared rate-limit counters; in-memory per instance when empty. */
  REDIS_URL: str({ default: '' }),
  /** Whether first-party callers (state cabinet, doctors, anonymous) may also send free-form operations and register APQ; default on outside production, refused in production. */
  STATE_FREE_FORM: str({ choices: ['', 'true', 'false'], default: '' }),
  /** Requests per person and cabinet (anonymous: per client address) per RATE_LIMIT_WINDOW_SECONDS. */
  RATE_LIMIT_POINTS: num({ default: 600 }),
  /** Requests per cabinet, all its persons together, per RATE_LIMIT_WINDOW_SECONDS; 0 = no cabinet-wide ceiling. */
  RATE_LIMIT_CABINET_POINTS: num({ default: 60_000 }),
  RATE_LIMIT_WINDOW_SECONDS: num({ default: 60 }),
  /**
   * Whose X-Forwarded-For sets the client address (Express `trust proxy`): `false` (default: the
   * header is ignored), a number of proxy hops in front of the gateway, or addresses/CIDRs/
   * `loopback`,`linklocal`,`uniquelocal`, comma-separated; `true` trusts any sender (only when
   * nothing but the proxy can reach the gateway).
   */
  TRUST_PROXY: str({ default: 'false' }),
  /**
   * Port of `/metrics` (internal; never expose it). Empty: 9464 in production, the public port
   * otherwise. In production /metrics is never served on the public port.
   */
  METRICS_PORT: str({ default: '' }),
  /** OTLP/HTTP traces endpoint; tracing is off (and nothing leaves the machine) when empty. */
  OTEL_EXPORTER_OTLP_ENDPOINT: str({ default: '' }),
  /** Operation limits. */
  MAX_DEPTH: num({ default: 10 }),
  MAX_ALIASES: num({ default: 15 }),
  MAX_COST: num({ default: 5000 }),
  /** The built-in development issuer (key pair in DATA_DIR); default on outside production, refused in production. */
  DEV_ISSUER: str({ choices: ['', 'true', 'false'], default: '' }),
  // Access management (gateway/src/access, docs/access.md): grant checks and the access log.
  /** Check patients' grants and record the access log; needs DATABASE_URL; cannot be off in production. */
  ACCESS_GUARD: bool({ default: true }),
  /**
   * Lifetime (ms) of a cached grant check (and representation list) while changes arrive by
   * LISTEN/NOTIFY: a safety net only, since every change is notified and a grant's expiry is
   * checked on each request. Two minutes: a patient coming back to the cabinet within them is
   * admitted without a database round trip (docs/access.md).
   */
  ACCESS_CACHE_TTL_MS: num({ default: DEFAULT_NOTIFY_TTL_MS }),
  /** Lifetime (ms) while they do not (PGlite, listener reconnecting); at most 1000, the revocation deadline. */
  ACCESS_CACHE_FALLBACK_TTL_MS: num({ default: 500 }),
  /** Time (ms) between access log flushes. */
  ACCESS_LOG_FLUSH_MS: num({ default: 50 }),
  /** Write-ahead spool of the access log in DATA_DIR/access-log-spool, so a gateway crash loses no entry. */
  ACCESS_LOG_SPOOL: bool({ default: true }),
};

/** Parsed gateway settings. */
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

/** Parses and cross-checks the gateway's environment; throws a ConfigError listing every problem. */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = parseConfig(gatewaySpec, env);
  const c = { ...parsed, DEV_ISSUER: parsed.DEV_ISSUER === '' ? parsed.NODE_ENV !== 'production' : parsed.DEV_ISSUER === 'true' };
  if (c.NODE_ENV === 'production' && c.DEV_ISSUER) {
    throw new Error('Invalid configuration:\n  DEV_ISSUER: the development issuer must be off in production');
  }
  if (!c.DEV_ISSUER && !c.JWKS_URL) {
    throw new Error('Invalid configuration:\n  JWKS_URL: required when the development issuer is off');
  }
  if (c.NODE_ENV === 'production' && !c.ACCESS_GUARD) {
    throw new Error('Invalid configuration:\n  ACCESS_GUARD: grant checks must be on in production');
  }
  if (c.NODE_ENV === 'production' && c.STATE_FREE_FORM === 'true') {
    throw new Error('Invalid configuration:\n  STATE_FREE_FORM: every caller is held to its persisted query list in production');
  }
  if (c.METRICS_PORT !== '' && !/^\d+$/.test(c.METRICS_PORT)) {
    throw new Error('Invalid configuration:\n  METRICS_PORT: a port number');
  }
  if (c.NODE_ENV === 'production' && c.METRICS_PORT !== '' && Number(c.METRICS_PORT) === c.PORT) {
    throw new Error('Invalid configuration:\n  METRICS_PORT: must differ from PORT (metrics are internal)');
  }
  try {
    // Compiled as the gateway compiles it (proxy-addr): what is not an address, CIDR or preset throws.
    compileTrustProxy(parseTrustProxy(c.TRUST_PROXY));
  } catch (err) {
    throw new Error(`Invalid configuration:\n  TRUST_PROXY: ${(err as Error).message} (false, true, a hop count, or addresses/CIDRs/loopback)`);
  }
  if (c.ACCESS_CACHE_FALLBACK_TTL_MS > 1000) {
    throw new Error('Invalid configuration:\n  ACCESS_CACHE_FALLBACK_TTL_MS: at most 1000 (a revocation must take effect within 1 s)');
  }
  return c;
}

/** Port of `/metrics`: METRICS_PORT, else 9464 in production, else undefined (the public port). */
export function metricsPortOf(c: { METRICS_PORT: string; NODE_ENV: string }): number | undefined {
  if (c.METRICS_PORT !== '') return Number(c.METRICS_PORT);
  return c.NODE_ENV === 'production' ? 9464 : undefined;
}

/** TRUST_PROXY as Express' `trust proxy` value: `true`/`false`, a hop count, or the address list as given. */
export function parseTrustProxy(value: string): boolean | number | string {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** Parses `name=url,name=url`. */
export function parseSubgraphUrls(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i < 1) throw new Error(`SUBGRAPH_URLS: expected name=url, got "${pair}"`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}
