import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `person_confidants_gin` answers the gateway's representation lookup (representations_of_v1)
 * on every patient request whose list is not cached. With GIN's default `fastupdate`, new
 * entries first go to a pending list that every lookup scans linearly until (auto)vacuum merges
 * it: after the national seed, 42,000 pending entries on 483 pages made a lookup that finds
 * nothing cost 2.7 ms instead of 0.05 (docs/performance.md, "Representation lookups"). Entries
 * now go straight into the index — person writes pay a little, reads never scan a backlog,
 * whatever autovacuum does — and the existing backlog is merged once.
 */
export class ConfidantIndexWithoutPendingList1764700000001 implements MigrationInterface {
  name = 'ConfidantIndexWithoutPendingList1764700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER INDEX identity.person_confidants_gin SET (fastupdate = off)');
    await q.query(`SELECT gin_clean_pending_list('identity.person_confidants_gin'::regclass)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER INDEX identity.person_confidants_gin RESET (fastupdate)');
  }
}
