import type { DataSource } from 'typeorm';
import { lockDoctorLists, publishCounts } from '../queries';
import { inTransaction } from '../services/inTransaction';

/** Doctors handled per transaction, so one run never holds thousands of list locks. */
const DOCTORS_PER_BATCH = 200;
/** Due rows looked at per batch to find those doctors (oldest due first). */
const DUE_ROWS_PER_BATCH = 5000;

/**
 * One time-driven transition: rows of `table` matching `due` move to a final status, and the
 * counts of the doctors whose lists changed go to the outbox in the same transaction.
 *
 * Safe when several instances run it at once: the doctors' list rows are locked (in id order)
 * before the single UPDATE, and the UPDATE re-checks `due`, so a second instance waits for the
 * first and then finds nothing left to change: no row moves twice and no count is published
 * from a stale read.
 */
async function transition(
  ds: DataSource,
  table: string,
  due: string,
  /** The column whose partial index answers `due` (`end_date`, `expires_at`): due rows are read oldest first through it. */
  dueBy: string,
  set: string,
  params: unknown[],
): Promise<{ changed: number; doctors: string[] }> {
  let changed = 0;
  const doctors = new Set<string>();
  for (;;) {
    // A plain read: only picks the doctors to lock; the UPDATE below decides what changes. The due
    // rows come first through the index on `dueBy` (none due: one index probe). Asked for distinct
    // doctors in doctor order instead, PostgreSQL walked the doctors' index over every current
    // declaration and filtered each: 2-3 s every minute on 900,000 declarations, none of them due.
    const candidates: { doctor_id: string }[] = await ds.query(
      `WITH due AS MATERIALIZED (SELECT doctor_id FROM declarations.${table} WHERE ${due} ORDER BY ${dueBy} LIMIT ${DUE_ROWS_PER_BATCH}) ` +
        `SELECT DISTINCT doctor_id FROM due ORDER BY doctor_id LIMIT ${DOCTORS_PER_BATCH}`,
      params,
    );
    if (!candidates.length) return { changed, doctors: [...doctors] };
    const ids = candidates.map((c) => c.doctor_id);
    const moved = await inTransaction(ds, async (m) => {
      const versions = await lockDoctorLists(m, ids);
      const [rows]: [{ doctor_id: string }[]] = await m.query(
        `UPDATE declarations.${table} SET ${set}, updated_at = now()
         WHERE doctor_id = ANY($${params.length + 1}::text[]) AND ${due} RETURNING doctor_id`,
        [...params, ids],
      );
      const touched = new Set(rows.map((r) => r.doctor_id));
      await publishCounts(m, new Map([...versions].filter(([id]) => touched.has(id))));
      return rows;
    });
    changed += moved.length;
    for (const r of moved) doctors.add(r.doctor_id);
    // Nothing moved: another instance took these rows meanwhile and will finish the batch.
    if (!moved.length) return { changed, doctors: [...doctors] };
  }
}

/**
 * NEW or APPROVED requests past their expiry become EXPIRED, and the personal data copied into
 * them (name, birth date) is wiped.
 *
 * @returns how many requests this call expired
 */
export async function expireRequests(ds: DataSource): Promise<{ changed: number; doctors: string[] }> {
  return transition(
    ds,
    'declaration_request',
    `status IN ('NEW', 'APPROVED') AND expires_at <= now()`,
    'expires_at',
    `status = 'EXPIRED', person_first_name = NULL, person_last_name = NULL, person_birth_date = NULL`,
    [],
  );
}

/**
 * ACTIVE or PENDING_VERIFICATION declarations whose end date is before `today` become CLOSED.
 *
 * @param today - `YYYY-MM-DD` in the service's time zone
 * @returns how many declarations this call closed
 */
export async function closeDeclarations(ds: DataSource, today: string): Promise<{ changed: number; doctors: string[] }> {
  return transition(ds, 'declaration', `status IN ('ACTIVE', 'PENDING_VERIFICATION') AND end_date < $1::date`, 'end_date', `status = 'CLOSED'`, [today]);
}
