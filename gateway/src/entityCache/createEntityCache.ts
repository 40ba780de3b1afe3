import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@pc/logging';
import { createPgPool } from '@pc/db';
import { GrantChangeListener } from '../access/GrantChangeListener';
import { EntityCache } from './EntityCache';

/** The channel subgraphs NOTIFY on when data they serve to the entity cache changed; payload `{"subgraph":"<name>"}`. */
export const ENTITY_CHANGED_CHANNEL = 'entity_changed';

/** A change notification: every cached entity of `subgraph` is dropped (all of them when it names none). */
export interface EntityChange {
  subgraph?: string;
}

/** Settings of the gateway's entity cache (GatewayDeps.entityCache). */
export interface EntityCacheSettings {
  /** Entities kept (ENTITY_CACHE_SIZE); 0 = off. */
  maxEntries: number;
  /** Bytes of cached JSON kept at most; default 64 MiB. */
  maxBytes?: number;
  /**
   * The database the subgraphs NOTIFY {@link ENTITY_CHANGED_CHANNEL} on. The cache answers only
   * while a listener there is proven to receive (GrantChangeListener's probes): until then, and
   * from a lost connection until it is back, every fetch goes to its subgraph and the cache is
   * emptied. Without one the cache is always on and entries live their `maxAge` (for data that
   * never changes while the gateway runs: tests).
   */
  databaseUrl?: string;
  /** Probe interval of the listener; default 1,000 ms. */
  heartbeatMs?: number;
}

/** The entity cache with its invalidation and metrics. */
export interface EntityCacheRuntime {
  cache: EntityCache;
  stop(): Promise<void>;
}

/** Builds the cache over `supergraphSdl`, starts listening for changes, registers metrics in `registry`. */
export function createEntityCache(settings: EntityCacheSettings, supergraphSdl: string, log: Logger, registry: Registry): EntityCacheRuntime {
  const lookups = new Counter({
    name: 'gateway_entity_cache_lookups_total',
    help: 'Entities of cacheable _entities fetches looked up in the entity cache, by subgraph and result (hit, miss)',
    labelNames: ['subgraph', 'result'],
    registers: [registry],
  });
  const invalidations = new Counter({
    name: 'gateway_entity_cache_invalidations_total',
    help: 'Change notifications that emptied the entity cache (of one subgraph)',
    registers: [registry],
  });
  const cache = new EntityCache({
    supergraphSdl,
    maxEntries: settings.maxEntries,
    maxBytes: settings.maxBytes,
    onLookup(subgraph, hits, misses) {
      if (hits) lookups.inc({ subgraph, result: 'hit' }, hits);
      if (misses) lookups.inc({ subgraph, result: 'miss' }, misses);
    },
  });
  new Gauge({
    name: 'gateway_entity_cache_hit_ratio',
    help: 'Entity cache hits / lookups since start (0 before the first lookup)',
    registers: [registry],
    collect() {
      let hits = 0;
      let all = 0;
      for (const s of cache.stats.values()) {
        hits += s.hits;
        all += s.hits + s.misses;
      }
      this.set(all ? hits / all : 0);
    },
  });
  new Gauge({
    name: 'gateway_entity_cache_entries',
    help: 'Entities in the entity cache',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
  new Gauge({
    name: 'gateway_entity_cache_enabled',
    help: '1 while the entity cache answers (change notifications arrive), 0 while every fetch goes to its subgraph',
    registers: [registry],
    collect() {
      this.set(cache.isEnabled ? 1 : 0);
    },
  });

  if (!settings.databaseUrl) {
    cache.enable();
    return { cache, stop: async () => undefined };
  }
  const pool = createPgPool({ connectionString: settings.databaseUrl, max: 1, application_name: 'gateway-entity-cache' });
  pool.on('error', (err) => log.warn({ err }, 'entity cache pool connection error'));
  const listener = new GrantChangeListener<EntityChange>({
    databaseUrl: settings.databaseUrl,
    pool,
    log,
    heartbeatMs: settings.heartbeatMs,
    channel: { name: ENTITY_CHANGED_CHANNEL, parse: parseChange, label: 'entity' },
    onChange(change) {
      invalidations.inc();
      cache.clear(change.subgraph);
    },
    // Changes may have been missed while not listening: off and empty until notifications arrive again.
    onModeChange: (mode) => (mode === 'notify' ? cache.enable() : cache.disable()),
  });
  listener.start();
  log.info({ subgraphs: cache.subgraphs, maxEntries: settings.maxEntries }, 'entity cache on while change notifications arrive');
  return {
    cache,
    async stop() {
      await listener.stop();
      await pool.end();
    },
  };
}

/** A payload that names no subgraph, or cannot be read, empties the whole cache. */
function parseChange(payload: string): EntityChange {
  try {
    const change = JSON.parse(payload) as EntityChange | null;
    return typeof change?.subgraph === 'string' ? { subgraph: change.subgraph } : {};
  } catch {
    return {};
  }
}
