import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wrong verification codes are counted per prescription: after too many in a row the code is
 * refused for a while (a 4-digit code must not be guessable by trying them all).
 */
export class VerificationCodeAttempts1733400000000 implements MigrationInterface {
  name = 'VerificationCodeAttempts1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE prescriptions.prescription ADD COLUMN code_failures integer NOT NULL DEFAULT 0, ADD COLUMN code_locked_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE prescriptions.prescription DROP COLUMN code_failures, DROP COLUMN code_locked_until`);
  }
}
