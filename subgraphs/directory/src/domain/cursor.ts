/**
 * Opaque, stable pagination cursors for doctor search.
 *
 * A cursor (`@pc/graphql-kit`'s versioned codec) holds the sort key of the row it points at
 * (with the doctor id as the final tie-breaker, so the order is total) and a fingerprint of the
 * filter.
 * The same doctor in the same search always gets the same cursor, and paging continues from the
 * key rather than from an offset, so rows inserted or removed meanwhile neither repeat nor skip
 * the rows that stay. A cursor from another search, or anything else, is refused.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { decodeCursor as decodeListCursor, encodeCursor as encodeListCursor, isUuid } from '@pc/graphql-kit';

/** Position after a row in alphabetical order. */
export interface AlphabeticalKey {
  order: 'alphabetical';
  sortKey: string;
  id: string;
}

/** Position after a row in name-relevance order (rank, then alphabetical). */
export interface RelevanceKey {
  order: 'relevance';
  rank: number;
  sortKey: string;
  id: string;
}

/** Position after a row in distance order (metres from `near`). */
export interface DistanceKey {
  order: 'distance';
  distance: number;
  id: string;
}

/** The sort key of one search result. */
export type CursorKey = AlphabeticalKey | RelevanceKey | DistanceKey;

/** The order a search uses; decides which {@link CursorKey} its cursors hold. */
export type SearchOrder = CursorKey['order'];

/** Why a cursor was refused; the message is safe to show to the client. */
export class CursorError extends Error {}

const LIST = 'searchDoctors';
const INVALID = '`after` is not a valid cursor; pass an endCursor returned by searchDoctors';

/**
 * A short stable digest of a normalised filter. Two filters that differ only in ways the
 * normalisation removes ("Київ" vs "м. київ") get the same fingerprint.
 */
export function filterFingerprint(normalisedFilter: unknown): string {
  return createHash('sha256').update(JSON.stringify(normalisedFilter)).digest('base64url').slice(0, 10);
}

/** Encodes the cursor of a row of the search identified by `fingerprint`. */
export function encodeCursor(key: CursorKey, fingerprint: string): string {
  const fields =
    key.order === 'alphabetical'
      ? [fingerprint, 'a', key.id, key.sortKey]
      : key.order === 'relevance'
        ? [fingerprint, 'r', key.id, key.sortKey, key.rank]
        : [fingerprint, 'd', key.id, key.distance];
  return encodeListCursor(LIST, fields);
}

/**
 * Decodes a cursor and checks that it belongs to a search with this `fingerprint` and `order`.
 *
 * @throws CursorError when the text is not such a cursor
 */
export function decodeCursor(cursor: string, fingerprint: string, order: SearchOrder): CursorKey {
  const fields = decodeListCursor(cursor, LIST);
  if (fields === null || !isUuid(fields[2])) throw new CursorError(INVALID);
  const [f, o, id, k, r] = fields;
  if (f !== fingerprint) throw new CursorError('`after` belongs to a search with a different filter; start again without `after`');
  if (order === 'alphabetical' && o === 'a' && typeof k === 'string') return { order, sortKey: k, id };
  if (order === 'relevance' && o === 'r' && typeof k === 'string' && Number.isInteger(r)) return { order, rank: r as number, sortKey: k, id };
  if (order === 'distance' && o === 'd' && typeof k === 'number' && Number.isFinite(k) && k >= 0) return { order, distance: k, id };
  throw new CursorError(INVALID);
}
