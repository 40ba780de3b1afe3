import type { EntityManager } from 'typeorm';
import { DEMO_PERSONAS } from '@pc/demo';
import { deterministicUuid } from '@pc/fixtures';

const id = (n: number): string => deterministicUuid('prescriptions-reference', n);

/** Reimbursement programs. */
export const PROGRAMS = {
  /** Доступні ліки (Affordable Medicines). */
  affordable: { id: id(1), name: 'Доступні ліки' },
} as const;

/** One catalogue entry; `reimbursement` is what Доступні ліки pays per unit (null: not covered). */
export interface CatalogueEntry {
  id: string;
  inn: string;
  dosageForm: string;
  strength: string;
  maxQuantity: number;
  reimbursement: number | null;
}

/** The medication catalogue (a small part of the national one, enough for the demo and the tests). */
export const MEDICATIONS: CatalogueEntry[] = [
  { id: id(101), inn: 'Metformin', dosageForm: 'TABLET', strength: '500 mg', maxQuantity: 6, reimbursement: 62.4 },
  { id: id(102), inn: 'Amlodipine', dosageForm: 'TABLET', strength: '5 mg', maxQuantity: 6, reimbursement: 48.1 },
  { id: id(103), inn: 'Bisoprolol', dosageForm: 'TABLET', strength: '5 mg', maxQuantity: 6, reimbursement: 55.0 },
  { id: id(104), inn: 'Salbutamol', dosageForm: 'INHALATION_AEROSOL', strength: '100 mcg/dose', maxQuantity: 4, reimbursement: 98.7 },
  { id: id(105), inn: 'Enalapril', dosageForm: 'TABLET', strength: '10 mg', maxQuantity: 6, reimbursement: 31.2 },
  { id: id(106), inn: 'Atorvastatin', dosageForm: 'TABLET', strength: '20 mg', maxQuantity: 6, reimbursement: 74.9 },
  { id: id(107), inn: 'Levothyroxine', dosageForm: 'TABLET', strength: '50 mcg', maxQuantity: 6, reimbursement: 40.3 },
  { id: id(108), inn: 'Amoxicillin', dosageForm: 'CAPSULE', strength: '500 mg', maxQuantity: 3, reimbursement: null },
  { id: id(109), inn: 'Ibuprofen', dosageForm: 'TABLET', strength: '200 mg', maxQuantity: 3, reimbursement: null },
  { id: id(110), inn: 'Omeprazole', dosageForm: 'CAPSULE', strength: '20 mg', maxQuantity: 4, reimbursement: null },
];

/** Pharmacies: the first is the `pharmacist` persona's. */
export const PHARMACIES = [
  { id: id(201), name: 'Аптека «Подорожник» №12', settlement: 'м. Київ' },
  { id: id(202), name: 'Аптека Доброго Дня', settlement: 'м. Київ' },
  { id: id(203), name: 'Аптека АНЦ', settlement: 'м. Львів' },
  { id: id(204), name: 'Аптека «Бажаємо здоровʼя»', settlement: 'м. Харків' },
  { id: id(205), name: 'Аптека «Д.С.»', settlement: 'м. Одеса' },
] as const;

/** Pharmacists: the `pharmacist` persona first, then one more per pharmacy. */
export const PHARMACISTS = [
  { id: DEMO_PERSONAS.pharmacist.id, pharmacyId: PHARMACIES[0].id, fullName: 'Оксана Петрівна Гнатюк' },
  ...PHARMACIES.slice(1).map((p, i) => ({ id: id(301 + i), pharmacyId: p.id, fullName: `Фармацевт ${i + 2}` })),
];

/**
 * Writes the reference data every environment needs (programs, catalogue, pharmacies and their
 * pharmacists). Idempotent (`ON CONFLICT DO NOTHING`).
 */
export async function seedReferenceData(m: EntityManager): Promise<void> {
  for (const p of Object.values(PROGRAMS)) {
    await m.query(`INSERT INTO prescriptions.medical_program (id, name, active) VALUES ($1, $2, true) ON CONFLICT (id) DO NOTHING`, [p.id, p.name]);
  }
  await m.query(
    `INSERT INTO prescriptions.medication (id, inn, dosage_form, strength, max_quantity)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[]) ON CONFLICT DO NOTHING`,
    [
      MEDICATIONS.map((x) => x.id),
      MEDICATIONS.map((x) => x.inn),
      MEDICATIONS.map((x) => x.dosageForm),
      MEDICATIONS.map((x) => x.strength),
      MEDICATIONS.map((x) => x.maxQuantity),
    ],
  );
  const covered = MEDICATIONS.filter((x) => x.reimbursement !== null);
  await m.query(
    `INSERT INTO prescriptions.program_medication (program_id, medication_id, reimbursement_per_unit)
     SELECT $1, * FROM unnest($2::uuid[], $3::numeric[]) ON CONFLICT DO NOTHING`,
    [PROGRAMS.affordable.id, covered.map((x) => x.id), covered.map((x) => x.reimbursement)],
  );
  await m.query(
    `INSERT INTO prescriptions.pharmacy (id, name, settlement, active) SELECT *, true FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
    [PHARMACIES.map((p) => p.id), PHARMACIES.map((p) => p.name), PHARMACIES.map((p) => p.settlement)],
  );
  await m.query(
    `INSERT INTO prescriptions.pharmacist (id, pharmacy_id, full_name) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) ON CONFLICT DO NOTHING`,
    [PHARMACISTS.map((p) => p.id), PHARMACISTS.map((p) => p.pharmacyId), PHARMACISTS.map((p) => p.fullName)],
  );
}
