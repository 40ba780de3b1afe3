import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search tables, second shape (measured on the national data set, docs/directory.md):
 *
 * - Name search by words: `doctor_listing_word` keyed by (word, doctor_id) in the "C" collation,
 *   so a word prefix is a B-tree range that also yields the doctor, with a trigram index on the
 *   same words for typos. The trigram index on the whole `name_key` goes: the planner rarely
 *   used it for short prefixes, and a typo in one word barely moves the similarity of a
 *   three-word string.
 * - Distance search on one table: `doctor_listing_place` also carries the doctor-level search
 *   columns, so "within 5 km, therapists, accepting" is one GiST scan with filters, no join.
 */
export class SearchByWordsAndPlaces1732600000001 implements MigrationInterface {
  name = 'SearchByWordsAndPlaces1732600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS directory.doctor_listing_name_trgm_idx');
    await q.query('DROP TABLE directory.doctor_listing_word');
    await q.query(`
      CREATE TABLE directory.doctor_listing_word (
        word text COLLATE "C" NOT NULL,
        doctor_id uuid NOT NULL REFERENCES directory.doctor_listing (doctor_id) ON DELETE CASCADE,
        PRIMARY KEY (word, doctor_id)
      )`);
    await q.query('CREATE INDEX doctor_listing_word_doctor_idx ON directory.doctor_listing_word (doctor_id)');
    await q.query('CREATE INDEX doctor_listing_word_trgm_idx ON directory.doctor_listing_word USING gin (word public.gin_trgm_ops)');
    await q.query(`
      INSERT INTO directory.doctor_listing_word (word, doctor_id)
      SELECT DISTINCT w.word, l.doctor_id FROM directory.doctor_listing l
      CROSS JOIN LATERAL unnest(string_to_array(btrim(l.name_key), ' ')) AS w(word) WHERE w.word <> ''`);

    await q.query(`
      ALTER TABLE directory.doctor_listing_place
        ADD COLUMN legal_entity_id uuid,
        ADD COLUMN speciality text,
        ADD COLUMN accepting_new_patients boolean`);
    await q.query(`
      UPDATE directory.doctor_listing_place pl
      SET legal_entity_id = l.legal_entity_id, speciality = l.speciality, accepting_new_patients = l.accepting_new_patients
      FROM directory.doctor_listing l WHERE l.doctor_id = pl.doctor_id`);
    await q.query(`
      ALTER TABLE directory.doctor_listing_place
        ALTER COLUMN legal_entity_id SET NOT NULL,
        ALTER COLUMN speciality SET NOT NULL,
        ALTER COLUMN accepting_new_patients SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE directory.doctor_listing_place DROP COLUMN legal_entity_id, DROP COLUMN speciality, DROP COLUMN accepting_new_patients');
    await q.query('DROP TABLE directory.doctor_listing_word');
    await q.query(`
      CREATE TABLE directory.doctor_listing_word (
        doctor_id uuid NOT NULL REFERENCES directory.doctor_listing (doctor_id) ON DELETE CASCADE,
        word text NOT NULL,
        PRIMARY KEY (doctor_id, word)
      )`);
    await q.query('CREATE INDEX doctor_listing_word_trgm_idx ON directory.doctor_listing_word USING gin (word public.gin_trgm_ops)');
    await q.query('CREATE INDEX doctor_listing_name_trgm_idx ON directory.doctor_listing USING gin (name_key public.gin_trgm_ops)');
  }
}
