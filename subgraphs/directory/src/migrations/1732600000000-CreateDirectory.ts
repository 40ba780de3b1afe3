import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Legal entities, divisions, doctors, and the two search tables derived from them.
 *
 * `doctor_listing` (one row per listed doctor) and `doctor_listing_place` (one row per listed
 * doctor × ACTIVE division) hold exactly the doctors the public may see: APPROVED, at an ACTIVE
 * division, of an ACTIVE legal entity. They are rewritten by `ListingRefresher` in the same
 * transaction as any change to the source rows, so a public search is one indexed query on
 * one table (plus the place table for distance) and never re-checks the three statuses.
 *
 * Extensions live in `public` (shared by every subgraph's schema); every use is qualified.
 */
export class CreateDirectory1732600000000 implements MigrationInterface {
  name = 'CreateDirectory1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await q.query('CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public');
    await q.query('CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA public');

    await q.query(`
      CREATE TABLE directory.legal_entity (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        short_name text,
        public_name text,
        edrpou text NOT NULL CHECK (edrpou ~ '^([0-9]{8}|[0-9]{10})$'),
        type text NOT NULL CHECK (type IN ('PRIMARY_CARE', 'MSP', 'OUTPATIENT', 'EMERGENCY', 'PHARMACY')),
        status text NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'CLOSED', 'REORGANIZED')),
        owner_property_type text NOT NULL CHECK (owner_property_type IN ('STATE', 'PRIVATE')),
        address jsonb,
        phones jsonb NOT NULL DEFAULT '[]'::jsonb,
        email text,
        website text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX legal_entity_edrpou_uq ON directory.legal_entity (edrpou)');

    await q.query(`
      CREATE TABLE directory.division (
        id uuid PRIMARY KEY,
        legal_entity_id uuid NOT NULL REFERENCES directory.legal_entity (id),
        name text NOT NULL,
        type text NOT NULL CHECK (type IN ('CLINIC', 'AMBULANT_CLINIC', 'FAP')),
        status text NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
        country text NOT NULL,
        area text NOT NULL,
        region text,
        settlement text NOT NULL,
        settlement_type text NOT NULL CHECK (settlement_type IN ('CITY', 'TOWNSHIP', 'VILLAGE', 'SETTLEMENT')),
        street_type text,
        street text,
        building text,
        zip text,
        settlement_key text NOT NULL,
        area_key text NOT NULL,
        latitude double precision CHECK (latitude BETWEEN -90 AND 90),
        longitude double precision CHECK (longitude BETWEEN -180 AND 180),
        working_hours jsonb NOT NULL DEFAULT '[]'::jsonb,
        phones jsonb NOT NULL DEFAULT '[]'::jsonb,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((latitude IS NULL) = (longitude IS NULL))
      )`);
    await q.query('CREATE INDEX division_legal_entity_idx ON directory.division (legal_entity_id)');

    await q.query(`
      CREATE TABLE directory.doctor (
        id uuid PRIMARY KEY,
        legal_entity_id uuid NOT NULL REFERENCES directory.legal_entity (id),
        first_name text NOT NULL,
        last_name text NOT NULL,
        second_name text,
        gender text NOT NULL CHECK (gender IN ('MALE', 'FEMALE')),
        speciality text NOT NULL CHECK (speciality IN ('FAMILY_DOCTOR', 'THERAPIST', 'PEDIATRICIAN')),
        speciality_level text NOT NULL CHECK (speciality_level IN ('BASIC', 'SECOND', 'FIRST', 'HIGHEST')),
        specialities jsonb NOT NULL DEFAULT '[]'::jsonb,
        position text NOT NULL,
        about text,
        experience_years int CHECK (experience_years >= 0),
        education jsonb NOT NULL DEFAULT '[]'::jsonb,
        qualifications jsonb NOT NULL DEFAULT '[]'::jsonb,
        status text NOT NULL CHECK (status IN ('NEW', 'APPROVED', 'DISMISSED')),
        search_name text NOT NULL,
        sort_name text COLLATE "C" NOT NULL,
        active_declaration_count int NOT NULL DEFAULT 0 CHECK (active_declaration_count >= 0),
        accepting_new_patients boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX doctor_legal_entity_idx ON directory.doctor (legal_entity_id)');

    await q.query(`
      CREATE TABLE directory.doctor_division (
        doctor_id uuid NOT NULL REFERENCES directory.doctor (id) ON DELETE CASCADE,
        division_id uuid NOT NULL REFERENCES directory.division (id) ON DELETE CASCADE,
        PRIMARY KEY (doctor_id, division_id)
      )`);
    await q.query('CREATE INDEX doctor_division_division_idx ON directory.doctor_division (division_id)');

    // --- derived search tables -------------------------------------------------------------
    // place_keys holds 'd:<division id>', 's:<settlement>', 'a:<area>' and 'as:<area>/<settlement>'
    // for every listed division, so "settlement", "area", both, and "division" filters are each
    // one GIN containment test on the same row.
    await q.query(`
      CREATE TABLE directory.doctor_listing (
        doctor_id uuid PRIMARY KEY REFERENCES directory.doctor (id) ON DELETE CASCADE,
        legal_entity_id uuid NOT NULL,
        speciality text NOT NULL,
        name_key text NOT NULL,
        sort_key text COLLATE "C" NOT NULL,
        accepting_new_patients boolean NOT NULL,
        place_keys text[] NOT NULL
      )`);
    await q.query('CREATE INDEX doctor_listing_sort_idx ON directory.doctor_listing (sort_key, doctor_id)');
    await q.query('CREATE INDEX doctor_listing_speciality_sort_idx ON directory.doctor_listing (speciality, sort_key, doctor_id)');
    await q.query('CREATE INDEX doctor_listing_legal_entity_idx ON directory.doctor_listing (legal_entity_id)');
    await q.query('CREATE INDEX doctor_listing_name_trgm_idx ON directory.doctor_listing USING gin (name_key public.gin_trgm_ops)');
    await q.query('CREATE INDEX doctor_listing_place_keys_idx ON directory.doctor_listing USING gin (place_keys)');

    // The words of each listed name, for typo-tolerant matching word by word (a typo in one
    // word of a long full name barely moves the similarity of the whole string).
    await q.query(`
      CREATE TABLE directory.doctor_listing_word (
        doctor_id uuid NOT NULL REFERENCES directory.doctor_listing (doctor_id) ON DELETE CASCADE,
        word text NOT NULL,
        PRIMARY KEY (doctor_id, word)
      )`);
    await q.query('CREATE INDEX doctor_listing_word_trgm_idx ON directory.doctor_listing_word USING gin (word public.gin_trgm_ops)');

    await q.query(`
      CREATE TABLE directory.doctor_listing_place (
        doctor_id uuid NOT NULL REFERENCES directory.doctor_listing (doctor_id) ON DELETE CASCADE,
        division_id uuid NOT NULL,
        settlement_key text NOT NULL,
        area_key text NOT NULL,
        latitude double precision,
        longitude double precision,
        PRIMARY KEY (doctor_id, division_id)
      )`);
    await q.query('CREATE INDEX doctor_listing_place_division_idx ON directory.doctor_listing_place (division_id)');
    await q.query('CREATE INDEX doctor_listing_place_earth_idx ON directory.doctor_listing_place USING gist (public.ll_to_earth(latitude, longitude))');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['doctor_listing_place', 'doctor_listing_word', 'doctor_listing', 'doctor_division', 'doctor', 'division', 'legal_entity']) {
      await q.query(`DROP TABLE directory.${t}`);
    }
  }
}
