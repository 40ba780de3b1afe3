import { LRUCache } from 'lru-cache';
import type { InvalidationMode } from './GrantChangeListener';

/** The channel identity's trigger NOTIFYs on (its migration RepresentationChanged). */
export const REPRESENTATION_CHANGED_CHANNEL = 'identity_representation_changed';

/** The actors whose lists may have changed, or every actor (`all`: the list was too long for one notification). */
export type RepresentationChange = { actors: readonly string[] } | { all: true };

/** Reads a payload of {@link REPRESENTATION_CHANGED_CHANNEL}; null when unreadable. */
export function parseRepresentationChange(payload: string): RepresentationChange | null {
  try {
    const v = JSON.parse(payload) as { actors?: unknown; all?: unknown };
    if (v.all === true) return { all: true };
    if (Array.isArray(v.actors) && v.actors.every((a) => typeof a === 'string')) return { actors: v.actors as string[] };
    return null;
  } catch {
    return null;
  }
}

const KYIV = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Kyiv',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Kyiv's offset from UTC at `at` (ms; +2 h or +3 h). */
function kyivOffsetMs(at: number): number {
  const p = Object.fromEntries(KYIV.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The last midnight computed, and from when it holds: every instant in [from, at) has the same next midnight. */
let knownMidnight = { from: 0, at: 0 };

/** Milliseconds from `now` to the next midnight in Europe/Kyiv, when today's relationships may end (their `valid_to` is a Kyiv date). */
export function msUntilKyivMidnight(now: number): number {
  // Asked at every store; the time-zone arithmetic (two formatToParts) runs once a day.
  if (now >= knownMidnight.from && now < knownMidnight.at) return knownMidnight.at - now;
  const at = now + nextKyivMidnightFrom(now);
  knownMidnight = { from: now, at };
  return at - now;
}

function nextKyivMidnightFrom(now: number): number {
  const offset = kyivOffsetMs(now);
  const local = new Date(now + offset);
  const nextWallMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1);
  // Daylight saving switches at 03:00/04:00, so the offset at midnight is today's, unless it switched since `now`.
  let at = nextWallMidnight - offset;
  at = nextWallMidnight - kyivOffsetMs(at);
  return at - now;
}

/**
 * How long a list read at `now` may be used: while changes arrive by NOTIFY (`notify`) as long
 * as a grant check (`notifyTtlMs`), but never past the next Kyiv midnight (a relationship ends by
 * date, with no change to notify); otherwise (`ttl`) `ttlModeMs`.
 */
export function representationLifetimeMs(mode: InvalidationMode, now: number, notifyTtlMs: number, ttlModeMs: number): number {
  return mode === 'notify' ? Math.max(1, Math.min(notifyTtlMs, msUntilKyivMidnight(now))) : ttlModeMs;
}

/** Options of {@link RepresentationCache}. */
export interface RepresentationCacheOptions {
  /** Lifetime of a list stored at `now` (read at every store: it changes with the invalidation mode). */
  ttlMs: (now: number) => number;
  /** Largest number of lists; least recently used are dropped beyond it. Default 50,000. */
  maxEntries?: number;
  /** Clock; tests pass their own. */
  now?: () => number;
}

interface Entry {
  list: readonly string[];
  expiresAt: number;
}

/**
 * Whom each actor may act for, by actor id. Lists come from a load of their own ({@link get}) or
 * are primed by the statement that also read a grant ({@link beginLoad} + {@link prime}). As in
 * GrantCache, a read in flight when an invalidation arrived is returned to its caller but not
 * stored, so a notification is never overtaken by the stale read it cancels; concurrent misses
 * for one actor share a single load.
 */
export class RepresentationCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly inflight = new Map<string, Promise<readonly string[]>>();
  private epoch = 0;
  private readonly now: () => number;
  /** Lookups answered from memory, and reads of a list from the database (alone or with a grant). */
  readonly stats = { hits: 0, loads: 0 };

  constructor(private readonly opts: RepresentationCacheOptions) {
    this.now = opts.now ?? Date.now;
    this.entries = new LRUCache<string, Entry>({ max: opts.maxEntries ?? 50_000 });
  }

  /** The actor's list from memory while fresh, else from `load` (shared by concurrent callers). */
  async get(actorId: string, load: () => Promise<readonly string[]>): Promise<readonly string[]> {
    const hit = this.entries.get(actorId);
    if (hit && this.now() < hit.expiresAt) {
      this.stats.hits++;
      return hit.list;
    }
    const pending = this.inflight.get(actorId);
    if (pending) return pending;
    const token = this.beginLoad();
    const p = load()
      .then((list) => {
        this.prime(actorId, list, token);
        return list;
      })
      .finally(() => {
        if (this.inflight.get(actorId) === p) this.inflight.delete(actorId);
      });
    this.inflight.set(actorId, p);
    return p;
  }

  /** Counts a read of a list about to start; its result is stored by {@link prime} with the token returned. */
  beginLoad(): number {
    this.stats.loads++;
    return this.epoch;
  }

  /** Stores a list read since {@link beginLoad} returned `token`, unless an invalidation came in between. */
  prime(actorId: string, list: readonly string[], token: number): void {
    if (token !== this.epoch) return;
    const now = this.now();
    this.entries.set(actorId, { list, expiresAt: now + this.opts.ttlMs(now) });
  }

  /** Forgets the lists of these actors (a relationship naming them changed). */
  invalidate(actorIds: readonly string[]): void {
    this.epoch++;
    this.inflight.clear();
    for (const id of actorIds) this.entries.delete(id);
  }

  /** Forgets every list (notifications may have been missed, or one named too many actors). */
  clear(): void {
    this.epoch++;
    this.inflight.clear();
    this.entries.clear();
  }

  /** Number of stored lists (expired ones included until evicted or looked up). */
  get size(): number {
    return this.entries.size;
  }
}
