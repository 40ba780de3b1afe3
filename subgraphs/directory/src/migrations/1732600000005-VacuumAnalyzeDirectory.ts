import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `VACUUM (ANALYZE)` of every directory table, outside a transaction (`transaction = false`:
 * VACUUM cannot run in one). A database loaded before in-place maintenance — like the full
 * bench's, whose tables were never analysed and held a dead row for every live one, and whose
 * word rows the previous migration has just rewritten — gets statistics and a visibility map at
 * once, instead of the planner guessing and index-only scans visiting the heap until someone
 * vacuums. Idempotent: if it fails half-way it simply runs again on the next start.
 */
export class VacuumAnalyzeDirectory1732600000005 implements MigrationInterface {
  name = 'VacuumAnalyzeDirectory1732600000005';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    for (const table of [
      'legal_entity',
      'division',
      'doctor',
      'doctor_division',
      'doctor_listing',
      'doctor_listing_place',
      'doctor_listing_word',
      'name_word',
    ]) {
      await q.query(`VACUUM (ANALYZE) directory.${table}`);
    }
  }

  async down(): Promise<void> {
    // Nothing to undo.
  }
}
