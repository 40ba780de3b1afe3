/**
 * The declarations subgraph's raw SQL (docs/architecture.md, "Data access"): the locks that
 * serialise changes of a person and of a doctor's list, the set-based changes of a person's
 * requests and declarations, the count of a doctor's places and the outbox, each with its
 * typed rows. Reads and writes of one request or declaration go through the entities.
 *
 * Lock order, to keep transactions free of deadlock cycles: the person (advisory lock) first,
 * then every doctor involved in one statement in id order, then request and declaration rows.
 *
 * @packageDocumentation
 */
import type { DataSource, EntityManager } from 'typeorm';
import { hotQuery } from '@pc/db';
import type { CancellationReason } from './entities/DeclarationRequest';
import { COUNTS_TOPIC, type CountsMessage, type DoctorPlaces } from './services/doctorLists';

/** Namespace of this subgraph's per-person advisory locks (the two-int form keeps them apart from other users of hashtext locks). */
const PERSON_LOCK_NAMESPACE = 0x0dec1a;

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
 * Places taken in each doctor's list, counted live, in one statement. `excludePersonId` leaves
 * one patient out ("not counting this patient"), so re-signing with one's own doctor needs no
 * free place.
 *
 * For writes only: called with the doctors' list rows locked ({@link lockDoctorLists}), it is
 * exact under concurrency, which the limit check at submission and signing needs (and the
 * per-patient exclusion has no stored equivalent). It counts up to a doctor's whole list (~1,800
 * index entries for a family doctor), so the public reads use {@link readPlaces} instead.
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

/**
 * Counts the locked doctors' places afresh, stores each one's declarations in its list row
 * (`doctor_list.declarations`, what {@link readPlaces} serves) and writes the counts to the
 * outbox, in the transaction that changed them: the stored count and the directory's copy change
 * if and only if the change commits. Every write that changes a declaration's status or doctor,
 * or a request's, goes through here with the doctors locked, so the stored count is always the
 * count of the last committed change; a full recount (never an increment), so a row that was
 * ever wrong is right again after the doctor's next change.
 */
export async function publishCounts(m: EntityManager, versions: Map<string, number>): Promise<void> {
  if (!versions.size) return;
  const places = await countPlaces(m, [...versions.keys()]);
  const messages: CountsMessage[] = [...versions].map(([doctorId, version]) => {
    const p = places.get(doctorId) ?? { declarations: 0, approvedRequests: 0 };
    return { doctorId, activeDeclarationCount: p.declarations, approvedRequestCount: p.approvedRequests, version };
  });
  // One statement: the stored counts and the outbox messages, from the same messages.
  await m.query(
    `WITH msg AS (SELECT m FROM jsonb_array_elements($2::jsonb) AS m),
     stored AS (
       UPDATE declarations.doctor_list l SET declarations = (msg.m->>'activeDeclarationCount')::int
       FROM msg WHERE l.doctor_id = msg.m->>'doctorId'
     )
     INSERT INTO declarations.outbox (topic, message_key, payload)
     SELECT $1, m->>'doctorId', m FROM msg`,
    [COUNTS_TOPIC, JSON.stringify(messages)],
  );
}

/**
 * The places taken in each doctor's list for the public reads (`Doctor.acceptingNewPatients`,
 * `activeDeclarationCount`; a search page asks for 20 doctors), in one named statement
 * ({@link hotQuery}): the declarations are the count stored in the doctor's list row by the last
 * committed change ({@link publishCounts}; no row: 0), one primary-key read per doctor instead
 * of counting the whole list; the APPROVED requests are still counted here, live, since they
 * stop counting at `expires_at` with no write, and there are few (the partial index
 * `declaration_request_doctor_open_idx` holds open requests only).
 *
 * Not for writes: a limit check must count under the doctor's lock ({@link countPlaces}).
 */
export async function readPlaces(ds: DataSource, doctorIds: readonly string[]): Promise<Map<string, DoctorPlaces>> {
  if (!doctorIds.length) return new Map();
  const rows = await hotQuery<{ doctor_id: string; declarations: number; approved_requests: number }>(
    ds,
    `SELECT t.id AS doctor_id, coalesce(l.declarations, 0) AS declarations,
       (SELECT count(*) FROM declarations.declaration_request r
         WHERE r.doctor_id = t.id AND r.status = 'APPROVED' AND r.expires_at > now())::int AS approved_requests
     FROM unnest($1::text[]) AS t(id) LEFT JOIN declarations.doctor_list l ON l.doctor_id = t.id`,
    [[...doctorIds]],
  );
  return new Map(rows.map((r) => [r.doctor_id, { declarations: r.declarations, approvedRequests: r.approved_requests }]));
}

