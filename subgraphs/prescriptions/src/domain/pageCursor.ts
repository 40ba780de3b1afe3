import { isUuid, readCursor, encodeCursor as encode } from '@pc/graphql-kit';

/** Position in a newest-first list of prescriptions: created_at and id (ties broken by id). */
export interface PrescriptionPosition {
  at: Date;
  id: string;
}

/** The list's name in its cursors (a cursor of another list is refused). */
const LIST = 'prescriptions';

/** The opaque cursor of a position. */
export const encodeCursor = (p: PrescriptionPosition): string => encode(LIST, [p.at.toISOString(), p.id]);

/** Reads a cursor made by {@link encodeCursor}; anything else is BAD_USER_INPUT (INVALID_CURSOR). */
export function decodeCursor(cursor: string): PrescriptionPosition {
  return readCursor(cursor, LIST, ([at, id]) => {
    if (typeof at !== 'string' || !isUuid(id)) return null;
    const d = new Date(at);
    return Number.isNaN(d.getTime()) ? null : { at: d, id };
  });
}
