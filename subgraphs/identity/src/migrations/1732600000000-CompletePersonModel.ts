import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full person model of domain.md (birth place, contacts, documents, addresses, emergency
 * contact, confidants, capacity document, authentication method, preferred channel), the rule
 * that every change increments `version`, and the append-only change history.
 */
export class CompletePersonModel1732600000000 implements MigrationInterface {
  name = 'CompletePersonModel1732600000000';

  async up(q: QueryRunner): Promise<void> {
    // Constant defaults: PostgreSQL 11+ adds these columns without rewriting the table.
    await q.query(`
      ALTER TABLE identity.person
        ADD COLUMN birth_country text,
        ADD COLUMN birth_settlement text,
        ADD COLUMN phones jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(phones) = 'array'),
        ADD COLUMN documents jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(documents) = 'array'),
        ADD COLUMN addresses jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(addresses) = 'array'),
        ADD COLUMN emergency_contact jsonb CHECK (emergency_contact IS NULL OR jsonb_typeof(emergency_contact) = 'object'),
        ADD COLUMN confidant_persons jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(confidant_persons) = 'array'),
        ADD COLUMN legal_capacity_document jsonb
          CHECK (legal_capacity_document IS NULL OR jsonb_typeof(legal_capacity_document) = 'object'),
        ADD COLUMN authentication_method text NOT NULL DEFAULT 'NA'
          CHECK (authentication_method IN ('OTP', 'OFFLINE', 'THIRD_PERSON', 'NA')),
        ADD COLUMN preferred_way_communication text CHECK (preferred_way_communication IN ('EMAIL', 'PHONE')),
        ADD CONSTRAINT person_verification_status_check
          CHECK (verification_status IN ('VERIFICATION_NEEDED', 'IN_REVIEW', 'NOT_VERIFIED', 'VERIFIED', 'CHANGES_NEEDED'))`);

    // The register itself holds duplicate records sharing an RNOKPP until support merges them
    // (domain.md: duplicates go to a support request), so uniqueness is not a rule the data
    // obeys; the index stays for look-ups by tax number.
    await q.query('DROP INDEX identity.person_tax_id_uq');
    await q.query('CREATE INDEX person_tax_id_idx ON identity.person (tax_id) WHERE tax_id IS NOT NULL');

    // The change history stores only the changed fields' old values, taken from the row the
    // writer read at `expectedVersion`. That is right only if no write can leave the version
    // where it was, so the database refuses any such write.
    await q.query(`
      CREATE FUNCTION identity.person_version_must_advance() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.version IS DISTINCT FROM OLD.version + 1 THEN
          RAISE EXCEPTION 'identity.person %: every change must set version = version + 1 (was %, got %)',
            OLD.id, OLD.version, NEW.version USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER person_version_must_advance BEFORE UPDATE ON identity.person
        FOR EACH ROW EXECUTE FUNCTION identity.person_version_must_advance()`);

    // No foreign key to person: the history must outlive the row (a merged duplicate's history
    // is still evidence of who changed what).
    await q.query(`
      CREATE TABLE identity.person_change (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        person_id uuid NOT NULL,
        action text NOT NULL,
        version_before int NOT NULL,
        version_after int NOT NULL,
        client_id text,
        subject text,
        token_id text,
        request_id text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        old_values jsonb NOT NULL,
        new_values jsonb NOT NULL,
        CHECK (version_after > version_before)
      )`);
    await q.query('CREATE INDEX person_change_person_idx ON identity.person_change (person_id, id)');
    // The service connects as the table owner, whom REVOKE does not bind; the trigger does, so
    // it is the guard. The REVOKE still documents the intent for any other role.
    await q.query(`
      CREATE FUNCTION identity.person_change_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'identity.person_change is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER person_change_no_rewrite BEFORE UPDATE OR DELETE ON identity.person_change
        FOR EACH ROW EXECUTE FUNCTION identity.person_change_is_append_only()`);
    await q.query(`
      CREATE TRIGGER person_change_no_truncate BEFORE TRUNCATE ON identity.person_change
        FOR EACH STATEMENT EXECUTE FUNCTION identity.person_change_is_append_only()`);
    await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON identity.person_change FROM PUBLIC');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE identity.person_change');
    await q.query('DROP FUNCTION identity.person_change_is_append_only()');
    await q.query('DROP TRIGGER person_version_must_advance ON identity.person');
    await q.query('DROP FUNCTION identity.person_version_must_advance()');
    await q.query('DROP INDEX identity.person_tax_id_idx');
    await q.query('CREATE UNIQUE INDEX person_tax_id_uq ON identity.person (tax_id) WHERE tax_id IS NOT NULL');
    await q.query(`
      ALTER TABLE identity.person
        DROP CONSTRAINT person_verification_status_check,
        DROP COLUMN birth_country, DROP COLUMN birth_settlement, DROP COLUMN phones, DROP COLUMN documents,
        DROP COLUMN addresses, DROP COLUMN emergency_contact, DROP COLUMN confidant_persons,
        DROP COLUMN legal_capacity_document, DROP COLUMN authentication_method, DROP COLUMN preferred_way_communication`);
  }
}
