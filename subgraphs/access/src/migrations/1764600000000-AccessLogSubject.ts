import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * For whom a representative acted (docs/representatives.md): set on both entries of a
 * representative's operation — the represented person's and the representative's own — so each
 * log says who acted for whom. Null when a person acted on their own data. Added to the
 * partitioned table, so every monthly partition has it.
 */
export class AccessLogSubject1764600000000 implements MigrationInterface {
  name = 'AccessLogSubject1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE access.access_log ADD COLUMN subject_id uuid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE access.access_log DROP COLUMN subject_id');
  }
}
