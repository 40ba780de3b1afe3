const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID: every id of this system is one, so anything else names nothing. */
export const isUuid = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);
