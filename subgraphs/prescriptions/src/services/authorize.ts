import { hasScope, isRepresentativeOf, type Caller } from '@pc/auth';
import { forbidden, unauthenticated } from '@pc/errors';
import type { Prescription } from '../entities/Prescription';

/** The person themselves or their representative (a parent for their child), with prescription:read. */
function isPersonOrRepresentative(caller: Caller, personId: string): boolean {
  return caller.roles.includes('PATIENT') && (caller.subject === personId || isRepresentativeOf(caller, personId)) && hasScope(caller, 'prescription:read');
}

/** Who may read a prescription found by id: the person or their representative (prescription:read), its prescriber, a service. */
export function mayRead(caller: Caller, p: Pick<Prescription, 'personId' | 'prescriberId'>): boolean {
  if (!caller.subject) return false;
  if (caller.roles.includes('SERVICE')) return true;
  if (caller.roles.includes('PATIENT')) return isPersonOrRepresentative(caller, p.personId);
  if (caller.roles.includes('DOCTOR')) return caller.subject === p.prescriberId;
  return false;
}

/**
 * The verification code is as sensitive as a password: only the person themselves or their
 * representative (who takes the child's prescription to the pharmacy), through a token holding
 * prescription:read, sees it. Doctors, pharmacists, services and cabinets without the scope get null.
 */
export function maySeeCode(caller: Caller, p: Pick<Prescription, 'personId'>): boolean {
  return isPersonOrRepresentative(caller, p.personId);
}

/** The subject of a caller with `role` holding `scope`; UNAUTHENTICATED or FORBIDDEN otherwise. */
export function requireRole(caller: Caller, role: 'DOCTOR' | 'PHARMACIST', scope: string): string {
  if (!caller.subject) throw unauthenticated();
  if (!(caller.roles as string[]).includes(role)) throw forbidden(`Only a ${role.toLowerCase()} may do this`);
  if (!hasScope(caller, scope)) throw forbidden(`Missing scope ${scope}`);
  return caller.subject;
}
