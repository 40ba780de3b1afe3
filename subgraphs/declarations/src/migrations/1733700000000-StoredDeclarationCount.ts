import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The number of a doctor's current (ACTIVE or PENDING_VERIFICATION) declarations, stored in the
 * doctor's list row (docs/declarations.md, "Doctor counts"). Every write that changes a list
 * stores a fresh count there (`publishCounts`, in the transaction that holds the doctor's lock),
 * so the public reads (`Doctor.acceptingNewPatients`, `activeDeclarationCount`) read one row per
 * doctor instead of counting up to ~1,800 index entries per doctor on every search page.
 *
 * The backfill is one set-based statement: a grouped scan of the current declarations (the
 * partial index `declaration_doctor_current_idx`) merged into `doctor_list`, creating the rows
 * of doctors that have declarations but no list row yet (rows written in bulk, never through
 * the services). Doctors without current declarations keep the default 0.
 *
 * Raw SQL on purpose: a migration must keep doing what it did when the services change.
 */
export class StoredDeclarationCount1733700000000 implements MigrationInterface {
  name = 'StoredDeclarationCount1733700000000';

  async up(q: QueryRunner): Promise<void> {
    // A constant default: PostgreSQL adds the column without rewriting the table.
    await q.query('ALTER TABLE declarations.doctor_list ADD COLUMN declarations int NOT NULL DEFAULT 0');
    await q.query(`
      INSERT INTO declarations.doctor_list (doctor_id, declarations)
      SELECT doctor_id, count(*)::int FROM declarations.declaration
      WHERE status IN ('ACTIVE', 'PENDING_VERIFICATION')
      GROUP BY doctor_id
      ON CONFLICT (doctor_id) DO UPDATE SET declarations = EXCLUDED.declarations`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE declarations.doctor_list DROP COLUMN declarations');
  }
}
