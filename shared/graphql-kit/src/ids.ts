/** A UUID in its canonical text form (any letter case): every id this system issues is one. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a well-formed UUID. Ids come from clients; PostgreSQL refuses a malformed one in a
 * `uuid` parameter with an error (for a whole batch), so anything else simply names nothing.
 */
export const isUuid = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);
