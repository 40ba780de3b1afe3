import { forbidden, unauthenticated } from '@pc/errors';

/** Roles an end-user token may carry (docs/api.md "Tokens and scopes"). */
export const END_USER_ROLES = ['PATIENT', 'DOCTOR', 'PHARMACIST'] as const;

/** Roles a caller may have: an end-user role, or SERVICE (an internal service credential). */
export type Role = (typeof END_USER_ROLES)[number] | 'SERVICE';

/**
 * Who is calling, as verified by the gateway and re-verified by each subgraph from the caller
 * token. An anonymous caller has `subject: null` and no scopes.
 */
export interface Caller {
  /** Person id for patients, doctor id for doctors, service name for services; null if anonymous. */
  subject: string | null;
  roles: Role[];
  scopes: string[];
  /** The cabinet (OAuth client) the end-user token was issued to. */
  clientId: string | null;
  /** Id of the end-user token, for the access log. */
  tokenId: string | null;
  /** Correlates log lines across services. */
  requestId: string;
  /**
   * The people a patient caller may act for besides themselves (their representations): read by
   * the gateway from identity's `representation_v1` view, signed into the caller token, so no
   * subgraph trusts a person id it did not get from there. Absent or empty: nobody else.
   */
  actFor?: readonly string[];
}

/** The caller a request has when no token was presented. */
export function anonymousCaller(requestId: string): Caller {
  return { subject: null, roles: [], scopes: [], clientId: null, tokenId: null, requestId };
}

/** True when the caller presented a valid end-user or service token. */
export function isAuthenticated(caller: Caller): boolean {
  return caller.subject !== null;
}

/** True when the caller holds `scope`. */
export function hasScope(caller: Caller, scope: string): boolean {
  return caller.scopes.includes(scope);
}

/**
 * The person id of a signed-in patient; throws UNAUTHENTICATED for anonymous callers and
 * FORBIDDEN for other roles, or when `scope` is given and missing.
 */
export function requirePatient(caller: Caller, scope?: string): string {
  if (!caller.subject) throw unauthenticated();
  if (!caller.roles.includes('PATIENT')) throw forbidden('Only a patient may do this');
  if (scope && !hasScope(caller, scope)) throw forbidden(`Missing scope ${scope}`);
  return caller.subject;
}

/** The doctor id of a signed-in doctor holding `scope`; throws as {@link requirePatient}. */
export function requireDoctor(caller: Caller, scope?: string): string {
  if (!caller.subject) throw unauthenticated();
  if (!caller.roles.includes('DOCTOR')) throw forbidden('Only a doctor may do this');
  if (scope && !hasScope(caller, scope)) throw forbidden(`Missing scope ${scope}`);
  return caller.subject;
}

/** True when the caller is an internal service (a signed-in SERVICE token). */
export function isService(caller: Caller): boolean {
  return caller.subject !== null && caller.roles.includes('SERVICE');
}

/** True when the caller is a patient who represents `personId` (a parent for their child). */
export function isRepresentativeOf(caller: Caller, personId: string): boolean {
  return caller.subject !== null && caller.subject !== personId && caller.roles.includes('PATIENT') && (caller.actFor?.includes(personId) ?? false);
}

/**
 * The one decision "may this caller act for `personId` with `scope`": the person themselves or
 * their representative (a patient token holding `scope`), and internal services.
 * UNAUTHENTICATED for anonymous callers; FORBIDDEN for everyone else — another patient, a
 * doctor, an unknown id (the same answer, so the refusal says nothing about existence), or a
 * token without `scope`. Every subgraph that serves person data calls this (or
 * {@link requireActingFor} for a mutation's optional `personId`).
 */
export function requireSelfOrService(caller: Caller, personId: string, scope: string): void {
  if (isService(caller)) return;
  const self = requirePatient(caller, scope);
  if (self !== personId && !isRepresentativeOf(caller, personId)) throw forbidden('Not your data');
}

/** Whom a person-data mutation acts on, and in which capacity. */
export interface ActingFor {
  /** The person whose data changes. */
  personId: string;
  /** True when the caller acts for someone they represent, false for their own data. */
  asRepresentative: boolean;
}

/**
 * The person a patient's mutation acts on: `personId` from the input when given (it must be the
 * caller or someone they represent), else the caller. Throws as {@link requireSelfOrService}.
 */
export function requireActingFor(caller: Caller, personId: string | null | undefined, scope: string): ActingFor {
  const self = requirePatient(caller, scope);
  if (personId == null || personId === self) return { personId: self, asRepresentative: false };
  if (!isRepresentativeOf(caller, personId)) throw forbidden('Not your data');
  return { personId, asRepresentative: true };
}

/** Throws unless the caller is an internal service. */
export function requireService(caller: Caller): string {
  if (!caller.subject) throw unauthenticated();
  if (!caller.roles.includes('SERVICE')) throw forbidden('Only an internal service may do this');
  return caller.subject;
}
