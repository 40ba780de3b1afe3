/**
 * Per-doctor and per-person serialisation, the count of a doctor's taken places, and the
 * outbox messages that carry those counts to the directory. Every transaction that changes a
 * doctor's count goes through {@link lockDoctorLists} first and {@link publishCounts} last.
 *
 * Lock order, to keep transactions free of deadlock cycles: the person (advisory lock) first,
 * then every doctor involved in one statement in id order, then request and declaration rows.
 */
import type { EntityManager } from 'typeorm';

/** Topic of the count messages in the outbox. */
export const COUNTS_TOPIC = 'doctor.declaration_counts';

/** Namespace of this subgraph's per-person advisory locks (the two-int form keeps them apart from other users of hashtext locks). */
const PERSON_LOCK_NAMESPACE = 0x0dec1a;

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

/**
 * Serialises one person's declaration changes until the transaction ends, so that two doctors
 * signing for the same person one after the other each see the other's declaration.
 */
export async function lockPerson(m: EntityManager, personId: string): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PERSON_LOCK_NAMESPACE, personId]);
}

/**
 * Locks the list rows of `doctorIds` until the transaction ends (creating missing rows) and
 * bumps their versions. One statement in id order: two transactions needing the same doctors
 * queue instead of deadlocking. Under READ COMMITTED every later statement of the transaction
 * sees what the previous holder committed, so counts read after this are current.
 *
 * @returns the new version of each doctor's list
 */
export async function lockDoctorLists(m: EntityManager, doctorIds: readonly string[]): Promise<Map<string, number>> {
  const ids = [...new Set(doctorIds)].sort();
  if (!ids.length) return new Map();
  const rows: { doctor_id: string; version: string }[] = await m.query(
    `INSERT INTO declarations.doctor_list (doctor_id)
     SELECT id FROM unnest($1::text[]) AS t(id) ORDER BY id
     ON CONFLICT (doctor_id) DO UPDATE SET version = declarations.doctor_list.version + 1, updated_at = now()
     RETURNING doctor_id, version`,
    [ids],
  );
  return new Map(rows.map((r) => [r.doctor_id, Number(r.version)]));
}

/**
 * Places taken in each doctor's list, in one statement. `excludePersonId` leaves one patient
 * out ("not counting this patient"), so re-signing with one's own doctor needs no free place.
 */
export async function countPlaces(
  m: Pick<EntityManager, 'query'>,
  doctorIds: readonly string[],
  excludePersonId: string | null = null,
): Promise<Map<string, DoctorPlaces>> {
  if (!doctorIds.length) return new Map();
  const rows: { doctor_id: string; declarations: number; approved_requests: number }[] = await m.query(
    `SELECT t.id AS doctor_id,
       (SELECT count(*) FROM declarations.declaration d
         WHERE d.doctor_id = t.id AND d.status IN ('ACTIVE', 'PENDING_VERIFICATION') AND d.person_id IS DISTINCT FROM $2)::int AS declarations,
       (SELECT count(*) FROM declarations.declaration_request r
         WHERE r.doctor_id = t.id AND r.status = 'APPROVED' AND r.expires_at > now() AND r.person_id IS DISTINCT FROM $2)::int AS approved_requests
     FROM unnest($1::text[]) AS t(id)`,
    [[...doctorIds], excludePersonId],
  );
  return new Map(rows.map((r) => [r.doctor_id, { declarations: r.declarations, approvedRequests: r.approved_requests }]));
}

/** Total places taken. */
export const placesTaken = (p: DoctorPlaces): number => p.declarations + p.approvedRequests;

/**
 * Writes the current counts of the locked doctors to the outbox, in the transaction that
 * changed them: they reach the directory if and only if the change commits.
 */
export async function publishCounts(m: EntityManager, versions: Map<string, number>): Promise<void> {
  if (!versions.size) return;
  const places = await countPlaces(m, [...versions.keys()]);
  const messages: CountsMessage[] = [...versions].map(([doctorId, version]) => {
    const p = places.get(doctorId) ?? { declarations: 0, approvedRequests: 0 };
    return { doctorId, activeDeclarationCount: p.declarations, approvedRequestCount: p.approvedRequests, version };
  });
  await m.query(
    `INSERT INTO declarations.outbox (topic, message_key, payload)
     SELECT $1, m->>'doctorId', m FROM jsonb_array_elements($2::jsonb) AS m`,
    [COUNTS_TOPIC, JSON.stringify(messages)],
  );
}
