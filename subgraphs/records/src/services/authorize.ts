import { hasScope, isRepresentativeOf, isService, type Caller } from '@pc/auth';

/**
 * Who may read a record found by id (a reference from another subgraph): the person or their
 * representative with medical:read, the doctor who recorded it, a service. Nobody else, and the
 * answer is the same null whether the record exists or not.
 */
export function mayRead(caller: Caller, r: { personId: string; authorId: string }): boolean {
  if (!caller.subject) return false;
  if (isService(caller)) return true;
  if (caller.roles.includes('PATIENT')) return hasScope(caller, 'medical:read') && (caller.subject === r.personId || isRepresentativeOf(caller, r.personId));
  if (caller.roles.includes('DOCTOR')) return caller.subject === r.authorId;
  return false;
}
