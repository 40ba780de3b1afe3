/**
 * A doctor's list: the places it has taken, and the outbox messages that carry those counts to
 * the directory. Every transaction that changes a doctor's count locks the doctor's list first
 * and publishes the counts last (`lockDoctorLists` and `publishCounts` in src/queries.ts, which
 * also states the lock order).
 */

/** Topic of the count messages in the outbox. */
export const COUNTS_TOPIC = 'doctor.declaration_counts';

/** The places a doctor's list has taken. */
export interface DoctorPlaces {
  /** ACTIVE + PENDING_VERIFICATION declarations. */
  declarations: number;
  /** APPROVED, unexpired requests waiting for the doctor's signature. */
  approvedRequests: number;
}

/** What the directory receives: the new counts and their version (newer versions win). */
export interface CountsMessage {
  doctorId: string;
  activeDeclarationCount: number;
  approvedRequestCount: number;
  version: number;
}

/** Total places taken. */
export const placesTaken = (p: DoctorPlaces): number => p.declarations + p.approvedRequests;
