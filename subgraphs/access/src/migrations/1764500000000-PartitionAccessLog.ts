import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log, one row per resource per read, is the fastest-growing table: it becomes a
 * table partitioned by month on `at` (declarative partitioning, PARTITION BY RANGE), so that old
 * months leave by DETACH + DROP (no DELETE, which the append-only trigger refuses anyway) and
 * reads bounded in time scan only their months. A partitioned table's primary key must hold the
 * partition key: (id, at) — the gateway's replayed batch carries the same id and at, so
 * `ON CONFLICT (id, at) DO NOTHING` still recognises it.
 *
 * Partitions for the months of existing rows and for the current month and the next three are
 * created here; from then on the partition job (src/jobs/accessLogPartitions.ts) keeps months
 * ahead and drops those past ACCESS_LOG_RETENTION_MONTHS. Existing rows are copied over. A default
 * partition takes any row no month holds (see below).
 */
export class PartitionAccessLog1764500000000 implements MigrationInterface {
  name = 'PartitionAccessLog1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access.access_log RENAME TO access_log_unpartitioned`);
    await q.query(`ALTER INDEX access.access_log_person_at_idx RENAME TO access_log_unpartitioned_person_at_idx`);
    await q.query(`ALTER TABLE access.access_log_unpartitioned RENAME CONSTRAINT access_log_pkey TO access_log_unpartitioned_pkey`);
    await q.query(`
      CREATE TABLE access.access_log (
        id uuid NOT NULL,
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
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id, at)
      ) PARTITION BY RANGE (at)`);
    // Serves the newest-first keyset pages of Person.accessLog (created on every partition).
    await q.query(`CREATE INDEX access_log_person_at_idx ON access.access_log (person_id, at DESC, id DESC)`);
    // A row with no month of its own (the job stopped for months, a replay of entries older than
    // any partition) lands in the default partition instead of being refused: the log loses nothing.
    await q.query(`CREATE TABLE access.access_log_default PARTITION OF access.access_log DEFAULT`);
    // One month in UTC, whatever the session's time zone: access_log_YYYY_MM. A month whose rows
    // already sit in the default partition is left there (PostgreSQL would refuse the new
    // partition); the function returns NULL and the job reports it.
    await q.query(`
      CREATE FUNCTION access.create_access_log_partition(during timestamptz) RETURNS text LANGUAGE plpgsql AS $$
      DECLARE
        first timestamp := date_trunc('month', during AT TIME ZONE 'UTC');
        lo timestamptz := first AT TIME ZONE 'UTC';
        hi timestamptz := (first + interval '1 month') AT TIME ZONE 'UTC';
        part text := 'access_log_' || to_char(first, 'YYYY_MM');
      BEGIN
        IF to_regclass('access.' || part) IS NULL AND EXISTS (SELECT 1 FROM access.access_log_default WHERE at >= lo AND at < hi) THEN
          RETURN NULL;
        END IF;
        EXECUTE format('CREATE TABLE IF NOT EXISTS access.%I PARTITION OF access.access_log FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
        RETURN part;
      END $$`);
    await q.query(`
      SELECT access.create_access_log_partition(m)
      FROM generate_series(
        date_trunc('month', LEAST(now(), (SELECT min(at) FROM access.access_log_unpartitioned)), 'UTC'),
        GREATEST(now(), (SELECT max(at) FROM access.access_log_unpartitioned)) + interval '3 months',
        interval '1 month') AS m`);
    await q.query(
      `INSERT INTO access.access_log SELECT id, at, person_id, cabinet_id, actor, actor_role, action, resource, operation_name, request_id, token_id, recorded_at FROM access.access_log_unpartitioned`,
    );
    await q.query(`DROP TABLE access.access_log_unpartitioned`);
    // Append-only, as before: an entry can be neither changed nor removed through SQL (a whole
    // month leaves only by the retention job's DETACH + DROP).
    await q.query(`CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access.access_log
      FOR EACH ROW EXECUTE FUNCTION access.refuse_log_change()`);
    await q.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access.access_log
      FOR EACH STATEMENT EXECUTE FUNCTION access.refuse_log_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access.access_log RENAME TO access_log_partitioned`);
    await q.query(`ALTER INDEX access.access_log_person_at_idx RENAME TO access_log_partitioned_person_at_idx`);
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
    await q.query(`CREATE INDEX access_log_person_at_idx ON access.access_log (person_id, at DESC, id DESC)`);
    await q.query(`INSERT INTO access.access_log SELECT * FROM access.access_log_partitioned`);
    await q.query(`DROP TABLE access.access_log_partitioned`);
    await q.query(`DROP FUNCTION access.create_access_log_partition(timestamptz)`);
    await q.query(`CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access.access_log
      FOR EACH ROW EXECUTE FUNCTION access.refuse_log_change()`);
    await q.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access.access_log
      FOR EACH STATEMENT EXECUTE FUNCTION access.refuse_log_change()`);
  }
}
