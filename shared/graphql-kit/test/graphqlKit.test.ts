import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { connectionOf, decodeCursor, encodeCursor, encodeSortKeyCursor, isUuid, pageOf, pageSize, readCursor, readSortKeyCursor, PAGE_SIZE } from '../src';

const ID = '0b5c6a3e-1f2d-4c8b-9a7e-3d2f1e0c9b8a';

function refusal(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (err) {
    return err as GraphQLError;
  }
  throw new Error('not refused');
}

describe('cursor codec', () => {
  it('round-trips any JSON fields, with a v1 prefix', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null))),
        (list, fields) => {
          const cursor = encodeCursor(list, fields);
          expect(cursor.startsWith('v1.')).toBe(true);
          expect(decodeCursor(cursor, list)).toEqual(fields.map((f) => (Object.is(f, -0) ? 0 : f)));
        },
      ),
    );
  });

  it('refuses a cursor of another list, of another version, tampered, or no cursor at all', () => {
    const cursor = encodeCursor('history', ['42']);
    const body = cursor.slice(3);
    const tampered = cursor.slice(0, -2) + (cursor.at(-2) === 'A' ? 'B' : 'A') + cursor.at(-1);
    for (const bad of [
      encodeCursor('accessLog', ['42']),
      `v2.${body}`,
      body,
      Buffer.from('["history","42"]').toString('base64url'),
      tampered,
      `${cursor}!`,
      'v1.',
      '',
      null,
      42,
    ]) {
      expect(decodeCursor(bad, 'history')).toBeNull();
    }
  });

  it('fails readCursor with BAD_USER_INPUT and reason INVALID_CURSOR, also when the fields are not a position', () => {
    const read = (f: unknown[]) => (typeof f[0] === 'string' && isUuid(f[0]) ? f[0] : null);
    expect(readCursor(encodeCursor('l', [ID]), 'l', read)).toBe(ID);
    for (const bad of [encodeCursor('l', ['not-an-id']), encodeCursor('other', [ID]), 'bm90LWEtY3Vyc29y']) {
      const err = refusal(() => readCursor(bad, 'l', read));
      expect(err).toBeInstanceOf(GraphQLError);
      expect(err.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    }
  });
});

describe('pages', () => {
  it('defaults to 20 and accepts 1…100 only', () => {
    expect(PAGE_SIZE).toEqual({ default: 20, max: 100 });
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null)).toBe(20);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(100)).toBe(100);
    for (const bad of [0, -1, 101, 2.5, NaN]) expect(refusal(() => pageSize(bad)).extensions?.code).toBe('BAD_USER_INPUT');
    expect(pageSize(7, { default: 5, max: 7 })).toBe(7);
  });

  it('makes a page of rows read with LIMIT first + 1, and its connection', () => {
    expect(pageOf([1, 2, 3], 2)).toEqual({ nodes: [1, 2], hasNextPage: true });
    expect(pageOf([1, 2], 2)).toEqual({ nodes: [1, 2], hasNextPage: false });
    expect(connectionOf(pageOf([1, 2, 3], 2), (n) => `c${n}`)).toEqual({
      edges: [
        { cursor: 'c1', node: 1 },
        { cursor: 'c2', node: 2 },
      ],
      pageInfo: { hasNextPage: true, endCursor: 'c2' },
    });
    expect(connectionOf(pageOf([], 2), String)).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('isUuid', () => {
  it('accepts UUIDs in either case and nothing else', () => {
    expect(isUuid(ID)).toBe(true);
    expect(isUuid(ID.toUpperCase())).toBe(true);
    for (const bad of ['', 'abc', `${ID}x`, ID.replace(/-/g, ''), null, 1]) expect(isUuid(bad)).toBe(false);
  });
});

describe('sort-key cursors (newest-first lists)', () => {
  const id = '0b5c6a3e-1f2d-4c8b-9a7e-3d2f1e0c9b8a';
  it('round-trip an instant or a date with its id, and only in their own list', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(readSortKeyCursor(encodeSortKeyCursor('a', at, id), 'a')).toEqual({ at: '2026-01-02T03:04:05.678Z', id });
    expect(readSortKeyCursor(encodeSortKeyCursor('a', '2026-01-02', id), 'a')).toEqual({ at: '2026-01-02', id });
    expect(() => readSortKeyCursor(encodeSortKeyCursor('a', at, id), 'b')).toThrow(/cursor/);
  });
  it('refuse a position whose key is not a date or whose id is not a UUID', () => {
    expect(() => readSortKeyCursor(encodeCursor('a', ['not a date', id]), 'a')).toThrow(/cursor/);
    expect(() => readSortKeyCursor(encodeCursor('a', ['2026-01-02', 'x; DROP TABLE']), 'a')).toThrow(/cursor/);
    expect(() => readSortKeyCursor(encodeCursor('a', [42, id]), 'a')).toThrow(/cursor/);
  });
});
