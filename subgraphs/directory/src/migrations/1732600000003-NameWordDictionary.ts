import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Typo matching over the distinct words of listed names (`name_word`, a few hundred in the
 * generated country, tens of thousands in a real one) instead of over every (word, doctor)
 * row: names repeat, so the trigram index and the similarity test see each spelling once, and
 * the doctors of the matching spellings come from `doctor_listing_word` by equality.
 */
export class NameWordDictionary1732600000003 implements MigrationInterface {
  name = 'NameWordDictionary1732600000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE directory.name_word (word text COLLATE "C" PRIMARY KEY)');
    await q.query('CREATE INDEX name_word_trgm_idx ON directory.name_word USING gin (word public.gin_trgm_ops)');
    await q.query('INSERT INTO directory.name_word (word) SELECT DISTINCT word FROM directory.doctor_listing_word');
    await q.query('DROP INDEX directory.doctor_listing_word_trgm_idx');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX doctor_listing_word_trgm_idx ON directory.doctor_listing_word USING gin (word public.gin_trgm_ops)');
    await q.query('DROP TABLE directory.name_word');
  }
}
