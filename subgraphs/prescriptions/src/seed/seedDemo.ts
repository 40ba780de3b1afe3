import type { DataSource } from 'typeorm';
import { addDays, KYIV, todayIn } from '@pc/calendar';
import { DEMO_PERSONAS } from '@pc/demo';
import { deterministicUuid } from '@pc/fixtures';
import type { Logger } from '@pc/logging';
import { MEDICATIONS, PHARMACIES, PHARMACISTS, PROGRAMS, seedReferenceData } from './referenceData';

// The directory's hand-written demo records: fixed ids derived the same way as the directory
// derives them, so no subgraph imports another and no start-up order matters.
const directoryId = (n: number): string => deterministicUuid('demo-directory', n);
/** Ids of the directory's demo records the demo prescriptions name. */
export const DEMO_DIRECTORY_REFS = { legalEntityId: directoryId(1), divisionId: directoryId(2), doctorId: DEMO_PERSONAS.doctor.id } as const;

const rx = (n: number): string => deterministicUuid('demo-prescriptions', n);
/** Fixed ids of the demo prescriptions. */
export const DEMO_PRESCRIPTIONS = {
  /** The patient's reimbursed Metformin, ACTIVE, nothing dispensed yet (its code: 4821). */
  active: rx(1),
  /** The patient's Amoxicillin, ACTIVE, one of two packs dispensed. */
  partlyDispensed: rx(2),
  /** The patient's reimbursed Amlodipine, COMPLETED in two dispenses at two pharmacies. */
  completed: rx(3),
  /** The patient's Salbutamol, EXPIRED undispensed. */
  expired: rx(4),
  /** The patient's Ibuprofen, REJECTED by the prescriber. */
  rejected: rx(5),
  /** The `other` persona's ACTIVE prescription (what the patient must never see). */
  others: rx(6),
  /** The `child` persona's ACTIVE prescription: `parent`, their representative, sees it with its code. */
  childs: rx(7),
} as const;

interface DemoPrescription {
  id: string;
  number: string;
  personId: string;
  status: 'ACTIVE' | 'COMPLETED' | 'EXPIRED' | 'REJECTED';
  /** Days before the first seeding. */
  ageDays: number;
  medication: number;
  quantity: number;
  program: boolean;
  code: string;
  instruction: string;
  rejectionReason?: string;
  /** [days after creation, quantity, pharmacy index]. */
  dispenses: [number, number, number][];
}

const patient = DEMO_PERSONAS.patient.id;
const ROWS: DemoPrescription[] = [
  {
    id: DEMO_PRESCRIPTIONS.active,
    number: '0A7K-3M9P-2T4X',
    personId: patient,
    status: 'ACTIVE',
    ageDays: 3,
    medication: 0,
    quantity: 3,
    program: true,
    code: '4821',
    instruction: '1 таблетка 2 рази на день під час їжі',
    dispenses: [],
  },
  {
    id: DEMO_PRESCRIPTIONS.partlyDispensed,
    number: '1E5H-8K2M-0P6T',
    personId: patient,
    status: 'ACTIVE',
    ageDays: 6,
    medication: 7,
    quantity: 2,
    program: false,
    code: '0735',
    instruction: '1 капсула 3 рази на день 7 днів',
    dispenses: [[1, 1, 1]],
  },
  {
    id: DEMO_PRESCRIPTIONS.completed,
    number: '2H9M-4T7X-1A3E',
    personId: patient,
    status: 'COMPLETED',
    ageDays: 45,
    medication: 1,
    quantity: 2,
    program: true,
    code: '5190',
    instruction: '1 таблетка вранці',
    dispenses: [
      [1, 1, 0],
      [20, 1, 2],
    ],
  },
  {
    id: DEMO_PRESCRIPTIONS.expired,
    number: '3K2P-6X0A-5E8H',
    personId: patient,
    status: 'EXPIRED',
    ageDays: 80,
    medication: 3,
    quantity: 1,
    program: true,
    code: '2604',
    instruction: '1-2 вдихи при нападі',
    dispenses: [],
  },
  {
    id: DEMO_PRESCRIPTIONS.rejected,
    number: '4M6T-0E3H-9K1P',
    personId: patient,
    status: 'REJECTED',
    ageDays: 20,
    medication: 8,
    quantity: 1,
    program: false,
    code: '8842',
    instruction: '1 таблетка при болю',
    rejectionReason: 'Призначено інший препарат',
    dispenses: [],
  },
  {
    id: DEMO_PRESCRIPTIONS.others,
    number: '5P0X-7A4K-2M5T',
    personId: DEMO_PERSONAS.other.id,
    status: 'ACTIVE',
    ageDays: 2,
    medication: 4,
    quantity: 2,
    program: false,
    code: '3377',
    instruction: '1 таблетка на день',
    dispenses: [],
  },
  {
    id: DEMO_PRESCRIPTIONS.childs,
    number: '6T3A-9E1K-4H7M',
    personId: DEMO_PERSONAS.child.id,
    status: 'ACTIVE',
    ageDays: 1,
    medication: 7,
    quantity: 1,
    program: false,
    code: '1907',
    instruction: '1 капсула 2 рази на день 5 днів',
    dispenses: [],
  },
];

