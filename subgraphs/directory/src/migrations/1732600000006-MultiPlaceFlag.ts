import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `doctor_listing_place.multi_place`: whether the place's doctor has more than one listed place,
 * held in the GiST index of the places (`INCLUDE (doctor_id, multi_place)`). The total of a
 * distance search — the number of distinct doctors among the places in the circle — is then the
 * count of the single-place rows plus `count(DISTINCT doctor_id)` over the multi-place rows only
 * (docs/directory.md): exact, still an index-only scan, and the sort of the distinct aggregate
 * handles about a third of the rows instead of all of them (on the national data set 2.6 → ~1 ms
 * of PostgreSQL CPU for the 10 km circle around central Kyiv).
 *
 * The listing maintenance (ListingRefresher) keeps the flag of all a doctor's rows in the same
 * statement that adds or removes the doctor's places. The next migration vacuums the table this
 * one rewrote.
 */
export class MultiPlaceFlag1732600000006 implements MigrationInterface {
  name = 'MultiPlaceFlag1732600000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE directory.doctor_listing_place ADD COLUMN multi_place boolean NOT NULL DEFAULT false');
    await q.query(`
      UPDATE directory.doctor_listing_place pl SET multi_place = true
      WHERE pl.doctor_id IN (SELECT doctor_id FROM directory.doctor_listing_place GROUP BY doctor_id HAVING count(*) > 1)`);
    await q.query('DROP INDEX directory.doctor_listing_place_earth_idx');
    await q.query('CREATE INDEX doctor_listing_place_earth_idx ON directory.doctor_listing_place USING gist (earth) INCLUDE (doctor_id, multi_place)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX directory.doctor_listing_place_earth_idx');
    await q.query('CREATE INDEX doctor_listing_place_earth_idx ON directory.doctor_listing_place USING gist (earth) INCLUDE (doctor_id)');
    await q.query('ALTER TABLE directory.doctor_listing_place DROP COLUMN multi_place');
  }
}
