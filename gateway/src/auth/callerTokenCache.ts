import { signCallerToken, subgraphAudience, type Caller } from '@pc/auth';
import { LRUCache } from 'lru-cache';

/** Settings of {@link CallerTokenCache}. */
export interface CallerTokenCacheOptions {
  /** INTERNAL_TOKEN_SECRET. */
  secret: string;
  /**
   * Tokens kept, over all subgraphs, least recently used evicted first
   * (CALLER_TOKEN_CACHE_SIZE); default 20,000; 0 signs a new token for every subgraph fetch.
   */
  maxEntries?: number;
  /** Lifetime of a caller token (its `exp` − `iat`); default 60 s, as before the cache. */
  ttlSeconds?: number;
  /**
   * A cached token is handed out only while at least this much of its life remains, so the
   * subgraph still accepts it after the fetch's time in flight and any clock difference;
   * default 15 s (a 60 s token serves ~45 s, then a new one is signed).
   */
  minRemainingSeconds?: number;
  /** The clock, ms since the epoch (tests); default `Date.now`. */
  now?: () => number;
}

/** Defaults of {@link CallerTokenCacheOptions}. */
export const DEFAULT_CALLER_TOKEN_CACHE = { maxEntries: 20_000, ttlSeconds: 60, minRemainingSeconds: 15 } as const;

interface CachedCallerToken {
  token: Promise<string>;
  /** The token's `exp`, ms since the epoch. */
  exp: number;
}

/**
 * The caller tokens the gateway sends to subgraphs (`x-caller-token`: HS256, 60 s, `aud` =
 * one subgraph), reused instead of signed for every fetch: one per caller and subgraph while
 * at least `minRemainingSeconds` of its life remain. CabinetHome makes five subgraph fetches, so
 * a patient's page costs at most one signature per subgraph a minute instead of five per request.
 *
 * The key is everything the token says — subject, roles, scopes (as narrowed by the grant
 * check), cabinet (`client_id`), end-user token id — and the subgraph, so two callers, or one
 * person with different scopes or through another cabinet, never share a token. The request id
 * is not in the token; it goes in `x-request-id` with every fetch.
 */
export class CallerTokenCache {
  private readonly entries?: LRUCache<string, CachedCallerToken>;
  private readonly now: () => number;
  private readonly ttlSeconds: number;
  private readonly minRemainingMs: number;
  /** Tokens signed / handed out again (tests, the bench). */
  readonly stats = { signed: 0, reused: 0 };

  constructor(private readonly opts: CallerTokenCacheOptions) {
    this.now = opts.now ?? Date.now;
    this.ttlSeconds = opts.ttlSeconds ?? DEFAULT_CALLER_TOKEN_CACHE.ttlSeconds;
    this.minRemainingMs = (opts.minRemainingSeconds ?? DEFAULT_CALLER_TOKEN_CACHE.minRemainingSeconds) * 1000;
    if (this.minRemainingMs >= this.ttlSeconds * 1000) throw new Error('CallerTokenCache: minRemainingSeconds must be below ttlSeconds');
    const max = opts.maxEntries ?? DEFAULT_CALLER_TOKEN_CACHE.maxEntries;
    if (max > 0) this.entries = new LRUCache({ max });
  }

  /** A caller token for `caller` to subgraph `subgraph`: a cached one with enough life left, or a new one. */
  token(caller: Omit<Caller, 'requestId'>, subgraph: string): Promise<string> {
    if (!this.entries) return this.sign(caller, subgraph).token;
    const key = JSON.stringify([subgraph, caller.subject, caller.roles, caller.scopes, caller.clientId, caller.tokenId, caller.actFor ?? []]);
    const hit = this.entries.get(key);
    if (hit && hit.exp - this.now() >= this.minRemainingMs) {
      this.stats.reused++;
      return hit.token;
    }
    const fresh = this.sign(caller, subgraph);
    this.entries.set(key, fresh);
    // A failed signature is not kept: the next fetch tries again.
    fresh.token.catch(() => {
      if (this.entries?.get(key) === fresh) this.entries.delete(key);
    });
    return fresh.token;
  }

  private sign(caller: Omit<Caller, 'requestId'>, subgraph: string): CachedCallerToken {
    this.stats.signed++;
    const iat = Math.floor(this.now() / 1000);
    const token = signCallerToken(
      { subject: caller.subject, roles: caller.roles, scopes: caller.scopes, clientId: caller.clientId, tokenId: caller.tokenId, actFor: caller.actFor },
      { secret: this.opts.secret, audience: subgraphAudience(subgraph), ttlSeconds: this.ttlSeconds, issuedAt: iat },
    );
    return { token, exp: (iat + this.ttlSeconds) * 1000 };
  }
}
