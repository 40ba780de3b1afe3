import { createHash } from 'node:crypto';
import type { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { entityFetchPolicy, readCacheHints, type CacheHints, type FetchPolicy } from './cacheHints';

/** Options of {@link EntityCache}. */
export interface EntityCacheOptions {
  /** The supergraph the gateway serves: where the hints come from. */
  supergraphSdl: string;
  /** Entities kept (LRU). */
  maxEntries: number;
  /** Bytes of cached JSON kept at most (UTF-16 estimate); default 64 MiB. */
  maxBytes?: number;
  /** Told of every lookup (for metrics). */
  onLookup?(subgraph: string, hits: number, misses: number): void;
}

/** Hits and misses since start, per subgraph. */
export interface EntityCacheStats {
  hits: number;
  misses: number;
}

type Response = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** Analyses kept per subgraph operation text; the query planner makes a bounded set of them. */
const POLICIES = 2000;

/**
 * Per-entity cache of `_entities` fetches whose whole selection is public and hinted
 * (cacheHints.ts). Each representation is looked up by (subgraph, operation, its other variables,
 * the representation's JSON): when all hit, the fetch is answered without HTTP; otherwise only
 * the misses are sent, and the answer is merged back in order, error paths renumbered to the
 * original representations. An entity is stored for the fetch's `maxAge` when it came back
 * non-null and without an error under it. Entries are JSON text, parsed again for each hit:
 * the gateway merges later fetches into the objects it receives.
 *
 * Off (every fetch sent) until {@link enable}d, and again after {@link disable}: the caller
 * enables it only while invalidations are known to arrive.
 */
export class EntityCache {
  private readonly hints: CacheHints;
  private readonly entries: LRUCache<string, string>;
  private readonly policies = new LRUCache<string, { policy: FetchPolicy; id: string } | false>({ max: POLICIES });
  private enabled = false;
  /** Bumped by every clear: a fetch that started before one does not store what it read. */
  private generation = 0;
  readonly stats = new Map<string, EntityCacheStats>();

  constructor(private readonly opts: EntityCacheOptions) {
    this.hints = readCacheHints(opts.supergraphSdl);
    this.entries = new LRUCache<string, string>({
      max: opts.maxEntries,
      maxSize: opts.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (value, key) => 2 * (value.length + key.length) + 64,
      ttlAutopurge: false,
    });
  }

  /** Subgraphs whose entity fetches may be cached (those that declare cache hints). */
  get subgraphs(): string[] {
    return [...this.hints.participants];
  }

  get size(): number {
    return this.entries.size;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Starts answering from the cache (empty). */
  enable(): void {
    this.clear();
    this.enabled = true;
  }

  /** Stops answering from the cache and empties it. */
  disable(): void {
    this.enabled = false;
    this.clear();
  }

  /** Drops every entry (of one subgraph, when named: other subgraphs' entries are dropped as they expire or are evicted). */
  clear(subgraph?: string): void {
    this.generation++;
    if (subgraph === undefined) {
      this.entries.clear();
      return;
    }
    const prefix = `${subgraph}\u0000`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /**
   * The response to one subgraph fetch: from the cache where it can be, `send` (the data
   * source's own path, failed-fetch handling included) for the rest.
   */
  async process<TContext extends object>(
    subgraph: string,
    options: GraphQLDataSourceProcessOptions<TContext>,
    send: (options: GraphQLDataSourceProcessOptions<TContext>) => Promise<Response>,
  ): Promise<Response> {
    if (!this.enabled) return send(options);
    const { request } = options;
    const representations = request.variables?.representations;
    if (!Array.isArray(representations) || representations.length === 0 || !request.query) return send(options);
    const analysis = this.policyOf(subgraph, request.query, 'document' in options ? options.document : undefined);
    if (!analysis) return send(options);
    const { representations: _reps, ...others } = request.variables ?? {};
    const base = `${subgraph}\u0000${analysis.id}\u0000${Object.keys(others).length ? JSON.stringify(others) : ''}\u0000`;
    const keys = representations.map((r) => base + JSON.stringify(r));
    const cached = keys.map((k) => this.entries.get(k));
    const misses: number[] = [];
    cached.forEach((v, i) => v === undefined && misses.push(i));
    const stats = this.statsOf(subgraph);
    stats.hits += representations.length - misses.length;
    stats.misses += misses.length;
    this.opts.onLookup?.(subgraph, representations.length - misses.length, misses.length);
    if (misses.length === 0) return { data: { _entities: cached.map((v) => JSON.parse(v!) as unknown) } };

    const generation = this.generation;
    const partial = misses.length < representations.length;
    const sent = partial
      ? { ...options, request: { ...request, variables: { ...request.variables, representations: misses.map((i) => representations[i]) } } }
      : options;
    const response = await send(sent);
    const received = (response.data as { _entities?: unknown } | null | undefined)?._entities;
    const fetched = Array.isArray(received) && received.length === misses.length ? received : undefined;
    if (fetched && this.enabled && generation === this.generation) this.store(fetched, misses, keys, response.errors, analysis.policy.maxAge);
    if (!partial) return response;
    return {
      ...response,
      data: fetched || response.data === undefined || response.data === null ? { _entities: merge(cached, misses, fetched) } : response.data,
      ...(response.errors ? { errors: response.errors.map((e) => renumber(e, misses)) } : {}),
    };
  }

  private store(fetched: unknown[], misses: number[], keys: string[], errors: readonly GraphQLFormattedError[] | undefined, maxAge: number): void {
    const failed = new Set<number>();
    for (const e of errors ?? []) {
      // An error that names no entity may concern any of them: keep none.
      if (e.path?.[0] !== '_entities' || typeof e.path[1] !== 'number') return;
      failed.add(e.path[1]);
    }
    const ttl = maxAge * 1000;
    fetched.forEach((entity, j) => {
      if (entity === null || entity === undefined || failed.has(j)) return;
      this.entries.set(keys[misses[j]], JSON.stringify(entity), { ttl });
    });
  }

  private policyOf(subgraph: string, query: string, document: DocumentNode | undefined): { policy: FetchPolicy; id: string } | null {
    const key = `${subgraph}\u0000${query}`;
    let found = this.policies.get(key);
    if (found === undefined) {
      let policy: FetchPolicy | null = null;
      try {
        policy = entityFetchPolicy(this.hints, subgraph, document ?? parse(query));
      } catch {
        policy = null;
      }
      found = policy ? { policy, id: createHash('sha256').update(query).digest('base64url').slice(0, 22) } : false;
      this.policies.set(key, found);
    }
    return found || null;
  }

  private statsOf(subgraph: string): EntityCacheStats {
    let s = this.stats.get(subgraph);
    if (!s) this.stats.set(subgraph, (s = { hits: 0, misses: 0 }));
    return s;
  }
}

/** The entities in their original order: cached ones parsed, fetched ones in the misses' places (null where the fetch brought none). */
function merge(cached: (string | undefined)[], misses: number[], fetched: unknown[] | undefined): unknown[] {
  const out: unknown[] = cached.map((v) => (v === undefined ? null : (JSON.parse(v) as unknown)));
  misses.forEach((i, j) => (out[i] = fetched?.[j] ?? null));
  return out;
}

/** An error of the partial fetch with `_entities` indexes of the whole one. */
function renumber(e: GraphQLFormattedError, misses: number[]): GraphQLFormattedError {
  if (e.path?.[0] !== '_entities' || typeof e.path[1] !== 'number' || misses[e.path[1]] === undefined) return e;
  return { ...e, path: ['_entities', misses[e.path[1]], ...e.path.slice(2)] };
}
