import type { MigrationInterface, QueryRunner } from 'typeorm';
import { diagnosisCodes, serviceCatalogue } from '../domain/codeLists';

/**
 * The medical record: the shipped code lists (loaded here from data/*.json; a change of a list
 * ships with a new migration), encounters, conditions, diagnostic reports and their observations.
 * Nothing is ever deleted (entered-in-error is a status), so there is no ON DELETE anywhere.
 */
export class CreateRecords1733500000000 implements MigrationInterface {
  name = 'CreateRecords1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE records.code_list (
        system text NOT NULL CHECK (system IN ('ICD10', 'ICPC2')),
        code text NOT NULL,
        display text NOT NULL,
        PRIMARY KEY (system, code)
      )`);
    await q.query(`
      CREATE TABLE records.service_test (
        service_code text NOT NULL,
        position smallint NOT NULL,
        service_display text NOT NULL,
        category text NOT NULL CHECK (category IN ('LABORATORY', 'IMAGING', 'OTHER')),
        test_code text,
        test_display text,
        unit text,
        low double precision,
        high double precision,
        ref_text text,
        allowed_values text[],
        PRIMARY KEY (service_code, position)
      )`);
    await q.query(`
      CREATE TABLE records.encounter (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        date date NOT NULL,
        class text NOT NULL,
        doctor_id uuid NOT NULL,
        division_id uuid,
        reasons jsonb NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX encounter_person_date_idx ON records.encounter (person_id, date DESC, id DESC)`);
    await q.query(`
      CREATE TABLE records.condition (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        encounter_id uuid REFERENCES records.encounter (id),
        rank smallint NOT NULL DEFAULT 0,
        system text NOT NULL CHECK (system IN ('ICD10', 'ICPC2')),
        code text NOT NULL,
        display text NOT NULL,
        clinical_status text NOT NULL CHECK (clinical_status IN ('ACTIVE', 'RECURRENCE', 'REMISSION', 'RESOLVED')),
        verification_status text NOT NULL CHECK (verification_status IN ('PROVISIONAL', 'CONFIRMED', 'REFUTED', 'ENTERED_IN_ERROR')),
        onset_date date,
        recorded_at timestamptz NOT NULL,
        recorded_by uuid NOT NULL
      )`);
    await q.query(`CREATE INDEX condition_person_recorded_idx ON records.condition (person_id, recorded_at DESC, id DESC)`);
    await q.query(`CREATE INDEX condition_encounter_idx ON records.condition (encounter_id)`);
    await q.query(`
      CREATE TABLE records.diagnostic_report (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        category text NOT NULL CHECK (category IN ('LABORATORY', 'IMAGING', 'OTHER')),
        service_code text NOT NULL,
        service_display text NOT NULL,
        status text NOT NULL CHECK (status IN ('FINAL', 'AMENDED', 'ENTERED_IN_ERROR')),
        issued_at timestamptz NOT NULL,
        performer_id uuid,
        doctor_id uuid NOT NULL,
        conclusion text,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX diagnostic_report_person_issued_idx ON records.diagnostic_report (person_id, issued_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE records.observation (
        report_id uuid NOT NULL REFERENCES records.diagnostic_report (id),
        position smallint NOT NULL,
        code text NOT NULL,
        display text NOT NULL,
        value text NOT NULL,
        unit text,
        low double precision,
        high double precision,
        ref_text text,
        interpretation text CHECK (interpretation IN ('LOW', 'NORMAL', 'HIGH', 'ABNORMAL')),
        PRIMARY KEY (report_id, position)
      )`);

    for (const system of ['ICD10', 'ICPC2'] as const) {
      const codes = diagnosisCodes(system);
      await q.query(`INSERT INTO records.code_list (system, code, display) SELECT $1, c, d FROM unnest($2::text[], $3::text[]) AS t (c, d)`, [
        system,
        codes.map(([c]) => c),
        codes.map(([, d]) => d),
      ]);
    }
    for (const s of serviceCatalogue()) {
      const tests = s.observations.length ? s.observations : [null];
      for (const [i, t] of tests.entries()) {
        await q.query(
          `INSERT INTO records.service_test (service_code, position, service_display, category, test_code, test_display, unit, low, high, ref_text, allowed_values)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            s.code,
            i,
            s.display,
            s.category,
            t?.code ?? null,
            t?.display ?? null,
            t?.unit ?? null,
            t?.low ?? null,
            t?.high ?? null,
            t?.text ?? null,
            t?.values ?? null,
          ],
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['observation', 'diagnostic_report', 'condition', 'encounter', 'service_test', 'code_list']) await q.query(`DROP TABLE records.${t}`);
  }
}
