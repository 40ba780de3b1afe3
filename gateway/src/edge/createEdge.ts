import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import KeyvRedis from '@keyv/redis';
import { Redis } from 'ioredis';
import Keyv from 'keyv';
import type { GatewayContext } from '../context';
import type { RequestGuard } from '../pipeline/guards';
import { loadPersistedQueryLists } from './loadPersistedQueryLists';
import { operationLimitsPlugin, type OperationLimits } from './operationLimits';
import { persistedQueryGuard } from './persistedQueryGuard';
import { queryTextGuard } from './queryTextGuard';
import { rateLimitGuard } from './rateLimitGuard';

/** Settings of the gateway's edge; every default is what production runs with. */
export interface EdgeOptions {
  production: boolean;
  /** Redis for APQ and rate-limit counters shared by all instances; in-memory without it. */
  redisUrl?: string;
  /** First-party callers (state cabinet, doctors, anonymous) may send free-form operations and register APQ; default: outside production only. */
  stateFreeForm?: boolean;
  /** Requests per cabinet per window; default 600 per 60 s. */
  rateLimit?: { points: number; durationSeconds: number };
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
  close(): Promise<void>;
}

/**
 * Persisted-query safelisting (every caller held to its list in production; first-party APQ and
 * free-form only outside production, Redis-backed APQ cache when configured), operation limits and
 * the per-cabinet rate limit.
 */
export function createEdge(opts: EdgeOptions): Edge {
  const redis = opts.redisUrl ? new Redis(opts.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true }) : undefined;
  const { byCabinet, stateCabinetId, doctors, anonymous } = loadPersistedQueryLists();
  const apqCache = opts.redisUrl
    ? (new KeyvAdapter(new Keyv({ store: new KeyvRedis(opts.redisUrl), namespace: 'pc-apq' })) as unknown as KeyValueCache<string>)
    : undefined;
  return {
    guards: [
      queryTextGuard(opts.maxQueryCharacters ?? 20_000),
      persistedQueryGuard({ byCabinet, stateCabinetId, doctors, anonymous, stateFreeForm: opts.stateFreeForm ?? !opts.production }),
      rateLimitGuard({ ...(opts.rateLimit ?? { points: 600, durationSeconds: 60 }), redis }),
    ],
    plugins: [operationLimitsPlugin(opts.limits)],
    apqCache,
    maxTokens: opts.maxTokens ?? 2000,
    async close() {
      redis?.disconnect();
    },
  };
}
