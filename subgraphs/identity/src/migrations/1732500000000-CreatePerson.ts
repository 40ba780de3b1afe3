import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The person table with the core fields of the master patient index. */
export class CreatePerson1732500000000 implements MigrationInterface {
  name = 'CreatePerson1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity.person (
        id uuid PRIMARY KEY,
        first_name text NOT NULL,
        last_name text NOT NULL,
        second_name text,
        birth_date date NOT NULL,
        gender text NOT NULL CHECK (gender IN ('MALE', 'FEMALE')),
        tax_id text,
        no_tax_id boolean NOT NULL DEFAULT false,
        unzr text,
        email text,
        verification_status text NOT NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (NOT (no_tax_id AND tax_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX person_tax_id_uq ON identity.person (tax_id) WHERE tax_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE identity.person');
  }
}
