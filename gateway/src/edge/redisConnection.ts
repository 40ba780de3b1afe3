import type { Logger } from '@pc/logging';
import { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';

/** What a piece of the edge uses Redis for (label of the fallback metric). */
export type RedisUse = 'rate_limit' | 'apq';

/**
 * The gateway's one Redis connection (rate-limit counters and the APQ cache) and what it knows
 * about Redis' health. Redis is an optimisation shared by instances, never a dependency a
 * request waits on: commands fail fast (no offline queue, short command timeout, no retries),
 * and while Redis is unusable callers fall back to in-memory state, which is logged once per
 * outage and counted per use in `gateway_redis_fallbacks_total{use}`.
 */
export interface RedisConnection {
  client: Redis;
  /** True when commands may be sent: connected, and no command failed since the last successful probe. */
  usable(): boolean;
  /** A command failed (or could not be sent): Redis is skipped until a PING (every `probeMs`) answers or it reconnects. */
  failed(use: RedisUse, err?: unknown): void;
  /** One decision or lookup was served in memory instead of Redis. */
  fellBack(use: RedisUse): void;
  registerMetrics(registry: Registry): void;
  close(): Promise<void>;
}

/** Options of {@link connectRedis}. */
export interface RedisConnectionOptions {
  log?: Logger;
  /** Longest wait for one command; default 250 ms. */
  commandTimeoutMs?: number;
  /** While Redis is skipped after a failed command, it is probed with PING this often; default 1,000 ms. */
  probeMs?: number;
}

/** Opens the fail-fast connection; reconnection is ioredis' own (every ≤ 1 s while down). */
export function connectRedis(url: string, opts: RedisConnectionOptions = {}): RedisConnection {
  const log = opts.log;
  const probeMs = opts.probeMs ?? 1000;
  const client = new Redis(url, {
    // A command while disconnected fails at once instead of waiting in a queue for a reconnect.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: opts.commandTimeoutMs ?? 250,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  let down = false;
  let closing = false;
  let probe: NodeJS.Timeout | undefined;
  const markDown = (reason: string, err?: unknown) => {
    if (closing) return;
    if (!probe) {
      probe = setInterval(() => {
        if (client.status === 'ready') client.ping().then(markUp, () => undefined);
      }, probeMs);
      probe.unref();
    }
    if (down) return;
    down = true;
    log?.warn({ err, reason }, 'redis unreachable: rate limits and APQ served in memory until it is back');
  };
  const markUp = () => {
    if (probe) clearInterval(probe);
    probe = undefined;
    if (down) log?.info('redis reachable again: rate limits and APQ shared through it');
    down = false;
  };
  // A reconnect proves Redis is back; so does a PING (sent every probeMs while down) answered on a
  // connection that never closed (a server that had stopped answering): no request waits for it.
  client.on('ready', markUp);
  // ioredis logs unhandled 'error' events to the console itself; they belong in our log, once.
  client.on('error', (err) => markDown('connection error', err));
  client.on('close', () => markDown('connection closed'));

  const fallbacks = new Counter({
    name: 'gateway_redis_fallbacks_total',
    help: 'Rate-limit decisions and APQ lookups served in memory because Redis was unreachable',
    labelNames: ['use'],
    registers: [],
  });
  for (const use of ['rate_limit', 'apq']) fallbacks.inc({ use }, 0);
  const usable = () => client.status === 'ready' && !down;
  const degraded = new Gauge({
    name: 'gateway_dependency_degraded',
    help: '1 while a dependency is unreachable and the gateway serves without it',
    labelNames: ['dependency'],
    registers: [],
    collect() {
      this.set({ dependency: 'redis' }, usable() ? 0 : 1);
    },
  });
  return {
    client,
    usable,
    failed(use, err) {
      markDown(`${use} command failed`, err);
    },
    fellBack(use) {
      fallbacks.inc({ use });
    },
    registerMetrics(registry) {
      registry.registerMetric(fallbacks);
      registry.registerMetric(degraded);
    },
    async close() {
      closing = true;
      if (probe) clearInterval(probe);
      // quit() would wait for a reply a dead server never sends.
      client.disconnect();
    },
  };
}
