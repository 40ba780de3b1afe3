import { encodeCursor, isUuid, readCursor } from '@pc/graphql-kit';

/** Position in a newest-first access log: the entry's time and id (ties broken by id). */
export interface LogPosition {
  at: Date;
  id: string;
}

const LIST = 'accessLog';

/** The opaque cursor of an entry (`@pc/graphql-kit`'s codec). */
export function encodeLogCursor(p: LogPosition): string {
  return encodeCursor(LIST, [p.at.toISOString(), p.id]);
}

/** Reads a cursor made by {@link encodeLogCursor}; anything else is BAD_USER_INPUT (reason INVALID_CURSOR). */
export function decodeLogCursor(cursor: string): LogPosition {
  return readCursor(cursor, LIST, ([at, id]) => {
    if (typeof at !== 'string' || !isUuid(id)) return null;
    const time = new Date(at);
    return Number.isNaN(time.getTime()) ? null : { at: time, id };
  });
}
