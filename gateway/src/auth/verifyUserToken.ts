import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type KeyLike, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { END_USER_ROLES, type Caller, type Role } from '@pc/auth';

/** How end-user tokens are checked. */
export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Production: the identity provider's JWKS. */
  jwksUrl?: string;
  /** Development: the dev issuer's public key. */
  publicKey?: KeyLike;
  /**
   * Verified tokens kept so that a token seen again skips the ES256 signature check (see
   * {@link cacheVerifiedTokens}); default {@link DEFAULT_TOKEN_CACHE}; `false` checks every
   * request from scratch (TOKEN_CACHE_SIZE=0).
   */
  cache?: false | TokenCacheOptions;
  /** The clock, ms since the epoch (tests); default `Date.now`. */
  now?: () => number;
}

/** A token was presented but is not acceptable (bad signature, expired, wrong audience…). */
export class InvalidTokenError extends Error {}

/** The caller a bearer token names (without the request id). */
export type VerifiedCaller = Omit<Caller, 'requestId'>;

/** Verifies a bearer token and returns the caller it names (without the request id). */
export type TokenVerifier = (token: string) => Promise<VerifiedCaller>;

/** What a full check of a token establishes: the caller, and until when the token is valid. */
export interface VerifiedToken {
  caller: VerifiedCaller;
  /** The token's `exp`, seconds since the epoch. */
  exp: number;
}

/** A full check of a token (signature and claims), no cache. */
export type TokenChecker = (token: string) => Promise<VerifiedToken>;

const KNOWN_ROLES: readonly Role[] = END_USER_ROLES;

/** Seconds of clock difference tolerated between the identity provider and the gateway. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Checks signature, issuer, audience, expiry and not-before with jose, and that the token was
 * not issued in the future (`iat`, which jose does not check on its own), all with a 5 s clock
 * tolerance; keys come from a JWKS URL (cached and refreshed by jose) or the development public
 * key. Tokens that pass are remembered (bounded, until shortly before they expire), so the
 * signature of a token seen again is not checked again: {@link cacheVerifiedTokens}.
 */
export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier & { cache?: VerifiedTokenCacheStats } {
  const check = createTokenChecker(opts);
  if (opts.cache === false || opts.cache?.maxEntries === 0) {
    return async (token) => (await check(token)).caller;
  }
  return cacheVerifiedTokens(check, { ...opts.cache, now: opts.now });
}

/** The full check of {@link createTokenVerifier}, without the cache. */
export function createTokenChecker(opts: Omit<TokenVerifierOptions, 'cache'>): TokenChecker {
  let key: KeyLike | JWTVerifyGetKey;
  if (opts.jwksUrl) key = createRemoteJWKSet(new URL(opts.jwksUrl));
  else if (opts.publicKey) key = opts.publicKey;
  else throw new Error('createTokenVerifier: jwksUrl or publicKey is required');
  const now = opts.now ?? Date.now;
  return async (token) => {
    try {
      const at = now();
      const { payload } = await jwtVerify(token, key as KeyLike, {
        issuer: opts.issuer,
        audience: opts.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(at),
      });
      // A token "issued" later than now was minted with a wrong clock or to outlive its real
      // lifetime (exp counted from a forged iat); jose checks iat only when asked for a max age.
      if (typeof payload.iat === 'number' && payload.iat > at / 1000 + CLOCK_TOLERANCE_SECONDS) {
        throw new InvalidTokenError('token issued in the future (iat)');
      }
      const roles = (Array.isArray(payload.roles) ? payload.roles : [payload.roles]).filter((r): r is Role => KNOWN_ROLES.includes(r as Role));
      if (roles.length === 0) throw new InvalidTokenError('token carries no known role');
      return {
        caller: {
          subject: String(payload.sub),
          roles,
          scopes: String(payload.scope ?? '')
            .split(' ')
            .filter(Boolean),
          clientId: typeof payload.client_id === 'string' ? payload.client_id : null,
          tokenId: typeof payload.jti === 'string' ? payload.jti : null,
        },
        exp: payload.exp as number,
      };
    } catch (err) {
      if (err instanceof errors.JOSEError) throw new InvalidTokenError(err.code);
      throw err;
    }
  };
}

