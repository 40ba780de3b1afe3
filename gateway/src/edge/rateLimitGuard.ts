import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type IRateLimiterOptions } from 'rate-limiter-flexible';
import type { RequestGuard } from '../pipeline/guards';
import type { RedisConnection } from './redisConnection';

/** Options of {@link rateLimitGuard}. */
export interface RateLimitOptions {
  /** Requests per window for one person in one cabinet (a token without a cabinet: per person), and for one anonymous client address. */
  points: number;
  /** Requests per window for a whole cabinet, all its persons together; 0 = no cabinet-wide ceiling. */
  cabinetPoints: number;
  /** Window in seconds. */
  durationSeconds: number;
  /** Counters shared by every gateway instance; in-memory (per instance) without it, and while it is unreachable. */
  redis?: RedisConnection;
  /** Key prefix of the counters; default `pc-rl`. */
  keyPrefix?: string;
}

/** Code of a refused request. */
export const RATE_LIMITED = 'RATE_LIMITED';

/** Which allowance a refusal ran out of (`extensions.limit`). */
export type RateLimitScope = 'person' | 'cabinet' | 'address';

/**
 * Rate limits with rate-limiter-flexible, counted so that one caller cannot lock out others:
 *
 * - an authenticated caller (patient or doctor: the token's `sub`) has `points` per window in
 *   the token's cabinet, and the cabinet as a whole has `cabinetPoints`. The person's counter is
 *   consumed first and a request it refuses never reaches the cabinet's counter, so a person
 *   hammering the gateway spends only their own allowance; a request the cabinet's ceiling
 *   refuses gives the person's point back;
 * - an anonymous caller has `points` per client address (`req.ip`: the socket's address, or
 *   X-Forwarded-For only as far as TRUST_PROXY — Express' `trust proxy` semantics — trusts it); an IPv6
 *   client counts per /64, the block one subscriber gets, so rotating addresses gains nothing.
 *
 * With Redis the counters are shared by all gateway instances. When Redis is unreachable each
 * instance decides in memory (rate-limiter-flexible's insurance limiter, with the same
 * allowances per instance) without waiting on it; see {@link RedisConnection}.
 * Refusals are 429 `RATE_LIMITED` with Retry-After.
 */
export function rateLimitGuard(opts: RateLimitOptions): RequestGuard {
  const prefix = opts.keyPrefix ?? 'pc-rl';
  const person = limiter(opts, { keyPrefix: `${prefix}:p`, points: opts.points, duration: opts.durationSeconds });
  const cabinet = opts.cabinetPoints > 0 ? limiter(opts, { keyPrefix: `${prefix}:c`, points: opts.cabinetPoints, duration: opts.durationSeconds }) : undefined;
  return async ({ caller, req }) => {
    if (caller.subject === null) {
      await consume(person, `ip:${clientAddressKey(req.ip)}`, 'address');
      return caller;
    }
    const personKey = `${caller.clientId ?? '-'}:${caller.subject}`;
    await consume(person, personKey, 'person');
    if (cabinet && caller.clientId) {
      try {
        await consume(cabinet, caller.clientId, 'cabinet');
      } catch (err) {
        await person.reward(personKey).catch(() => undefined);
        throw err;
      }
    }
    return caller;
  };
}

/** The two calls the guard makes on a limiter. */
interface Limiter {
  consume(key: string): Promise<RateLimiterRes>;
  reward(key: string): Promise<unknown>;
}

/**
 * A Redis-backed limiter with an in-memory insurance limiter, or an in-memory one. Without a
 * usable connection Redis is not even tried (`rejectIfRedisNotReady`, and the health of
 * {@link RedisConnection} after a failed command), so a request never waits on a dead Redis.
 */
function limiter(opts: RateLimitOptions, settings: IRateLimiterOptions): Limiter {
  const redis = opts.redis;
  if (!redis) return new RateLimiterMemory(settings);
  const memory = new InsuranceLimiter(settings, redis);
  const shared = new RateLimiterRedis({ ...settings, storeClient: redis.client, rejectIfRedisNotReady: true, insuranceLimiter: memory });
  return {
    consume: (key) => (redis.usable() ? shared.consume(key) : memory.consumeInMemory(key)),
    reward: (key) => (redis.usable() ? shared.reward(key) : memory.reward(key)),
  };
}

/**
 * The in-memory counters used while Redis is unusable. rate-limiter-flexible calls `consume` on
 * it when a Redis command failed, which marks Redis unusable until it answers a probe; both
 * paths are counted.
 */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    settings: IRateLimiterOptions,
    private readonly redis: RedisConnection,
  ) {
    super(settings);
  }

  override consume(key: string | number, points?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    this.redis.failed('rate_limit');
    return this.consumeInMemory(key, points, options);
  }

  consumeInMemory(key: string | number, points?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    this.redis.fellBack('rate_limit');
    return super.consume(key, points, options);
  }
}

/**
 * The key of an anonymous client's address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64
 * prefix, since one subscriber routinely holds a whole /64 and could rotate through it.
 */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail] = ip.split('%')[0].toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

async function consume(limiter: Limiter, key: string, scope: RateLimitScope): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    const retry = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    const whose = scope === 'cabinet' ? 'for this cabinet' : scope === 'person' ? 'for this person in this cabinet' : 'for this client address';
    throw new GraphQLError(`Rate limit exceeded ${whose}; retry in ${retry} s`, {
      extensions: { code: RATE_LIMITED, limit: scope, http: { status: 429, headers: { 'retry-after': String(retry) } } },
    });
  }
}
