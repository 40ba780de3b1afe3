import type { Caller } from '@pc/auth';
import { GraphQLError } from 'graphql';
import type { RequestGuard } from '../pipeline/guards';

/** A persisted query list: operation id (sha256 of the body) → body. */
export type PersistedQueryList = Map<string, string>;

/** Every list the gateway knows, and whom each is for (see {@link chooseList}). */
export interface PersistedQueryLists {
  /** Every list by its folder (schema/persisted-queries/<folder>.json): what the warm-up plans. */
  lists: Map<string, PersistedQueryList>;
  /** Cabinets' lists (the state cabinet's and each partner's) by cabinet (OAuth client) id. */
  byCabinet: Map<string, PersistedQueryList>;
  /** The state cabinet's client id. */
  stateCabinetId: string;
  /** Doctors' tools: every token with the DOCTOR role, whatever its client. */
  doctors: PersistedQueryList;
  /** Callers without a token: the public directory. */
  anonymous: PersistedQueryList;
}

/** Options of {@link persistedQueryGuard}. */
export interface PersistedQueryGuardOptions extends Omit<PersistedQueryLists, 'lists'> {
  /**
   * Whether first-party callers (the state cabinet's tokens, doctors, anonymous callers) may
   * also send free-form operations and register automatic persisted queries: development yes,
   * production no (`STATE_FREE_FORM`). Partner cabinets are held to their list either way.
   */
  stateFreeForm: boolean;
}

/** Code of a refused operation. */
export const NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

/** The list a caller is held to; `firstParty` lists may be bypassed when free-form is on. */
export interface ChosenList {
  /** Which list, for messages and logs: `practitioners`, `anonymous`, `state`, a partner's client id, or `none`. */
  name: string;
  list?: PersistedQueryList;
  firstParty: boolean;
}

/**
 * Which list a caller is held to, in this order:
 * 1. no token → the anonymous (public directory) list;
 * 2. a token with the DOCTOR or PHARMACIST role → the practitioners' list, whatever `client_id` it carries (or none);
 * 3. the state cabinet's `client_id` → the state cabinet's list;
 * 4. a partner cabinet's `client_id` → that cabinet's list;
 * 5. anything else (a patient token without `client_id`, an unknown cabinet) → no list: refused.
 */
export function chooseList(caller: Caller, opts: Omit<PersistedQueryLists, 'lists'>): ChosenList {
  if (!caller.subject) return { name: 'anonymous', list: opts.anonymous, firstParty: true };
  if (caller.roles.includes('DOCTOR') || caller.roles.includes('PHARMACIST')) return { name: 'practitioners', list: opts.doctors, firstParty: true };
  if (!caller.clientId) return { name: 'none', firstParty: false };
  if (caller.clientId === opts.stateCabinetId) return { name: 'state', list: opts.byCabinet.get(caller.clientId), firstParty: true };
  return { name: caller.clientId, list: opts.byCabinet.get(caller.clientId), firstParty: false };
}

/** Code of a persisted-query extension that is not `{ version: 1, sha256Hash: string }`. */
export const PERSISTED_QUERY_MALFORMED = 'PERSISTED_QUERY_MALFORMED';

/**
 * Safelisting. Every caller is held to one persisted query list ({@link chooseList}): it sends
 * `extensions.persistedQuery.sha256Hash` of a listed operation, and the gateway executes the
 * listed body — never text the client sent along. A free-form query, an unknown id, or an
 * attempt to register an automatic persisted query that is not listed is refused with
 * PERSISTED_QUERY_NOT_IN_LIST (HTTP 400) before anything is parsed.
 *
 * With `stateFreeForm` (development default) first-party callers may also send free-form text
 * and register automatic persisted queries freely; a listed id still resolves to its body, so a
 * client built from the manifest behaves the same in both modes. Partner cabinets and tokens
 * without a list are refused in every mode.
 */
export function persistedQueryGuard(opts: PersistedQueryGuardOptions): RequestGuard {
  return ({ caller, body }) => {
    const pq = body.extensions?.persistedQuery as unknown;
    if (
      pq !== undefined &&
      (typeof pq !== 'object' || pq === null || (pq as { version?: unknown }).version !== 1 || typeof (pq as { sha256Hash?: unknown }).sha256Hash !== 'string')
    ) {
      // Apollo's own answer to this is a code-less error that reads as an internal one.
      throw new GraphQLError('extensions.persistedQuery must be { "version": 1, "sha256Hash": "<hex>" }', {
        extensions: { code: PERSISTED_QUERY_MALFORMED, http: { status: 400 } },
      });
    }
    const chosen = chooseList(caller, opts);
    const id = body.extensions?.persistedQuery?.sha256Hash;
    const listed = id ? chosen.list?.get(id) : undefined;
    if (listed) {
      body.query = listed;
      return caller;
    }
    if (chosen.firstParty && opts.stateFreeForm) return caller;
    const why =
      chosen.name === 'none'
        ? 'no persisted query list applies to this token (a patient token must name its cabinet in client_id)'
        : !chosen.list
          ? 'this cabinet has no persisted query list'
          : !id
            ? "only operations of the caller's persisted query list may be sent (by id)"
            : "this operation is not in the caller's persisted query list";
    throw new GraphQLError(`Refused: ${why}`, { extensions: { code: NOT_IN_LIST, http: { status: 400 } } });
  };
}
