import { msUntilKyivMidnight, parseRepresentationChange, RepresentationCache, representationLifetimeMs } from '../src/access/RepresentationCache';

const H = 3_600_000;

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the lifetime of a representation list', () => {
  it('ends at the next midnight in Kyiv: winter (UTC+2) and summer (UTC+3)', () => {
    // 21:30 UTC on 15 January is 23:30 in Kyiv: 30 minutes to go.
    expect(msUntilKyivMidnight(Date.parse('2026-01-15T21:30:00Z'))).toBe(0.5 * H);
    // 20:59:59.250 UTC on 15 July is 23:59:59.250 in Kyiv.
    expect(msUntilKyivMidnight(Date.parse('2026-07-15T20:59:59.250Z'))).toBe(750);
    // Kyiv midnight itself: a whole day to the next one.
    expect(msUntilKyivMidnight(Date.parse('2026-07-15T21:00:00Z'))).toBe(24 * H);
    // 22:30 UTC on 15 January is already 00:30 on the 16th in Kyiv.
    expect(msUntilKyivMidnight(Date.parse('2026-01-15T22:30:00Z'))).toBe(23.5 * H);
  });

  it('counts the daylight saving days right (23 and 25 hours long)', () => {
    // 29 March 2026: clocks go 03:00 -> 04:00; from 00:00 (22:00 UTC the day before) 23 h.
    expect(msUntilKyivMidnight(Date.parse('2026-03-28T22:00:00Z'))).toBe(23 * H);
    // 25 October 2026: 04:00 -> 03:00; from 00:00 (21:00 UTC the day before) 25 h.
    expect(msUntilKyivMidnight(Date.parse('2026-10-24T21:00:00Z'))).toBe(25 * H);
  });

  it('gives the same answers when asked again the same day and across midnight (the next midnight is remembered per day)', () => {
    const t = Date.parse('2026-01-15T10:00:00Z'); // 12:00 in Kyiv
    expect(msUntilKyivMidnight(t)).toBe(12 * 3_600_000);
    expect(msUntilKyivMidnight(t + 3_600_000)).toBe(11 * 3_600_000);
    const afterMidnight = t + 12 * 3_600_000 + 1_000;
    expect(msUntilKyivMidnight(afterMidnight)).toBe(24 * 3_600_000 - 1_000);
    expect(msUntilKyivMidnight(t - 3_600_000)).toBe(13 * 3_600_000); // earlier than anything asked: computed again
  });

  it('in notify mode lives as long as a grant check but never past Kyiv midnight; in ttl mode its own TTL', () => {
    const noon = Date.parse('2026-11-30T10:00:00Z'); // 12:00 in Kyiv
    expect(representationLifetimeMs('notify', noon, 30_000, 10_000)).toBe(30_000);
    const late = Date.parse('2026-11-30T21:59:50Z'); // 23:59:50 in Kyiv
    expect(representationLifetimeMs('notify', late, 30_000, 10_000)).toBe(10_000);
    const later = Date.parse('2026-11-30T21:59:58Z');
    expect(representationLifetimeMs('notify', later, 30_000, 10_000)).toBe(2_000);
    expect(representationLifetimeMs('ttl', later, 30_000, 10_000)).toBe(10_000);
  });
});

describe('RepresentationCache', () => {
  let clock = 0;
  let mode: 'notify' | 'ttl' = 'notify';
  const make = () => new RepresentationCache({ now: () => clock, ttlMs: (now) => representationLifetimeMs(mode, now, 30_000, 10_000) });
  beforeEach(() => {
    clock = Date.parse('2026-11-30T21:59:00Z'); // 23:59:00 in Kyiv
    mode = 'notify';
  });

  it('lives 30 s as a grant check does in notify mode; one stored at 23:59:30 in Kyiv ends at midnight', async () => {
    const cache = make();
    const load = jest.fn(async () => ['b']);
    await cache.get('a', load);
    clock += 30_000;
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2); // 30 s: the grant lifetime
    clock += 29_999; // 23:59:59.999
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
    clock += 1; // midnight
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('never keeps a list past Kyiv midnight', async () => {
    const cache = make();
    clock = Date.parse('2026-11-30T21:59:50Z'); // 23:59:50
    const load = jest.fn(async () => ['b']);
    await cache.get('a', load);
    clock += 9_999;
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(1);
    clock += 1; // 00:00:00 in Kyiv, 10 s after the read: a relationship ending yesterday has ended
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.stats).toEqual({ hits: 1, loads: 2 });
  });

  it('keeps its own short TTL in ttl mode', async () => {
    mode = 'ttl';
    clock = Date.parse('2026-11-30T10:00:00Z');
    const cache = make();
    const load = jest.fn(async () => []);
    await cache.get('a', load);
    clock += 9_999;
    await cache.get('a', load);
    clock += 1;
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('is primed by a read made with the grant, unless an invalidation came in between', async () => {
    const cache = make();
    const load = jest.fn(async () => ['x']);
    const token = cache.beginLoad();
    cache.prime('a', ['b'], token);
    expect(await cache.get('a', load)).toEqual(['b']);
    expect(load).not.toHaveBeenCalled();
    const stale = cache.beginLoad();
    cache.invalidate(['a']);
    cache.prime('a', ['old'], stale);
    expect(await cache.get('a', load)).toEqual(['x']);
    expect(cache.stats).toEqual({ hits: 1, loads: 3 });
  });

  it('forgets the named actors only; clear forgets all; a load in flight during an invalidation is returned but not stored', async () => {
    const cache = make();
    await cache.get('a', async () => ['1']);
    await cache.get('b', async () => ['2']);
    cache.invalidate(['a', 'z']);
    const load = jest.fn(async () => ['3']);
    expect(await cache.get('b', load)).toEqual(['2']);
    expect(await cache.get('a', load)).toEqual(['3']);
    cache.clear();
    expect(cache.size).toBe(0);

    const d = deferred<readonly string[]>();
    const p = cache.get('a', () => d.promise);
    const shared = cache.get('a', () => Promise.resolve(['never']));
    cache.invalidate(['a']);
    d.resolve(['stale']);
    expect(await p).toEqual(['stale']);
    expect(await shared).toEqual(['stale']);
    expect(await cache.get('a', async () => ['fresh'])).toEqual(['fresh']);
  });

  it('does not store a failed load', async () => {
    const cache = make();
    await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('a', async () => ['b'])).toEqual(['b']);
  });
});

describe('parseRepresentationChange', () => {
  it('reads actors or the "all" marker, and nothing else', () => {
    expect(parseRepresentationChange('{"actors":["a","b"]}')).toEqual({ actors: ['a', 'b'] });
    expect(parseRepresentationChange('{"all":true}')).toEqual({ all: true });
    expect(parseRepresentationChange('{"actors":[1]}')).toBeNull();
    expect(parseRepresentationChange('{}')).toBeNull();
    expect(parseRepresentationChange('nope')).toBeNull();
  });
});
