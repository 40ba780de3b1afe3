import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Caller } from '@pc/auth';
import { UserErrorsException, forbidden } from '@pc/errors';
import { PrescriptionCode, prescriptionError } from '../domain/codes';
import { normalisePrescriptionNumber } from '../domain/prescriptionNumber';
import { Pharmacist } from '../entities/Pharmacist';
import { Pharmacy } from '../entities/Pharmacy';
import { Prescription } from '../entities/Prescription';
import { requireRole } from './authorize';
import type { PrescriptionPayload } from './PrescriptionService';
import { today, type PrescriptionsEnv } from './PrescriptionsEnv';

/** The locked row the dispense rules look at. */
interface LockedRow {
  id: string;
  status: string;
  valid_from: string;
  valid_to: string;
  quantity: number;
  dispensed_quantity: number;
  verification_code: string;
  reimbursement_per_unit: string | null;
}

/** A refusal inside the transaction (rolls it back); names the prescription once its code was given. */
class Refused extends UserErrorsException {
  constructor(
    code: PrescriptionCode,
    field: string[],
    readonly prescriptionId: string | null = null,
  ) {
    super([prescriptionError(code, field)]);
  }
}

const NUMBER_FIELD = ['input', 'number'];
const CODE_FIELD = ['input', 'verificationCode'];
const QUANTITY_FIELD = ['input', 'quantity'];

/**
 * A pharmacist dispenses a prescription found by number and verification code. The rules are
 * checked on the prescription row locked FOR UPDATE, in the transaction that writes the
 * dispense: two pharmacies dispensing the same prescription at once are serialised by the lock,
 * and the second sees what the first committed (completed, or less left). The table's CHECK
 * (dispensed_quantity between 0 and quantity) backs this up.
 */
export class DispenseService {
  constructor(
    private readonly env: PrescriptionsEnv,
    private readonly caller: Caller,
  ) {}

  async dispense(input: { number: string; verificationCode: string; quantity: number }): Promise<PrescriptionPayload> {
    const pharmacistId = requireRole(this.caller, 'PHARMACIST', 'prescription:dispense');
    const ds = this.env.dataSource;
    const pharmacist = await ds.getRepository(Pharmacist).findOneBy({ id: pharmacistId });
    const pharmacy = pharmacist ? await ds.getRepository(Pharmacy).findOneBy({ id: pharmacist.pharmacyId, active: true }) : null;
    if (!pharmacist || !pharmacy) throw forbidden('Not a pharmacist of an active pharmacy in the registry');
    const number = normalisePrescriptionNumber(input.number ?? '');
    if (!number) return failed(PrescriptionCode.PRESCRIPTION_NOT_FOUND, NUMBER_FIELD);
    if (!Number.isInteger(input.quantity) || input.quantity < 1) return failed(PrescriptionCode.QUANTITY_INVALID, QUANTITY_FIELD);
    const day = today(this.env);

    let id: string;
    try {
      id = await ds.transaction(async (m) => {
        const [row]: LockedRow[] = await m.query(
          `SELECT p.id, p.status, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, p.quantity, p.dispensed_quantity, p.verification_code,
                  pm.reimbursement_per_unit
           FROM prescriptions.prescription p
           LEFT JOIN prescriptions.program_medication pm ON pm.program_id = p.program_id AND pm.medication_id = p.medication_id
           WHERE p.number = $1
           FOR UPDATE OF p`,
          [number],
        );
        if (!row) throw new Refused(PrescriptionCode.PRESCRIPTION_NOT_FOUND, NUMBER_FIELD);
        // The code first: without it nothing about the prescription is told, its status included.
        if (!sameCode(row.verification_code, input.verificationCode ?? '')) throw new Refused(PrescriptionCode.VERIFICATION_CODE_INVALID, CODE_FIELD);
        const problem = dispensable(row, day, input.quantity);
        if (problem) throw new Refused(problem.code, problem.field, row.id);
        const reimbursed = row.reimbursement_per_unit === null ? null : (Number(row.reimbursement_per_unit) * input.quantity).toFixed(2);
        await m.query(
          `INSERT INTO prescriptions.dispense (id, prescription_id, pharmacy_id, pharmacist_id, dispensed_at, quantity, reimbursed_amount)
           VALUES ($1, $2, $3, $4, now(), $5, $6)`,
          [randomUUID(), row.id, pharmacy.id, pharmacist.id, input.quantity, reimbursed],
        );
        await m.query(
          `UPDATE prescriptions.prescription
           SET dispensed_quantity = dispensed_quantity + $2,
               status = CASE WHEN dispensed_quantity + $2 = quantity THEN 'COMPLETED' ELSE status END,
               updated_at = now()
           WHERE id = $1`,
          [row.id, input.quantity],
        );
        return row.id;
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      // The prescription is shown with the error only when the pharmacist gave its code.
      return { prescription: err.prescriptionId ? await this.load(err.prescriptionId) : null, userErrors: err.userErrors };
    }
    return { prescription: await this.load(id), userErrors: [] };
  }

  private load(id: string): Promise<Prescription | null> {
    return this.env.dataSource.getRepository(Prescription).findOne({ where: { id }, relations: { medication: true, program: true } });
  }
}

/** Why the locked row cannot be dispensed `quantity` units on `day`; null when it can. */
export function dispensable(
  row: Pick<LockedRow, 'status' | 'valid_from' | 'valid_to' | 'quantity' | 'dispensed_quantity'>,
  day: string,
  quantity: number,
): { code: PrescriptionCode; field: string[] } | null {
  if (row.status === 'COMPLETED') return { code: PrescriptionCode.PRESCRIPTION_COMPLETED, field: NUMBER_FIELD };
  if (row.status === 'EXPIRED' || (row.status === 'ACTIVE' && row.valid_to < day)) return { code: PrescriptionCode.PRESCRIPTION_EXPIRED, field: NUMBER_FIELD };
  if (row.status !== 'ACTIVE') return { code: PrescriptionCode.PRESCRIPTION_NOT_ACTIVE, field: NUMBER_FIELD };
  if (row.valid_from > day) return { code: PrescriptionCode.PRESCRIPTION_NOT_YET_VALID, field: NUMBER_FIELD };
  if (quantity > row.quantity - row.dispensed_quantity) return { code: PrescriptionCode.QUANTITY_EXCEEDS_REMAINING, field: QUANTITY_FIELD };
  return null;
}

/** Compares codes in constant time. */
function sameCode(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given.trim());
  return a.length === b.length && timingSafeEqual(a, b);
}

function failed(code: PrescriptionCode, field: string[]): PrescriptionPayload {
  return { prescription: null, userErrors: [prescriptionError(code, field)] };
}
