import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Representations: who may act for whom (docs/representatives.md). The one definition of the
 * rule, read by identity (`Person.representations`, `Query.person`) and by the gateway, which
 * signs the result into the caller token every subgraph verifies:
 * an entry of a person's `confidant_persons` that names the representative's own record
 * (`personId`) and is in force today (Kyiv): its document's `activeTo` not passed, and a
 * parent's (BIRTH_CERTIFICATE) relationship ending the day before the child turns 14.
 * The GIN index finds the records naming an actor without a scan.
 */
export class Representations1733600000000 implements MigrationInterface {
  name = 'Representations1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX person_confidants_gin ON identity.person USING gin (confidant_persons jsonb_path_ops)`);
    await q.query(`
      CREATE FUNCTION identity.representations_of_v1(actor uuid)
      RETURNS TABLE (person_id uuid, relation_type text, valid_to date)
      LANGUAGE sql STABLE AS $$
        SELECT r.person_id, r.relation_type, r.valid_to FROM (
          SELECT p.id AS person_id, c->>'relationType' AS relation_type,
            CASE WHEN c->'relationshipDocument'->>'type' = 'BIRTH_CERTIFICATE'
              THEN LEAST((c->'relationshipDocument'->>'activeTo')::date, (p.birth_date + interval '14 years' - interval '1 day')::date)
              ELSE (c->'relationshipDocument'->>'activeTo')::date END AS valid_to
          FROM identity.person p CROSS JOIN LATERAL jsonb_array_elements(p.confidant_persons) c
          WHERE p.confidant_persons @> jsonb_build_array(jsonb_build_object('personId', actor::text))
            AND c->>'personId' = actor::text
        ) r
        WHERE r.valid_to IS NULL OR r.valid_to >= (now() AT TIME ZONE 'Europe/Kyiv')::date
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION identity.representations_of_v1(uuid)');
    await q.query('DROP INDEX identity.person_confidants_gin');
  }
}
