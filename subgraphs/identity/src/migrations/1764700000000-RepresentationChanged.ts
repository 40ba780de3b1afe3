import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Representation changes reach the gateways (docs/representatives.md): a change of a person's
 * `confidant_persons` (or of the birth date, which ends a parent's relationship at 14) NOTIFYs
 * `identity_representation_changed` with the actors whose lists may differ — every `personId`
 * named before or after — as `{"actors":[…]}`; the gateway drops those actors' cached lists.
 * A list too long for one notification (8,000 bytes) is sent as `{"all":true}` (drop every list).
 * Inserted or deleted records with confidants notify too; a change made by hand in SQL as well.
 */
export class RepresentationChanged1764700000000 implements MigrationInterface {
  name = 'RepresentationChanged1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION identity.notify_representation_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        old_named jsonb := '[]';
        new_named jsonb := '[]';
        actors text[];
        payload text;
      BEGIN
        IF TG_OP <> 'INSERT' THEN old_named := OLD.confidant_persons; END IF;
        IF TG_OP <> 'DELETE' THEN new_named := NEW.confidant_persons; END IF;
        SELECT array_agg(DISTINCT a ORDER BY a) INTO actors FROM (
          SELECT c->>'personId' AS a FROM jsonb_array_elements(old_named) c
          UNION ALL
          SELECT c->>'personId' FROM jsonb_array_elements(new_named) c
        ) named WHERE a IS NOT NULL;
        IF actors IS NULL THEN RETURN NULL; END IF;
        payload := json_build_object('actors', actors)::text;
        IF octet_length(payload) > 7900 THEN payload := '{"all":true}'; END IF;
        PERFORM pg_notify('identity_representation_changed', payload);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER person_representation_inserted AFTER INSERT ON identity.person
      FOR EACH ROW WHEN (NEW.confidant_persons <> '[]'::jsonb) EXECUTE FUNCTION identity.notify_representation_change()`);
    await q.query(`CREATE TRIGGER person_representation_updated AFTER UPDATE ON identity.person
      FOR EACH ROW WHEN (OLD.confidant_persons IS DISTINCT FROM NEW.confidant_persons OR OLD.birth_date IS DISTINCT FROM NEW.birth_date)
      EXECUTE FUNCTION identity.notify_representation_change()`);
    await q.query(`CREATE TRIGGER person_representation_deleted AFTER DELETE ON identity.person
      FOR EACH ROW WHEN (OLD.confidant_persons <> '[]'::jsonb) EXECUTE FUNCTION identity.notify_representation_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER person_representation_deleted ON identity.person');
    await q.query('DROP TRIGGER person_representation_updated ON identity.person');
    await q.query('DROP TRIGGER person_representation_inserted ON identity.person');
    await q.query('DROP FUNCTION identity.notify_representation_change()');
  }
}
