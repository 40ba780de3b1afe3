import type { GrantRecord } from '../src/access/admitPatient';
import { GrantCache } from '../src/access/GrantCache';

const record: GrantRecord = { scopes: ['person:read'], grantedAt: new Date(0), expiresAt: null, revokedAt: null, cabinetBlocked: false };

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('GrantCache', () => {
  let clock = 0;
  let ttl = 500;
  const make = (maxEntries?: number) => new GrantCache({ ttlMs: () => ttl, now: () => clock, maxEntries });
  beforeEach(() => {
    clock = 1_000;
    ttl = 500;
  });

  it('answers from memory within the TTL and reloads after it, also for "no grant"', async () => {
    const cache = make();
    const load = jest.fn(async () => null);
    await cache.get('p', 'c', load);
    clock += 499;
    await cache.get('p', 'c', load);
    expect(load).toHaveBeenCalledTimes(1);
    clock += 1;
    await cache.get('p', 'c', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('reads the TTL at every lookup (the invalidation mode can change)', async () => {
    const cache = make();
    const load = jest.fn(async () => record);
    ttl = 30_000;
    await cache.get('p', 'c', load);
    clock += 10_000;
    await cache.get('p', 'c', load);
    ttl = 500;
    await cache.get('p', 'c', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one load between concurrent misses', async () => {
    const cache = make();
    const d = deferred<GrantRecord | null>();
    const load = jest.fn(() => d.promise);
    const both = Promise.all([cache.get('p', 'c', load), cache.get('p', 'c', load)]);
    d.resolve(record);
    expect(await both).toEqual([record, record]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('drops one grant, a whole cabinet, or a whole person', async () => {
    const cache = make();
    for (const [p, c] of [
      ['p1', 'c1'],
      ['p2', 'c1'],
      ['p1', 'c2'],
    ])
      await cache.get(p, c, async () => record);
    cache.invalidate('c1', 'p1');
    expect(cache.size).toBe(2);
    cache.invalidate('c1');
    expect(cache.size).toBe(1);
    await cache.get('p1', 'c1', async () => record);
    cache.invalidatePerson('p1');
    expect(cache.size).toBe(0);
  });

  it('does not cache a load that an invalidation overtook', async () => {
    const cache = make();
    const stale = deferred<GrantRecord | null>();
    const first = cache.get('p', 'c', () => stale.promise);
    // The revocation's notification arrives while the read that predates it is still running.
    cache.invalidate('c', 'p');
    stale.resolve(record);
    expect(await first).toBe(record);
    const load = jest.fn(async () => null);
    expect(await cache.get('p', 'c', load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const cache = make(2);
    for (const p of ['a', 'b', 'c']) await cache.get(p, 'x', async () => record);
    expect(cache.size).toBe(2);
    const load = jest.fn(async () => record);
    await cache.get('a', 'x', load);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
