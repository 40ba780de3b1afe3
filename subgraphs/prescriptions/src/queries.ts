/**
 * The prescriptions subgraph's raw SQL (docs/architecture.md, "Data access"): the dispense's row
 * lock, the wrong-code counter and the expiry job's set-based update, each with its typed row and mapper. Everything else
 * goes through the entities (`Prescription`, `Dispense`, the catalogue) and their repositories.
 *
 * @packageDocumentation
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { PrescriptionStatus } from './entities/Prescription';

/** A prescription as the dispense rules see it, locked for the rest of the transaction. */
export interface LockedPrescription {
  id: string;
  status: PrescriptionStatus;
  validFrom: string;
  validTo: string;
  quantity: number;
  dispensedQuantity: number;
  verificationCode: string;
  /** What the prescription's program pays per unit of its medication (UAH); null when no program pays. */
  reimbursementPerUnit: number | null;
  /** The code is refused for now (too many wrong ones). */
  codeLocked: boolean;
}

interface RawLocked {
  id: string;
  status: PrescriptionStatus;
  valid_from: string;
  valid_to: string;
  quantity: number;
  dispensed_quantity: number;
  verification_code: string;
  reimbursement_per_unit: string | null;
  code_locked: boolean;
}

const toLocked = (r: RawLocked): LockedPrescription => ({
  id: r.id,
  status: r.status,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  quantity: r.quantity,
  dispensedQuantity: r.dispensed_quantity,
  verificationCode: r.verification_code,
  reimbursementPerUnit: r.reimbursement_per_unit === null ? null : Number(r.reimbursement_per_unit),
  codeLocked: r.code_locked,
});

/**
 * The prescription with this number, locked `FOR UPDATE` until the transaction of `m` ends (two
 * dispenses of one prescription queue here), with its program's reimbursement per unit; null
 * when there is none.
 */
export async function lockPrescriptionByNumber(m: EntityManager, number: string): Promise<LockedPrescription | null> {
  const [row]: RawLocked[] = await m.query(
    `SELECT p.id, p.status, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, p.quantity, p.dispensed_quantity, p.verification_code,
            pm.reimbursement_per_unit, coalesce(p.code_locked_until > now(), false) AS code_locked
     FROM prescriptions.prescription p
     LEFT JOIN prescriptions.program_medication pm ON pm.program_id = p.program_id AND pm.medication_id = p.medication_id
     WHERE p.number = $1
     FOR UPDATE OF p`,
    [number],
  );
  return row ? toLocked(row) : null;
}

/**
 * Counts a wrong verification code on the prescription `m` holds locked; the `attempts`-th in a
 * row locks the code for `lockMinutes` (and starts the count again).
 *
 * @returns whether the code is locked now
 */
export async function recordCodeFailure(m: EntityManager, id: string, attempts: number, lockMinutes: number): Promise<boolean> {
  const [rows]: [{ locked: boolean }[], number] = await m.query(
    `UPDATE prescriptions.prescription
     SET code_failures = CASE WHEN code_failures + 1 >= $2 THEN 0 ELSE code_failures + 1 END,
         code_locked_until = CASE WHEN code_failures + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE code_locked_until END
     WHERE id = $1
     RETURNING coalesce(code_locked_until > now(), false) AS locked`,
    [id, attempts, lockMinutes],
  );
  return rows[0]?.locked ?? false;
}

/**
 * Moves up to `batch` ACTIVE prescriptions whose last day is before `today` to EXPIRED in one
 * statement (through the partial index on ACTIVE rows), skipping rows another transaction holds
 * locked (`SKIP LOCKED`: a dispense in progress).
 *
 * @returns how many it moved
 */
export async function expireDue(ds: DataSource, today: string, batch: number): Promise<number> {
  const [rows]: [{ id: string }[], number] = await ds.query(
    `WITH due AS (
       SELECT id FROM prescriptions.prescription
       WHERE status = 'ACTIVE' AND valid_to < $1::date
       ORDER BY valid_to LIMIT $2
       FOR UPDATE SKIP LOCKED)
     UPDATE prescriptions.prescription p SET status = 'EXPIRED', updated_at = now()
     FROM due WHERE p.id = due.id
     RETURNING p.id`,
    [today, batch],
  );
  return rows.length;
}
