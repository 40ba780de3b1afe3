import { supergraphScopes } from '@pc/schema/src/supergraphDirectives';

/**
 * Fixed ids of the demo data, the same on every start. Each subgraph seeds its own part of
 * the personas (identity the person, directory the doctor's records, access the grants…);
 * these ids are the only thing they share, exactly as real services share only ids.
 */
export const DEMO_PERSONAS = {
  /** An adult with an active declaration (and an older terminated one). */
  patient: { id: '0b5c6a3e-1f2d-4c8b-9a7e-3d2f1e0c9b8a', role: 'PATIENT' },
  /** A second adult. */
  other: { id: '1c6d7b4f-2a3e-4d9c-8b8f-4e3a2f1d0c9b', role: 'PATIENT' },
  /** 15 years old, no capacity document: may read, may not change. */
  teen: { id: '2d7e8c5a-3b4f-4eac-9c9a-5f4b3a2e1dac', role: 'PATIENT' },
  /** An adult with an active confidant relationship (limited capacity): read only. */
  represented: { id: '3e8f9d6b-4c5a-4fbd-8dab-6a5c4b3f2ebd', role: 'PATIENT' },
  /** An adult who represents `child` (a parent, by the child's birth certificate). */
  parent: { id: '9e4f5d2b-0c1a-4f13-8a01-c0bcab9f8e13', role: 'PATIENT' },
  /** 7 years old, no declaration yet: cannot use the cabinet; `parent` acts for them. */
  child: { id: 'af506e3c-1d2b-4a24-9b12-d1cdbcaf9f24', role: 'PATIENT' },
  /** A family doctor who accepts patients. */
  doctor: { id: '4f9a0e7c-5d6b-4ace-9ebc-7b6d5c4a3fce', role: 'DOCTOR' },
  /** A pharmacist at a demo pharmacy: dispenses prescriptions by number and code. */
  pharmacist: { id: '8d3e4c1a-9b0f-4e02-9cf0-bfab9a8e7d02', role: 'PHARMACIST' },
} as const;

/** Name of a demo persona, as accepted by `npm run token -- --demo <name>`. */
export type DemoPersona = keyof typeof DEMO_PERSONAS;

/** Demo cabinets (OAuth clients). The state cabinet is the default client of demo tokens. */
export const DEMO_CABINETS = {
  state: { id: '5a0b1f8d-6e7c-4bdf-8fcd-8c7e6d5b4adf', kind: 'STATE', name: 'Електронний кабінет пацієнта (державний)' },
  zdorovia: { id: '6b1c2a9e-7f8d-4ce0-9ade-9d8f7e6c5be0', kind: 'PRIVATE', name: 'Здоровʼя+ (партнерський кабінет)' },
  medcard: { id: '7c2d3b0f-8a9e-4df1-8bef-ae9a8f7d6cf1', kind: 'PRIVATE', name: 'МедКарта (партнерський кабінет)' },
} as const;

/**
 * Every scope a patient token carries by default: the scopes patients consent to, as the
 * supergraph's `@requiresScopes` name them (schema/src/supergraphDirectives.ts).
 */
export const PATIENT_SCOPES: string[] = [...supergraphScopes().patient];
/** Every scope a doctor token carries by default: those the supergraph marks `@issuedTo(roles: ["DOCTOR"])`. */
export const DOCTOR_SCOPES: string[] = [...(supergraphScopes().byRole.DOCTOR ?? [])];

/** The scopes a demo token of `role` carries by default: a patient's consentable scopes, or those the supergraph issues to the role. */
export function demoScopes(role: string): string[] {
  return role === 'PATIENT' ? PATIENT_SCOPES : [...(supergraphScopes().byRole[role] ?? [])];
}
