import { encodeCursor as encodeListCursor } from '@pc/graphql-kit';
import { decodeCursor, encodeCursor } from '../src/domain/cursor';
import { DEFAULT_SEARCH_LIMITS, parseSearchArgs, SearchArgumentError } from '../src/domain/searchArgs';

const ID = '4f9a0e7c-5d6b-4ace-9ebc-7b6d5c4a3fce';

describe('parseSearchArgs', () => {
  it('defaults: 20 per page, alphabetical, no criteria', () => {
    expect(parseSearchArgs({})).toMatchObject({ first: 20, order: 'alphabetical', after: null, nameWords: null, near: null });
  });

  it('chooses the order: distance with near, relevance with a name, else alphabetical', () => {
    expect(parseSearchArgs({ filter: { name: 'Шев', near: { latitude: 50, longitude: 30 } } }).order).toBe('distance');
    expect(parseSearchArgs({ filter: { name: 'Шев' } }).order).toBe('relevance');
    expect(parseSearchArgs({ filter: { speciality: 'THERAPIST' } }).order).toBe('alphabetical');
  });

  it('normalises criteria', () => {
    const q = parseSearchArgs({
      filter: { name: ' Шевченко  шевченко Олена ', settlement: 'м. Київ', area: 'Київська область', legalEntityId: ID.toUpperCase() },
    });
    expect(q).toMatchObject({ nameWords: ['шевченко', 'олена'], settlementKey: 'київ', areaKey: 'київська', legalEntityId: ID });
  });

  it('applies the default radius and converts to metres', () => {
    expect(parseSearchArgs({ filter: { near: { latitude: 50, longitude: 30 } } }).near).toEqual({ latitude: 50, longitude: 30, radiusMetres: 25_000 });
    expect(parseSearchArgs({ filter: { near: { latitude: 50, longitude: 30 }, radiusKm: 2.5 } }).near?.radiusMetres).toBe(2500);
    expect(parseSearchArgs({ filter: { near: { latitude: 50, longitude: 30 } } }, { ...DEFAULT_SEARCH_LIMITS, defaultRadiusKm: 3 }).near?.radiusMetres).toBe(
      3000,
    );
  });

  it('rounds coordinates to 7 decimals, so subnormal floats never reach PostgreSQL', () => {
    expect(parseSearchArgs({ filter: { near: { latitude: 5e-324, longitude: 30.123456789 } } }).near).toMatchObject({ latitude: 0, longitude: 30.1234568 });
  });

  it.each([
    [{ first: 101 }, 'first must be at most 100; page through larger results with after'],
    [{ first: -1 }, 'first must be a non-negative integer'],
    [{ filter: { radiusKm: 3 } }, 'filter.radiusKm needs filter.near: a radius around what?'],
    [{ filter: { near: { latitude: 50, longitude: 30 }, radiusKm: -1 } }, 'filter.radiusKm must be positive'],
    [{ filter: { near: { latitude: 50, longitude: 30 }, radiusKm: 501 } }, 'filter.radiusKm must be at most 500'],
    [{ filter: { near: { latitude: 50, longitude: 30 }, radiusKm: 5e-324 } }, 'filter.radiusKm must be at least 0.001 (1 metre)'],
    [{ filter: { near: { latitude: 50, longitude: 181 } } }, 'filter.near.longitude must be between -180 and 180'],
    [{ filter: { name: '!!!' } }, 'filter.name must contain letters'],
    [{ filter: { name: 'а б в г д е' } }, 'filter.name may have at most 5 words'],
    [{ filter: { settlement: 'м.' } }, 'filter.settlement must contain letters'],
    [{ filter: { divisionId: '42' } }, 'filter.divisionId is not a valid id'],
    [{ after: 'garbage!' }, '`after` is not a valid cursor; pass an endCursor returned by searchDoctors'],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseSearchArgs(args as never)).toThrow(new SearchArgumentError(message));
  });

  it('accepts a cursor of the same search only', () => {
    const q = parseSearchArgs({ filter: { speciality: 'THERAPIST' } });
    const cursor = encodeCursor({ order: 'alphabetical', sortKey: 'k', id: ID }, q.fingerprint);
    expect(parseSearchArgs({ filter: { speciality: 'THERAPIST' }, after: cursor }).after).toEqual({ order: 'alphabetical', sortKey: 'k', id: ID });
    expect(() => parseSearchArgs({ filter: { speciality: 'PEDIATRICIAN' }, after: cursor })).toThrow(/different filter/);
    // Same fingerprint, other order (cannot happen with one filter, but a hand-made cursor can try).
    expect(() => decodeCursor(cursor, q.fingerprint, 'distance')).toThrow(/not a valid cursor/);
  });
});

describe('cursors', () => {
  it('round-trip every order exactly, including float distances', () => {
    for (const key of [
      { order: 'alphabetical', sortKey: 'ĀĂ\u0001Ą', id: ID },
      { order: 'relevance', rank: 2, sortKey: 'x', id: ID },
      { order: 'distance', distance: 1234.5678901234567, id: ID },
    ] as const) {
      expect(decodeCursor(encodeCursor(key, 'fp'), 'fp', key.order)).toEqual(key);
    }
  });

  it('are opaque versioned base64url and the same for the same row', () => {
    const a = encodeCursor({ order: 'distance', distance: 10, id: ID }, 'fp');
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(encodeCursor({ order: 'distance', distance: 10, id: ID }, 'fp')).toBe(a);
  });

  it('refuse tampered content', () => {
    const bad = (fields: unknown[]) => encodeListCursor('searchDoctors', fields);
    expect(() => decodeCursor(bad(['fp', 'd', ID, -1]), 'fp', 'distance')).toThrow(/not a valid cursor/);
    expect(() => decodeCursor(bad(['fp', 'a', "x' OR 1=1", 'x']), 'fp', 'alphabetical')).toThrow(/not a valid cursor/);
    expect(() => decodeCursor(bad(['fp', 'r', ID, 'x', 1.5]), 'fp', 'relevance')).toThrow(/not a valid cursor/);
    expect(() => decodeCursor(bad([1, 2]), 'fp', 'alphabetical')).toThrow(/not a valid cursor/);
    expect(() => decodeCursor(encodeListCursor('accessLog', ['fp', 'a', ID, 'x']), 'fp', 'alphabetical')).toThrow(/not a valid cursor/);
    const good = encodeCursor({ order: 'alphabetical', sortKey: 'x', id: ID }, 'fp');
    expect(() => decodeCursor(`v2${good.slice(2)}`, 'fp', 'alphabetical')).toThrow(/not a valid cursor/);
  });
});
