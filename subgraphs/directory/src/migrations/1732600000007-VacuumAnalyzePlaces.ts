import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `VACUUM (ANALYZE)` of `doctor_listing_place` after the previous migration updated its
 * multi-place rows (outside a transaction, which VACUUM cannot run in): the distance searches'
 * index-only scans then need not visit the heap for the dead row versions. Idempotent.
 */
export class VacuumAnalyzePlaces1732600000007 implements MigrationInterface {
  name = 'VacuumAnalyzePlaces1732600000007';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query('VACUUM (ANALYZE) directory.doctor_listing_place');
  }

  async down(): Promise<void> {
    // Nothing to undo.
  }
}