/**
 * Writes the reference data and the demo prescriptions: the `patient` persona holds ACTIVE (one
 * untouched with its code, one partly dispensed), COMPLETED (two dispenses), EXPIRED and REJECTED
 * prescriptions from the `doctor` persona; `other` holds one, and `child` one that `parent` sees. Dates are relative to the day of
 * the first seeding. Idempotent: existing rows are left alone.
 */
export async function seedDemo(ds: DataSource, log: Logger): Promise<void> {
  const today = todayIn(KYIV);
  let written = 0;
  await ds.transaction(async (m) => {
    await seedReferenceData(m);
    for (const r of ROWS) {
      const created = addDays(today, -r.ageDays);
      const createdAt = `${created}T09:30:00+02:00`;
      const med = MEDICATIONS[r.medication];
      const dispensed = r.dispenses.reduce((n, d) => n + d[1], 0);
      const rows: unknown[] = await m.query(
        `INSERT INTO prescriptions.prescription
           (id, number, person_id, prescriber_id, division_id, legal_entity_id, status, created_at, updated_at, valid_from, valid_to, medication_id,
            quantity, dispensed_quantity, dosage_instruction, program_id, verification_code, rejection_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          r.id,
          r.number,
          r.personId,
          DEMO_DIRECTORY_REFS.doctorId,
          DEMO_DIRECTORY_REFS.divisionId,
          DEMO_DIRECTORY_REFS.legalEntityId,
          r.status,
          createdAt,
          created,
          addDays(created, 29),
          med.id,
          r.quantity,
          dispensed,
          r.instruction,
          r.program ? PROGRAMS.affordable.id : null,
          r.code,
          r.rejectionReason ?? null,
        ],
      );
      if (!rows.length) continue;
      written++;
      for (const [i, [after, quantity, pharmacy]] of r.dispenses.entries()) {
        const pharmacist = PHARMACISTS.find((p) => p.pharmacyId === PHARMACIES[pharmacy].id)!;
        await m.query(
          `INSERT INTO prescriptions.dispense (id, prescription_id, pharmacy_id, pharmacist_id, dispensed_at, quantity, reimbursed_amount)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [
            deterministicUuid(`demo-dispenses-${r.id}`, i),
            r.id,
            PHARMACIES[pharmacy].id,
            pharmacist.id,
            `${addDays(created, after)}T15:10:00+02:00`,
            quantity,
            r.program && med.reimbursement !== null ? (med.reimbursement * quantity).toFixed(2) : null,
          ],
        );
      }
    }
  });
  log.info({ prescriptions: written }, 'prescriptions demo data ready');
}
