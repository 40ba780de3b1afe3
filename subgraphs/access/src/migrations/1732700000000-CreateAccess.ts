import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cabinets, grants and the access log, plus the small contract the gateway relies on:
 * - view `access.gateway_grant_v1`: what the gateway reads to admit a token (one indexed row);
 * - table `access.access_log`: where the gateway appends log entries (INSERT only);
 * - channel `access_grant_changed`: a trigger NOTIFYs every change of a grant or cabinet, so
 *   gateway instances drop cached grant checks at once (docs/access.md).
 */
export class CreateAccess1732700000000 implements MigrationInterface {
  name = 'CreateAccess1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access.cabinet (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('STATE', 'PRIVATE')),
        website text,
        owner text,
        redirect_uris text[] NOT NULL DEFAULT '{}',
        blocked boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE access.access_grant (
        id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        cabinet_id uuid NOT NULL REFERENCES access.cabinet (id),
        scopes text[] NOT NULL,
        granted_at timestamptz NOT NULL,
        expires_at timestamptz,
        revoked_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT access_grant_person_cabinet_uq UNIQUE (person_id, cabinet_id)
      )`);
    await q.query(`
      CREATE TABLE access.access_log (
        id uuid PRIMARY KEY,
        at timestamptz(3) NOT NULL,
        person_id uuid NOT NULL,
        cabinet_id uuid,
        actor text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL CHECK (action IN ('READ', 'CHANGE')),
        resource text NOT NULL,
        operation_name text,
        request_id text,
        token_id text,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Serves the newest-first keyset pages of Person.accessLog.
    await q.query(`CREATE INDEX access_log_person_at_idx ON access.access_log (person_id, at DESC, id DESC)`);

    // Append-only: an entry, once written, can be neither changed nor removed through SQL.
    await q.query(`
      CREATE FUNCTION access.refuse_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access.access_log is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access.access_log
      FOR EACH ROW EXECUTE FUNCTION access.refuse_log_change()`);
    await q.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access.access_log
      FOR EACH STATEMENT EXECUTE FUNCTION access.refuse_log_change()`);

    // Any change of a grant or cabinet, including one made by hand in SQL, reaches the gateways.
    await q.query(`
      CREATE FUNCTION access.notify_grant_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('access_grant_changed', json_build_object('personId', OLD.person_id, 'cabinetId', OLD.cabinet_id)::text);
        ELSE
          PERFORM pg_notify('access_grant_changed', json_build_object('personId', NEW.person_id, 'cabinetId', NEW.cabinet_id)::text);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER access_grant_changed AFTER INSERT OR UPDATE OR DELETE ON access.access_grant
      FOR EACH ROW EXECUTE FUNCTION access.notify_grant_change()`);
    await q.query(`
      CREATE FUNCTION access.notify_cabinet_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('access_grant_changed', json_build_object('cabinetId', OLD.id)::text);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER cabinet_changed AFTER UPDATE OR DELETE ON access.cabinet
      FOR EACH ROW EXECUTE FUNCTION access.notify_cabinet_change()`);

    // The gateway's read model; a later change of the tables above keeps this shape (or adds _v2).
    await q.query(`
      CREATE VIEW access.gateway_grant_v1 AS
      SELECT g.person_id, g.cabinet_id, g.scopes, g.granted_at, g.expires_at, g.revoked_at, c.blocked AS cabinet_blocked
      FROM access.access_grant g JOIN access.cabinet c ON c.id = g.cabinet_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW access.gateway_grant_v1');
    await q.query('DROP TABLE access.access_log');
    await q.query('DROP TABLE access.access_grant');
    await q.query('DROP TABLE access.cabinet');
    await q.query('DROP FUNCTION access.refuse_log_change(), access.notify_grant_change(), access.notify_cabinet_change()');
  }
}
