import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Declaration requests, declarations, the number sequence, the per-doctor list row that
 * serialises changes to one doctor's count, and the outbox that carries those counts to the
 * directory.
 */
export class CreateDeclarations1733100000000 implements MigrationInterface {
  name = 'CreateDeclarations1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE declarations.declaration_number_seq START 1`);
    await q.query(`
      CREATE TABLE declarations.declaration_request (
        id uuid PRIMARY KEY,
        person_id text NOT NULL,
        doctor_id text NOT NULL,
        division_id text NOT NULL,
        legal_entity_id text,
        status text NOT NULL CHECK (status IN ('NEW', 'APPROVED', 'SIGNED', 'REJECTED', 'CANCELLED', 'EXPIRED')),
        channel text NOT NULL DEFAULT 'ONLINE',
        person_first_name text,
        person_last_name text,
        person_birth_date date,
        doctor_speciality text,
        rejection_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX declaration_request_person_idx ON declarations.declaration_request (person_id, created_at DESC)`);
    // Approved requests hold places in the doctor's list: counted on every limit check.
    await q.query(
      `CREATE INDEX declaration_request_doctor_open_idx ON declarations.declaration_request (doctor_id, person_id) WHERE status IN ('NEW', 'APPROVED')`,
    );
    await q.query(`CREATE INDEX declaration_request_expiry_idx ON declarations.declaration_request (expires_at) WHERE status IN ('NEW', 'APPROVED')`);

    await q.query(`
      CREATE TABLE declarations.declaration (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        declaration_request_id uuid UNIQUE REFERENCES declarations.declaration_request (id),
        person_id text NOT NULL,
        doctor_id text NOT NULL,
        division_id text NOT NULL,
        legal_entity_id text,
        speciality text NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'PENDING_VERIFICATION', 'TERMINATED', 'CLOSED', 'REJECTED')),
        start_date date NOT NULL,
        end_date date NOT NULL,
        signed_at timestamptz NOT NULL,
        terminated_at timestamptz,
        termination_reason text,
        termination_description text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_date >= start_date)
      )`);
    // One current declaration per person, whatever the application code does.
    await q.query(
      `CREATE UNIQUE INDEX declaration_one_current_per_person ON declarations.declaration (person_id) WHERE status IN ('ACTIVE', 'PENDING_VERIFICATION')`,
    );
    await q.query(`CREATE INDEX declaration_person_idx ON declarations.declaration (person_id, signed_at DESC)`);
    await q.query(
      `CREATE INDEX declaration_doctor_current_idx ON declarations.declaration (doctor_id, person_id) WHERE status IN ('ACTIVE', 'PENDING_VERIFICATION')`,
    );
    await q.query(`CREATE INDEX declaration_end_idx ON declarations.declaration (end_date) WHERE status IN ('ACTIVE', 'PENDING_VERIFICATION')`);

    // One row per doctor whose list ever changed. Every transaction that changes a doctor's
    // count first bumps this row, which (a) serialises those transactions per doctor, so the
    // limit check cannot race, and (b) versions the counts published to the directory.
    await q.query(`
      CREATE TABLE declarations.doctor_list (
        doctor_id text PRIMARY KEY,
        version bigint NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Transactional outbox: written in the transaction that changed a count, delivered by the
    // relay after commit, deleted once the directory accepted it.
    await q.query(`
      CREATE TABLE declarations.outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    // One relay instance delivers at a time (the lease holder), so a doctor's counts reach the
    // directory in the order they were committed.
    await q.query(`
      CREATE TABLE declarations.outbox_relay_lease (
        topic text PRIMARY KEY,
        holder text NOT NULL,
        leased_until timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE declarations.outbox_relay_lease');
    await q.query('DROP TABLE declarations.outbox');
    await q.query('DROP TABLE declarations.doctor_list');
    await q.query('DROP TABLE declarations.declaration');
    await q.query('DROP TABLE declarations.declaration_request');
    await q.query('DROP SEQUENCE declarations.declaration_number_seq');
  }
}
