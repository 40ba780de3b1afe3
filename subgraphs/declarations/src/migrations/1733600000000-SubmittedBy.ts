import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who submitted a declaration request: the person, or their legal representative acting for
 * them (docs/representatives.md). Signing a request a representative submitted does not need
 * the person's own capacity (a child under 14 cannot act alone; that is why the parent did).
 * Null for requests from before the column: submitted by the person.
 */
export class SubmittedBy1733600000000 implements MigrationInterface {
  name = 'SubmittedBy1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE declarations.declaration_request ADD COLUMN submitted_by uuid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE declarations.declaration_request DROP COLUMN submitted_by');
  }
}
