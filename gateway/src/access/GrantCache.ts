import type { GrantRecord } from './admitPatient';

/** Options of {@link GrantCache}. */
/** A cached check's lifetime in `notify` mode: a safety net, every change is notified (docs/access.md). */
export const DEFAULT_NOTIFY_TTL_MS = 120_000;

export interface GrantCacheOptions {
  /** How long an entry may be used, read at every lookup (it changes with the invalidation mode). */
  ttlMs: () => number;
  /** Largest number of entries; the oldest are dropped beyond it. Default 100,000. */
  maxEntries?: number;
  /** Clock; tests pass their own. */
  now?: () => number;
}

interface Entry {
  value: GrantRecord | null;
  fetchedAt: number;
}

const keyOf = (personId: string, cabinetId: string) => `${personId} ${cabinetId}`;

/**
 * Grant checks by (person, cabinet), with negative results, a TTL, and invalidation. A load
 * that was in flight when an invalidation arrived is returned to its caller but not cached, so
 * a notification can never be overtaken by the stale read it was meant to cancel. Concurrent
 * misses for one key share a single load.
 */
export class GrantCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<GrantRecord | null>>();
  private epoch = 0;
  private readonly now: () => number;
  /** Lookups answered from memory, and loads from the database. */
  readonly stats = { hits: 0, loads: 0 };

  constructor(private readonly opts: GrantCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The grant of `personId` to `cabinetId`, from memory while fresh, else from `load`. */
  async get(personId: string, cabinetId: string, load: () => Promise<GrantRecord | null>): Promise<GrantRecord | null> {
    const key = keyOf(personId, cabinetId);
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.fetchedAt < this.opts.ttlMs()) {
      this.stats.hits++;
      return hit.value;
    }
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const epoch = this.epoch;
    const fetchedAt = this.now();
    this.stats.loads++;
    const p = load()
      .then((value) => {
        if (epoch === this.epoch) this.put(key, { value, fetchedAt });
        return value;
      })
      .finally(() => {
        if (this.inflight.get(key) === p) this.inflight.delete(key);
      });
    this.inflight.set(key, p);
    return p;
  }

  /** Forgets one person's grant to a cabinet, or every grant of a cabinet when `personId` is absent. */
  invalidate(cabinetId: string, personId?: string): void {
    this.epoch++;
    this.inflight.clear();
    if (personId) {
      this.entries.delete(keyOf(personId, cabinetId));
      return;
    }
    const suffix = ` ${cabinetId}`;
    for (const key of this.entries.keys()) if (key.endsWith(suffix)) this.entries.delete(key);
  }

  /** Forgets every cached grant of one person (this instance just ran a change of theirs). */
  invalidatePerson(personId: string): void {
    this.epoch++;
    this.inflight.clear();
    const prefix = `${personId} `;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Forgets everything (notifications may have been missed). */
  clear(): void {
    this.epoch++;
    this.inflight.clear();
    this.entries.clear();
  }

  /** Number of cached entries. */
  get size(): number {
    return this.entries.size;
  }

  private put(key: string, e: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, e);
    // Map keeps insertion order, so the first key is the oldest.
    if (this.entries.size > (this.opts.maxEntries ?? 100_000)) this.entries.delete(this.entries.keys().next().value as string);
  }
}
