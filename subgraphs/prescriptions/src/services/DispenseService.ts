import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Caller } from '@pc/auth';
import { UserErrorsException, forbidden } from '@pc/errors';
import { PrescriptionCode, prescriptionError } from '../domain/codes';
import { normalisePrescriptionNumber } from '../domain/prescriptionNumber';
import { Dispense } from '../entities/Dispense';
import { Pharmacist } from '../entities/Pharmacist';
import { Pharmacy } from '../entities/Pharmacy';
import { Prescription } from '../entities/Prescription';
import { lockPrescriptionByNumber, recordCodeFailure, type LockedPrescription } from '../queries';
import { requireRole } from './authorize';
import { withRelations, type PrescriptionPayload } from './PrescriptionService';
import { today, type PrescriptionsEnv } from './PrescriptionsEnv';

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

    const { settings } = this.env;
    let outcome: { dispensed: string } | { wrongCode: PrescriptionCode };
    try {
      outcome = await ds.transaction(async (m) => {
        const row = await lockPrescriptionByNumber(m, number);
        if (!row) throw new Refused(PrescriptionCode.PRESCRIPTION_NOT_FOUND, NUMBER_FIELD);
        if (row.codeLocked) throw new Refused(PrescriptionCode.VERIFICATION_LOCKED, CODE_FIELD);
        // The code first: without it nothing about the prescription is told, its status included.
        // A wrong one is counted (committed; nothing else changes), and too many lock the code.
        if (!sameCode(row.verificationCode, input.verificationCode ?? '')) {
          const locked = await recordCodeFailure(m, row.id, settings.PRESCRIPTION_CODE_ATTEMPTS, settings.PRESCRIPTION_CODE_LOCK_MINUTES);
          return { wrongCode: locked ? PrescriptionCode.VERIFICATION_LOCKED : PrescriptionCode.VERIFICATION_CODE_INVALID };
        }
        const problem = dispensable(row, day, input.quantity);
        if (problem) throw new Refused(problem.code, problem.field, row.id);
        const reimbursed = row.reimbursementPerUnit === null ? null : (row.reimbursementPerUnit * input.quantity).toFixed(2);
        await m.getRepository(Dispense).insert({
          id: randomUUID(),
          prescriptionId: row.id,
          pharmacyId: pharmacy.id,
          pharmacistId: pharmacist.id,
          dispensedAt: new Date(),
          quantity: input.quantity,
          reimbursedAmount: reimbursed,
        });
        // Under the row lock: nothing changed the counter since it was read.
        const dispensed = row.dispensedQuantity + input.quantity;
        await m
          .getRepository(Prescription)
          .update(
            { id: row.id },
            { dispensedQuantity: dispensed, status: dispensed === row.quantity ? 'COMPLETED' : 'ACTIVE', codeFailures: 0, updatedAt: new Date() },
          );
        return { dispensed: row.id };
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      // The prescription is shown with the error only when the pharmacist gave its code.
      return { prescription: err.prescriptionId ? await this.load(err.prescriptionId) : null, userErrors: err.userErrors };
    }
    if ('wrongCode' in outcome) return failed(outcome.wrongCode, CODE_FIELD);
    return { prescription: await this.load(outcome.dispensed), userErrors: [] };
  }

  private load(id: string): Promise<Prescription | null> {
    return withRelations(this.env.dataSource, id);
  }
}

/** Why the locked row cannot be dispensed `quantity` units on `day`; null when it can. */
export function dispensable(
  row: Pick<LockedPrescription, 'status' | 'validFrom' | 'validTo' | 'quantity' | 'dispensedQuantity'>,
  day: string,
  quantity: number,
): { code: PrescriptionCode; field: string[] } | null {
  if (row.status === 'COMPLETED') return { code: PrescriptionCode.PRESCRIPTION_COMPLETED, field: NUMBER_FIELD };
  if (row.status === 'EXPIRED' || (row.status === 'ACTIVE' && row.validTo < day)) return { code: PrescriptionCode.PRESCRIPTION_EXPIRED, field: NUMBER_FIELD };
  if (row.status !== 'ACTIVE') return { code: PrescriptionCode.PRESCRIPTION_NOT_ACTIVE, field: NUMBER_FIELD };
  if (row.validFrom > day) return { code: PrescriptionCode.PRESCRIPTION_NOT_YET_VALID, field: NUMBER_FIELD };
  if (quantity > row.quantity - row.dispensedQuantity) return { code: PrescriptionCode.QUANTITY_EXCEEDS_REMAINING, field: QUANTITY_FIELD };
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
