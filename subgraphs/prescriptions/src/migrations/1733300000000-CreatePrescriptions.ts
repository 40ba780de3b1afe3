import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The prescriptions registry: reference data (medication catalogue, reimbursement programs,
 * pharmacies and their pharmacists) and the prescriptions with their dispenses.
 */
export class CreatePrescriptions1733300000000 implements MigrationInterface {
  name = 'CreatePrescriptions1733300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE prescriptions.medical_program (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        active boolean NOT NULL DEFAULT true
      )`);
    // The catalogue a prescription is checked against; a medication covered by a program has its
    // reimbursement per unit there (program_medication).
    await q.query(`
      CREATE TABLE prescriptions.medication (
        id uuid PRIMARY KEY,
        inn text NOT NULL,
        dosage_form text NOT NULL,
        strength text NOT NULL,
        max_quantity integer NOT NULL CHECK (max_quantity > 0),
        UNIQUE (inn, dosage_form, strength)
      )`);
    await q.query(`
      CREATE TABLE prescriptions.program_medication (
        program_id uuid NOT NULL REFERENCES prescriptions.medical_program (id),
        medication_id uuid NOT NULL REFERENCES prescriptions.medication (id),
        reimbursement_per_unit numeric(12, 2) NOT NULL CHECK (reimbursement_per_unit >= 0),
        PRIMARY KEY (program_id, medication_id)
      )`);
    await q.query(`
      CREATE TABLE prescriptions.pharmacy (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        settlement text NOT NULL,
        active boolean NOT NULL DEFAULT true
      )`);
    // A pharmacist token's subject is a row here: the pharmacy they dispense for.
    await q.query(`
      CREATE TABLE prescriptions.pharmacist (
        id uuid PRIMARY KEY,
        pharmacy_id uuid NOT NULL REFERENCES prescriptions.pharmacy (id),
        full_name text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE prescriptions.prescription (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        person_id uuid NOT NULL,
        prescriber_id uuid NOT NULL,
        division_id uuid NOT NULL,
        legal_entity_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'COMPLETED', 'REJECTED', 'EXPIRED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        valid_from date NOT NULL,
        valid_to date NOT NULL CHECK (valid_to >= valid_from),
        medication_id uuid NOT NULL REFERENCES prescriptions.medication (id),
        quantity integer NOT NULL CHECK (quantity > 0),
        dispensed_quantity integer NOT NULL DEFAULT 0,
        dosage_instruction text NOT NULL,
        program_id uuid REFERENCES prescriptions.medical_program (id),
        verification_code text NOT NULL CHECK (verification_code ~ '^[0-9]{4}$'),
        rejection_reason text,
        CONSTRAINT prescription_dispensed_within_quantity CHECK (dispensed_quantity BETWEEN 0 AND quantity),
        CONSTRAINT prescription_completed_when_full CHECK ((status = 'COMPLETED') = (dispensed_quantity = quantity))
      )`);
    // The patient's list, newest first (keyset pages on (created_at, id)).
    await q.query(`CREATE INDEX prescription_person_created_idx ON prescriptions.prescription (person_id, created_at DESC, id DESC)`);
    // The expiry job's scan: only ACTIVE rows, by their last day.
    await q.query(`CREATE INDEX prescription_active_valid_to_idx ON prescriptions.prescription (valid_to) WHERE status = 'ACTIVE'`);
    await q.query(`
      CREATE TABLE prescriptions.dispense (
        id uuid PRIMARY KEY,
        prescription_id uuid NOT NULL REFERENCES prescriptions.prescription (id),
        pharmacy_id uuid NOT NULL REFERENCES prescriptions.pharmacy (id),
        pharmacist_id uuid NOT NULL,
        dispensed_at timestamptz NOT NULL DEFAULT now(),
        quantity integer NOT NULL CHECK (quantity > 0),
        reimbursed_amount numeric(12, 2)
      )`);
    await q.query(`CREATE INDEX dispense_prescription_idx ON prescriptions.dispense (prescription_id, dispensed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['dispense', 'prescription', 'pharmacist', 'pharmacy', 'program_medication', 'medication', 'medical_program']) {
      await q.query(`DROP TABLE prescriptions.${t}`);
    }
  }
}
