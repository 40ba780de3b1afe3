import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from '@pc/logging';
import type { Registry } from 'prom-client';
import type { GatewayContext } from '../context';
import type { RequestGuard } from '../pipeline/guards';
import { loadPersistedQueryLists } from './loadPersistedQueryLists';
import { operationLimitsPlugin, type OperationLimits } from './operationLimits';
import { persistedQueryGuard } from './persistedQueryGuard';
import { queryTextGuard } from './queryTextGuard';
import { ApqCache } from './apqCache';
import { rateLimitGuard } from './rateLimitGuard';
import { connectRedis } from './redisConnection';

/** Settings of the gateway's edge; every default is what production runs with. */
export interface EdgeOptions {
  production: boolean;
  /** Redis for APQ and rate-limit counters shared by all instances; in-memory without it. */
  redisUrl?: string;
  /** First-party callers (state cabinet, doctors, anonymous) may send free-form operations and register APQ; default: outside production only. */
  stateFreeForm?: boolean;
  /**
   * Requests per window per person and cabinet (anonymous: per client address), and per cabinet
   * as a whole (0 = no ceiling); default 600 and 60,000 per 60 s (docs/edge.md).
   */
  rateLimit?: { points?: number; cabinetPoints?: number; durationSeconds?: number; keyPrefix?: string };
  /** Longest wait for one Redis command before the edge serves from memory; default 250 ms. */
  redisCommandTimeoutMs?: number;
  /** Where Redis outages and recoveries are logged. */
  log?: Logger;
  limits?: OperationLimits;
  /** Longest operation text; default 20,000 characters. */
  maxQueryCharacters?: number;
  /** Parser token limit; default 2,000. */
  maxTokens?: number;
}

/** The edge's pieces, ready to hand to createGatewayServer. */
export interface Edge {
  guards: RequestGuard[];
  plugins: ApolloServerPlugin<GatewayContext>[];
  apqCache?: KeyValueCache<string>;
  maxTokens: number;
  /** Every operation body of the persisted lists, once each: what the gateway plans before it reports ready. */
  listedOperations: string[];
  /** Dependencies the edge is running without right now (`['redis']` while Redis is unreachable), for /readyz. */
  degraded(): string[];
  /** Adds the edge's metrics (`gateway_redis_fallbacks_total`, `gateway_dependency_degraded`) to the gateway's registry. */
  registerMetrics(registry: Registry): void;
  close(): Promise<void>;
}

/**
 * Persisted-query safelisting (every caller held to its list in production; first-party APQ and
 * free-form only outside production, Redis-backed APQ cache when configured), operation limits and
 * the per-cabinet rate limit.
 */
export function createEdge(opts: EdgeOptions): Edge {
  // One fail-fast connection for counters and APQ; both fall back to memory while it is down.
  const redis = opts.redisUrl ? connectRedis(opts.redisUrl, { log: opts.log, commandTimeoutMs: opts.redisCommandTimeoutMs }) : undefined;
  const { lists, byCabinet, stateCabinetId, doctors, anonymous } = loadPersistedQueryLists();
  const apqCache = redis ? new ApqCache(redis) : undefined;
  return {
    guards: [
      queryTextGuard(opts.maxQueryCharacters ?? 20_000),
      persistedQueryGuard({ byCabinet, stateCabinetId, doctors, anonymous, stateFreeForm: opts.stateFreeForm ?? !opts.production }),
      rateLimitGuard({
        ...opts.rateLimit,
        // An option left undefined takes its default (a spread would turn the ceiling off).
        points: opts.rateLimit?.points ?? 600,
        cabinetPoints: opts.rateLimit?.cabinetPoints ?? 60_000,
        durationSeconds: opts.rateLimit?.durationSeconds ?? 60,
        redis,
      }),
    ],
    plugins: [operationLimitsPlugin(opts.limits)],
    apqCache,
    maxTokens: opts.maxTokens ?? 2000,
    listedOperations: [...new Set([...lists.values()].flatMap((list) => [...list.values()]))],
    degraded: () => (redis && !redis.usable() ? ['redis'] : []),
    registerMetrics(registry) {
      redis?.registerMetrics(registry);
    },
    async close() {
      await redis?.close();
    },
  };
}
