import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RequestGuard } from '../pipeline/guards';

/** Options of {@link rateLimitGuard}. */
export interface RateLimitOptions {
  /** Requests allowed per window for one cabinet (anonymous: per client IP). */
  points: number;
  /** Window in seconds. */
  durationSeconds: number;
  /** Shared counters across gateway instances; in-memory (per instance) without it. */
  redis?: Redis;
  /** Key prefix of the counters; default `pc-rl`. */
  keyPrefix?: string;
}

/** Code of a refused request. */
export const RATE_LIMITED = 'RATE_LIMITED';

/**
 * A per-cabinet rate limit (rate-limiter-flexible; Redis-backed when REDIS_URL is set so every
 * gateway instance counts together). Refusals are 429 with Retry-After.
 */
export function rateLimitGuard(opts: RateLimitOptions): RequestGuard {
  const limiter: RateLimiterAbstract = opts.redis
    ? new RateLimiterRedis({ storeClient: opts.redis, keyPrefix: opts.keyPrefix ?? 'pc-rl', points: opts.points, duration: opts.durationSeconds })
    : new RateLimiterMemory({ keyPrefix: opts.keyPrefix ?? 'pc-rl', points: opts.points, duration: opts.durationSeconds });
  return async ({ caller, req }) => {
    const key = caller.clientId ? `cabinet:${caller.clientId}` : `ip:${req.ip}`;
    try {
      await limiter.consume(key);
      return caller;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retry = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new GraphQLError(`Rate limit exceeded; retry in ${retry} s`, {
        extensions: { code: RATE_LIMITED, http: { status: 429, headers: { 'retry-after': String(retry) } } },
      });
    }
  };
}
