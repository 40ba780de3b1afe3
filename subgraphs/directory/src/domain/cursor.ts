/**
 * Opaque, stable pagination cursors for doctor search.
 *
 * A cursor is base64url of a small JSON object: the sort key of the row it points at (with the
 * doctor id as the final tie-breaker, so the order is total) and a fingerprint of the filter.
 * The same doctor in the same search always gets the same cursor, and paging continues from the
 * key rather than from an offset, so rows inserted or removed meanwhile neither repeat nor skip
 * the rows that stay. A cursor from another search, or anything else, is refused.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';

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

const VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A short stable digest of a normalised filter. Two filters that differ only in ways the
 * normalisation removes ("Київ" vs "м. київ") get the same fingerprint.
 */
export function filterFingerprint(normalisedFilter: unknown): string {
  return createHash('sha256').update(JSON.stringify(normalisedFilter)).digest('base64url').slice(0, 10);
}

/** Encodes the cursor of a row of the search identified by `fingerprint`. */
export function encodeCursor(key: CursorKey, fingerprint: string): string {
  const body =
    key.order === 'alphabetical'
      ? { v: VERSION, f: fingerprint, o: 'a', k: key.sortKey, i: key.id }
      : key.order === 'relevance'
        ? { v: VERSION, f: fingerprint, o: 'r', r: key.rank, k: key.sortKey, i: key.id }
        : { v: VERSION, f: fingerprint, o: 'd', d: key.distance, i: key.id };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor and checks that it belongs to a search with this `fingerprint` and `order`.
 *
 * @throws CursorError when the text is not such a cursor
 */
export function decodeCursor(cursor: string, fingerprint: string, order: SearchOrder): CursorKey {
  let body: Record<string, unknown>;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    throw new CursorError('`after` is not a valid cursor; pass an endCursor returned by searchDoctors');
  }
  if (body.v !== VERSION || typeof body.i !== 'string' || !UUID.test(body.i)) {
    throw new CursorError('`after` is not a valid cursor; pass an endCursor returned by searchDoctors');
  }
  if (body.f !== fingerprint) {
    throw new CursorError('`after` belongs to a search with a different filter; start again without `after`');
  }
  const id = body.i;
  if (order === 'alphabetical' && body.o === 'a' && typeof body.k === 'string') {
    return { order, sortKey: body.k, id };
  }
  if (order === 'relevance' && body.o === 'r' && typeof body.k === 'string' && Number.isInteger(body.r)) {
    return { order, rank: body.r as number, sortKey: body.k, id };
  }
  if (order === 'distance' && body.o === 'd' && typeof body.d === 'number' && Number.isFinite(body.d) && body.d >= 0) {
    return { order, distance: body.d, id };
  }
  throw new CursorError('`after` is not a valid cursor; pass an endCursor returned by searchDoctors');
}
