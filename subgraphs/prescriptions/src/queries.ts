/**
 * The prescriptions subgraph's raw SQL (docs/architecture.md, "Data access"): the dispense's row
 * lock and the expiry job's set-based update, each with its typed row and mapper. Everything else
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
});

/**
 * The prescription with this number, locked `FOR UPDATE` until the transaction of `m` ends (two
 * dispenses of one prescription queue here), with its program's reimbursement per unit; null
 * when there is none.
 */
export async function lockPrescriptionByNumber(m: EntityManager, number: string): Promise<LockedPrescription | null> {
  const [row]: RawLocked[] = await m.query(
    `SELECT p.id, p.status, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, p.quantity, p.dispensed_quantity, p.verification_code,
            pm.reimbursement_per_unit
     FROM prescriptions.prescription p
     LEFT JOIN prescriptions.program_medication pm ON pm.program_id = p.program_id AND pm.medication_id = p.medication_id
     WHERE p.number = $1
     FOR UPDATE OF p`,
    [number],
  );
  return row ? toLocked(row) : null;
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
