import { GraphQLError } from 'graphql';
import type { RequestGuard } from '../pipeline/guards';

/** A cabinet's persisted query list: operation id (sha256 of the body) → body. */
export type PersistedQueryList = Map<string, string>;

/** Options of {@link persistedQueryGuard}. */
export interface PersistedQueryGuardOptions {
  /** Lists by cabinet (client) id. */
  lists: Map<string, PersistedQueryList>;
  /** The state cabinet's client id. */
  stateCabinetId: string;
  /** Whether the state cabinet may send free-form operations (development: yes; production: no). */
  stateFreeForm: boolean;
}

/** Code of a refused operation. */
export const NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

/**
 * Safelisting. A cabinet other than the state one (a PRIVATE partner cabinet) runs only the
 * operations of its own list: it sends `extensions.persistedQuery.sha256Hash`, and the gateway
 * executes the listed body — never text the client sent. A free-form query or an unknown id is
 * refused with PERSISTED_QUERY_NOT_IN_LIST before anything is parsed. The state cabinet is held
 * to its list only when `stateFreeForm` is off (production). Anonymous callers (public
 * directory search) and first-party APQ traffic of the state cabinet pass through.
 */
export function persistedQueryGuard(opts: PersistedQueryGuardOptions): RequestGuard {
  return ({ caller, body }) => {
    if (!caller.clientId) return caller;
    if (caller.clientId === opts.stateCabinetId && opts.stateFreeForm) return caller;
    const list = opts.lists.get(caller.clientId);
    const id = body.extensions?.persistedQuery?.sha256Hash;
    const listed = id ? list?.get(id) : undefined;
    if (!listed) {
      const why = !id ? 'this cabinet may only send operations from its persisted query list' : 'this operation is not in the cabinet\'s persisted query list';
      throw new GraphQLError(`Refused: ${why}`, { extensions: { code: NOT_IN_LIST, http: { status: 400 } } });
    }
    body.query = listed;
    return caller;
  };
}
