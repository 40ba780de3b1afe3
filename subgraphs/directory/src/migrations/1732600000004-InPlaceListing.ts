import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Listing maintenance in place, and indexes that answer searches alone (docs/directory.md):
 *
 * - `doctor_listing` and `doctor_listing_place` leave 10% of each page free, so the listing's
 *   usual change — a doctor's `accepting_new_patients` flipping with the declaration counts,
 *   a column no index holds — is a HOT update on the same page, not a new row plus index entries.
 * - `doctor_listing_word` carries the doctor's speciality, indexed with the word: "name prefix +
 *   speciality" is one range of (speciality, word, doctor_id), read from the index alone, and its
 *   total is the number of doctors in that range.
 * - The GiST index of the places also holds the doctor (`INCLUDE`): a nearest-first walk and the
 *   count of doctors within a circle are index-only scans.
 *
 * The next migration vacuums and analyses what this one rewrote.
 */
export class InPlaceListing1732600000004 implements MigrationInterface {
  name = 'InPlaceListing1732600000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE directory.doctor_listing SET (fillfactor = 90)');
    await q.query('ALTER TABLE directory.doctor_listing_place SET (fillfactor = 90)');
    await q.query('ALTER TABLE directory.doctor_listing_word ADD COLUMN speciality text');
    await q.query(`
      UPDATE directory.doctor_listing_word lw SET speciality = l.speciality
      FROM directory.doctor_listing l WHERE l.doctor_id = lw.doctor_id`);
    await q.query('ALTER TABLE directory.doctor_listing_word ALTER COLUMN speciality SET NOT NULL');
    await q.query('CREATE INDEX doctor_listing_word_speciality_idx ON directory.doctor_listing_word (speciality, word, doctor_id)');
    await q.query('DROP INDEX directory.doctor_listing_place_earth_idx');
    await q.query('CREATE INDEX doctor_listing_place_earth_idx ON directory.doctor_listing_place USING gist (earth) INCLUDE (doctor_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX directory.doctor_listing_place_earth_idx');
    await q.query('CREATE INDEX doctor_listing_place_earth_idx ON directory.doctor_listing_place USING gist (earth)');
    await q.query('DROP INDEX directory.doctor_listing_word_speciality_idx');
    await q.query('ALTER TABLE directory.doctor_listing_word DROP COLUMN speciality');
    await q.query('ALTER TABLE directory.doctor_listing_place RESET (fillfactor)');
    await q.query('ALTER TABLE directory.doctor_listing RESET (fillfactor)');
  }
}
