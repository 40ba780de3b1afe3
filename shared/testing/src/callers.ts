import { randomUUID } from 'node:crypto';
import type { Caller } from '@pc/auth';
import { DEMO_CABINETS, DOCTOR_SCOPES, PATIENT_SCOPES } from '@pc/demo';

/** A verified patient caller (what the gateway would forward). */
export function patientCaller(personId: string, overrides: Partial<Caller> = {}): Caller {
  return {
    subject: personId,
    roles: ['PATIENT'],
    scopes: PATIENT_SCOPES,
    clientId: DEMO_CABINETS.state.id,
    tokenId: randomUUID(),
    requestId: randomUUID(),
    ...overrides,
  };
}

/** A verified doctor caller. */
export function doctorCaller(doctorId: string, overrides: Partial<Caller> = {}): Caller {
  return {
    subject: doctorId,
    roles: ['DOCTOR'],
    scopes: DOCTOR_SCOPES,
    clientId: DEMO_CABINETS.state.id,
    tokenId: randomUUID(),
    requestId: randomUUID(),
    ...overrides,
  };
}

/** An internal service caller. */
export function serviceCaller(service: string): Caller {
  return { subject: service, roles: ['SERVICE'], scopes: [], clientId: null, tokenId: null, requestId: randomUUID() };
}

/** No token. */
export function anonymous(): Caller {
  return { subject: null, roles: [], scopes: [], clientId: null, tokenId: null, requestId: randomUUID() };
}