/** The doctors of the person's open (NEW or APPROVED) requests. */
export async function openRequestDoctors(m: EntityManager, personId: string): Promise<string[]> {
  const rows: { doctor_id: string }[] = await m.query(
    `SELECT DISTINCT doctor_id FROM declarations.declaration_request WHERE person_id = $1 AND status IN ('NEW', 'APPROVED')`,
    [personId],
  );
  return rows.map((r) => r.doctor_id);
}

/** Cancels every open request of the person as replaced by request `replacedBy`; returns their doctors. */
export async function cancelOpenRequests(m: EntityManager, personId: string, replacedBy: string): Promise<string[]> {
  const [rows]: [{ doctor_id: string }[]] = await m.query(
    `UPDATE declarations.declaration_request
     SET status = 'CANCELLED', cancellation_reason = 'auto_new_request', replaced_by = $2, updated_at = now()
     WHERE person_id = $1 AND status IN ('NEW', 'APPROVED') RETURNING doctor_id`,
    [personId, replacedBy],
  );
  return rows.map((r) => r.doctor_id);
}

/** How an open request ends: cancelled by the person, or rejected by the doctor with a reason. */
export type RequestClosing = { status: 'CANCELLED'; cancellationReason: CancellationReason } | { status: 'REJECTED'; rejectionReason: string };

/** Moves the request to its final status if it is still open; false when it no longer was. */
export async function closeOpenRequest(m: EntityManager, id: string, closing: RequestClosing): Promise<boolean> {
  const [rows]: [{ id: string }[]] = await m.query(
    `UPDATE declarations.declaration_request
     SET status = $2, cancellation_reason = $3, rejection_reason = $4, updated_at = now()
     WHERE id = $1 AND status IN ('NEW', 'APPROVED') RETURNING id`,
    [id, closing.status, closing.status === 'CANCELLED' ? closing.cancellationReason : null, closing.status === 'REJECTED' ? closing.rejectionReason : null],
  );
  return rows.length > 0;
}

/** The request's status and whether it is unexpired, its row locked until the transaction ends; null when absent. */
export async function lockRequest(m: EntityManager, id: string): Promise<{ status: string; live: boolean } | null> {
  const [row]: { status: string; live: boolean }[] = await m.query(
    `SELECT status, expires_at > now() AS live FROM declarations.declaration_request WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row ?? null;
}

/** The doctors of the person's current (ACTIVE or PENDING_VERIFICATION) declarations. */
export async function currentDeclarationDoctors(m: EntityManager, personId: string): Promise<string[]> {
  const rows: { doctor_id: string }[] = await m.query(
    `SELECT doctor_id FROM declarations.declaration WHERE person_id = $1 AND status IN ('ACTIVE', 'PENDING_VERIFICATION')`,
    [personId],
  );
  return rows.map((r) => r.doctor_id);
}

/** Terminates every current declaration of the person (a newer one replaces them). */
export async function terminateCurrentDeclarations(m: EntityManager, personId: string, reason: string): Promise<void> {
  await m.query(
    `UPDATE declarations.declaration
     SET status = 'TERMINATED', terminated_at = now(), termination_reason = $2, updated_at = now()
     WHERE person_id = $1 AND status IN ('ACTIVE', 'PENDING_VERIFICATION')`,
    [personId, reason],
  );
}

/** Terminates one declaration if it is still current; false when it no longer was. */
export async function terminateDeclaration(m: EntityManager, id: string, reason: string, description: string | null): Promise<boolean> {
  const [rows]: [{ id: string }[]] = await m.query(
    `UPDATE declarations.declaration
     SET status = 'TERMINATED', terminated_at = now(), termination_reason = $2, termination_description = $3, updated_at = now()
     WHERE id = $1 AND status IN ('ACTIVE', 'PENDING_VERIFICATION') RETURNING id`,
    [id, reason, description],
  );
  return rows.length > 0;
}

/** The next value of the declaration number sequence (a bigint, as text). */
export async function nextDeclarationSeq(m: EntityManager): Promise<string> {
  const [{ seq }]: { seq: string }[] = await m.query(`SELECT nextval('declarations.declaration_number_seq') AS seq`);
  return seq;
}
