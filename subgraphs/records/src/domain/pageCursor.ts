import { isUuid, readCursor, encodeCursor as encode } from '@pc/graphql-kit';

/** Position in a newest-first list: the sort key (an instant or a date) and the id (ties). */
export interface Position {
  at: string;
  id: string;
}

/** The three lists; a cursor of one is refused by the others. */
export type ListName = 'encounters' | 'conditions' | 'diagnosticReports';

/** The opaque cursor of a position in `list`. */
export const encodeCursor = (list: ListName, at: Date | string, id: string): string => encode(list, [at instanceof Date ? at.toISOString() : at, id]);

/** Reads a cursor of `list`; anything else is BAD_USER_INPUT (INVALID_CURSOR). */
export function decodeCursor(list: ListName, cursor: string): Position {
  return readCursor(cursor, list, ([at, id]) => {
    if (typeof at !== 'string' || !isUuid(id) || Number.isNaN(new Date(at).getTime())) return null;
    return { at, id };
  });
}
