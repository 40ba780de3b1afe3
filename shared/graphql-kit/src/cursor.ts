/**
 * The one opaque cursor codec of every paginated list.
 *
 * A cursor is `v1.` followed by base64url of a JSON array: the list's name, then the position's
 * fields (a sort key and an id, say). The version prefix lets the form change later: a cursor
 * of another version, of another list, or anything that does not parse is refused with one
 * stable error ({@link invalidCursor}: `BAD_USER_INPUT`, `extensions.reason: INVALID_CURSOR`).
 * Clients must neither build nor read cursors; they are not signed, so a list checks the
 * fields it gets back like any other argument (types, id shape) before using them in SQL.
 *
 * @packageDocumentation
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@pc/errors';
import { isUuid } from './ids';

/** The version of the cursors {@link encodeCursor} writes. */
export const CURSOR_VERSION = 'v1';
const PREFIX = `${CURSOR_VERSION}.`;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** `extensions.reason` of a refused cursor. */
export const INVALID_CURSOR = 'INVALID_CURSOR';

/** The error of a cursor that is not one of this list's (BAD_USER_INPUT, reason INVALID_CURSOR). */
export function invalidCursor(message = '`after` is not a cursor of this list; pass an endCursor it returned'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, reason: INVALID_CURSOR } });
}

/** The cursor of a position in `list`: `fields` must be JSON values (strings, numbers, booleans, null). */
export function encodeCursor(list: string, fields: readonly unknown[]): string {
  return PREFIX + Buffer.from(JSON.stringify([list, ...fields]), 'utf8').toString('base64url');
}

/**
 * The fields of a cursor of `list`, or null when `cursor` is not a {@link CURSOR_VERSION}
 * cursor of that list (another version, another list, tampered text).
 */
export function decodeCursor(cursor: unknown, list: string): unknown[] | null {
  if (typeof cursor !== 'string' || !cursor.startsWith(PREFIX)) return null;
  const body = cursor.slice(PREFIX.length);
  if (!BASE64URL.test(body)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed[0] !== list) return null;
  return parsed.slice(1);
}

/**
 * The position in a cursor of `list`, read by `read` from the cursor's fields (null when they
 * are not a position of this list).
 *
 * @throws GraphQLError {@link invalidCursor} when the cursor or its fields are not this list's
 */
export function readCursor<T>(cursor: unknown, list: string, read: (fields: unknown[]) => T | null): T {
  const fields = decodeCursor(cursor, list);
  const position = fields === null ? null : read(fields);
  if (position === null) throw invalidCursor();
  return position;
}

/** A position in a list ordered newest first by an instant or a date, ties broken by the id. */
export interface SortKeyPosition {
  /** The sort key as written into the cursor: an ISO instant or an ISO date. */
  at: string;
  id: string;
}

/** The cursor of a (sort key, id) position in `list`: the shape of every newest-first list. */
export const encodeSortKeyCursor = (list: string, at: Date | string, id: string): string =>
  encodeCursor(list, [at instanceof Date ? at.toISOString() : at, id]);

/**
 * The (sort key, id) position of a cursor made by {@link encodeSortKeyCursor} for `list`.
 *
 * @throws GraphQLError {@link invalidCursor} for another list's, another version's or a tampered cursor, or a bad date or id
 */
export function readSortKeyCursor(cursor: unknown, list: string): SortKeyPosition {
  return readCursor(cursor, list, ([at, id]) => (typeof at === 'string' && isUuid(id) && !Number.isNaN(new Date(at).getTime()) ? { at, id } : null));
}
