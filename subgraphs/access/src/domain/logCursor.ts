import { badUserInput } from '@pc/errors';

/** Position in a newest-first access log: the entry's time and id (ties broken by id). */
export interface LogPosition {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque cursor: clients must not build or parse it, so its form may change. */
export function encodeLogCursor(p: LogPosition): string {
  return Buffer.from(JSON.stringify(['l1', p.at.toISOString(), p.id])).toString('base64url');
}

/** Reads a cursor made by {@link encodeLogCursor}; anything else is BAD_USER_INPUT. */
export function decodeLogCursor(cursor: string): LogPosition {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 3 && v[0] === 'l1' && typeof v[1] === 'string' && typeof v[2] === 'string' && UUID.test(v[2])) {
      const at = new Date(v[1]);
      if (!Number.isNaN(at.getTime())) return { at, id: v[2] };
    }
  } catch {
    // fall through to the uniform error
  }
  throw badUserInput('`after` is not a cursor of this list');
}

/** Default and largest page sizes of Person.accessLog. */
export const LOG_PAGE = { default: 20, max: 100 } as const;

/** Validates `first`: 1…100, default 20. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return LOG_PAGE.default;
  if (!Number.isInteger(first) || first < 1 || first > LOG_PAGE.max) throw badUserInput(`\`first\` must be between 1 and ${LOG_PAGE.max}`);
  return first;
}

/** True for a well-formed UUID (ids are uuid columns; anything else would be a SQL error). */
export const isUuid = (s: string): boolean => UUID.test(s);
