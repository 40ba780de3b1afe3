import { requirePatient, type Caller } from '@pc/auth';
import { forbidden } from '@pc/errors';

/**
 * Lets through the person themselves (a patient token with `scope`) or an internal service;
 * everyone else, including another patient, is FORBIDDEN.
 */
export function requireSelfOrService(caller: Caller, personId: string, scope: string): void {
  if (caller.subject && caller.roles.includes('SERVICE')) return;
  const self = requirePatient(caller, scope);
  if (self !== personId) throw forbidden('Not your data');
}
