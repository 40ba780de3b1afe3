import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each listed place keeps its point on the Earth (`ll_to_earth(latitude, longitude)`, a cube)
 * as a column with the GiST index on it. Computing it per row at query time (three nested cube
 * constructions, in the index recheck, the circle test and the distance) was most of the time
 * of a distance search in a dense city: 2,500 places within 10 km of central Kyiv.
 */
export class StoredEarthPoint1732600000002 implements MigrationInterface {
  name = 'StoredEarthPoint1732600000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE directory.doctor_listing_place ADD COLUMN earth public.earth');
    await q.query('UPDATE directory.doctor_listing_place SET earth = public.ll_to_earth(latitude, longitude) WHERE latitude IS NOT NULL');
    await q.query('DROP INDEX directory.doctor_listing_place_earth_idx');
    await q.query('CREATE INDEX doctor_listing_place_earth_idx ON directory.doctor_listing_place USING gist (earth)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX directory.doctor_listing_place_earth_idx');
    await q.query('ALTER TABLE directory.doctor_listing_place DROP COLUMN earth');
    await q.query('CREATE INDEX doctor_listing_place_earth_idx ON directory.doctor_listing_place USING gist (public.ll_to_earth(latitude, longitude))');
  }
}