/** Settings of the verified-token cache. */
export interface TokenCacheOptions {
  /** Tokens kept, least recently used evicted first (TOKEN_CACHE_SIZE); default 10,000. */
  maxEntries?: number;
  /**
   * Longest time (ms) a token is served from the cache before its signature is checked again,
   * however long it still lives: bounds how long a key removed from the JWKS keeps working for
   * tokens already seen (jose itself keeps a fetched JWKS up to 10 minutes). Default 5 minutes.
   */
  maxAgeMs?: number;
}

/** Defaults of {@link TokenCacheOptions}. */
export const DEFAULT_TOKEN_CACHE = { maxEntries: 10_000, maxAgeMs: 5 * 60_000 } as const;

/** Counters of a verified-token cache (tests, the bench). */
export interface VerifiedTokenCacheStats {
  /** Requests answered from the cache. */
  hits: number;
  /** Requests that ran the full check (including those that failed it). */
  misses: number;
  /** Tokens held now. */
  readonly size: number;
}

interface CachedToken {
  caller: VerifiedCaller;
  /** Until when (ms since the epoch) this entry may be served. */
  until: number;
}

/**
 * Remembers tokens that passed `check`, so the ES256 signature of a token seen again is not
 * checked again (~0.35 ms of the gateway's CPU per request):
 *
 * - the key is the SHA-256 of the **whole** token, signature included: a token differing in any
 *   byte (another key's signature, a tampered payload) is a different key and gets the full check;
 * - only tokens that passed are stored; a refused token is checked again every time it comes;
 * - an entry is served only until the token's `exp` minus the clock tolerance, and never longer
 *   than `maxAgeMs` after it was checked: an expired token is refused after its `exp` although
 *   it was cached (once the entry lapses the full check runs and refuses it);
 * - at most `maxEntries` tokens, least recently used evicted first;
 * - concurrent first requests with one token share one check.
 *
 * The grant check (the access guard) is not part of this: it runs on every request, so a
 * revoked grant refuses a cached token as before.
 */
export function cacheVerifiedTokens(
  check: TokenChecker,
  opts: TokenCacheOptions & { now?: () => number } = {},
): TokenVerifier & { cache: VerifiedTokenCacheStats } {
  const now = opts.now ?? Date.now;
  const maxAgeMs = opts.maxAgeMs ?? DEFAULT_TOKEN_CACHE.maxAgeMs;
  // lru-cache's own TTL (on the same clock) frees lapsed entries; `until` is checked on every
  // hit regardless, so serving an expired token never depends on the library's timer resolution.
  const entries = new LRUCache<string, CachedToken>({
    max: opts.maxEntries ?? DEFAULT_TOKEN_CACHE.maxEntries,
    ttlAutopurge: false,
    ttlResolution: 0,
    perf: { now },
  });
  const pending = new Map<string, Promise<VerifiedCaller>>();
  const stats = {
    hits: 0,
    misses: 0,
    get size() {
      return entries.size;
    },
  };
  const verify = async (token: string): Promise<VerifiedCaller> => {
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = entries.get(key);
    if (hit) {
      if (hit.until > now()) {
        stats.hits++;
        return copy(hit.caller);
      }
      entries.delete(key);
    }
    const inFlight = pending.get(key);
    if (inFlight) {
      stats.hits++;
      return copy(await inFlight);
    }
    stats.misses++;
    const checking = check(token).then(({ caller, exp }) => {
      const checkedAt = now();
      const until = Math.min((exp - CLOCK_TOLERANCE_SECONDS) * 1000, checkedAt + maxAgeMs);
      if (until > checkedAt) entries.set(key, { caller, until }, { ttl: until - checkedAt });
      return caller;
    });
    pending.set(key, checking);
    try {
      return copy(await checking);
    } finally {
      pending.delete(key);
    }
  };
  return Object.assign(verify, { cache: stats });
}

/** Each request gets its own caller: no guard or plugin can change what the cache holds. */
function copy(caller: VerifiedCaller): VerifiedCaller {
  return { ...caller, roles: [...caller.roles], scopes: [...caller.scopes] };
}
