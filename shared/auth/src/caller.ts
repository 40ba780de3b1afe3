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

/**
 * Lets through the person themselves (a patient token holding `scope`) and internal services:
 * UNAUTHENTICATED for anonymous callers, FORBIDDEN for everyone else, including another
 * patient, a doctor, or the person without `scope`.
 */
export function requireSelfOrService(caller: Caller, personId: string, scope: string): void {
  if (isService(caller)) return;
  const self = requirePatient(caller, scope);
  if (self !== personId) throw forbidden('Not your data');
}

/** Throws unless the caller is an internal service. */
export function requireService(caller: Caller): string {
  if (!caller.subject) throw unauthenticated();
  if (!caller.roles.includes('SERVICE')) throw forbidden('Only an internal service may do this');
  return caller.subject;
}
