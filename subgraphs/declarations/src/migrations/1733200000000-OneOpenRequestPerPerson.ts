import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One open (NEW or APPROVED) declaration request per person, whatever the doctor: a new request
 * cancels the person's other open ones (docs/declarations.md, "One open request per person").
 *
 * - `cancellation_reason` says who cancelled a CANCELLED request: `manual_person` (the patient)
 *   or `auto_new_request` (a newer request of the same person replaced it), and `replaced_by`
 *   names that newer request.
 * - Requests that break the rule already (written before it) are cancelled here, keeping each
 *   person's newest open request; the counts of their doctors go to the outbox in the same
 *   transaction (an APPROVED request holds a place in the doctor's list).
 * - `declaration_request_one_open_per_person` then refuses a second open request for a person,
 *   whatever the code does; the per-person lock keeps the code from ever hitting it.
 *
 * Raw SQL on purpose: a migration must keep doing what it did when the services change.
 */
export class OneOpenRequestPerPerson1733200000000 implements MigrationInterface {
  name = 'OneOpenRequestPerPerson1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE declarations.declaration_request
        ADD COLUMN cancellation_reason text CHECK (cancellation_reason IN ('manual_person', 'auto_new_request')),
        ADD COLUMN replaced_by uuid REFERENCES declarations.declaration_request (id) DEFERRABLE INITIALLY DEFERRED`);
    // Requests the patient cancelled before this migration: the only other way to CANCELLED was
    // a newer request to the same doctor, which cannot be told apart afterwards, so they stay
    // without a reason.
    const touched: { doctor_id: string }[] = await q.query(`
      WITH open AS (
        SELECT id, first_value(id) OVER (PARTITION BY person_id ORDER BY created_at DESC, id DESC) AS newest
        FROM declarations.declaration_request WHERE status IN ('NEW', 'APPROVED')
      ), cancelled AS (
        UPDATE declarations.declaration_request r
        SET status = 'CANCELLED', cancellation_reason = 'auto_new_request', replaced_by = open.newest, updated_at = now()
        FROM open WHERE r.id = open.id AND open.id <> open.newest
        RETURNING r.doctor_id
      )
      SELECT DISTINCT doctor_id FROM cancelled ORDER BY doctor_id`);
    if (touched.length) {
      // The same as services/doctorLists.ts lockDoctorLists + publishCounts, frozen here.
      await q.query(
        `WITH v AS (
           INSERT INTO declarations.doctor_list (doctor_id)
           SELECT id FROM unnest($1::text[]) AS t(id) ORDER BY id
           ON CONFLICT (doctor_id) DO UPDATE SET version = declarations.doctor_list.version + 1, updated_at = now()
           RETURNING doctor_id, version
         )
         INSERT INTO declarations.outbox (topic, message_key, payload)
         SELECT 'doctor.declaration_counts', v.doctor_id, jsonb_build_object(
           'doctorId', v.doctor_id,
           'activeDeclarationCount', (SELECT count(*) FROM declarations.declaration d
              WHERE d.doctor_id = v.doctor_id AND d.status IN ('ACTIVE', 'PENDING_VERIFICATION'))::int,
           'approvedRequestCount', (SELECT count(*) FROM declarations.declaration_request r
              WHERE r.doctor_id = v.doctor_id AND r.status = 'APPROVED' AND r.expires_at > now())::int,
           'version', v.version)
         FROM v`,
        [touched.map((t) => t.doctor_id)],
      );
    }
    // The deferred replaced_by checks of the UPDATE above run now: CREATE INDEX refuses a table
    // with pending trigger events.
    await q.query('SET CONSTRAINTS ALL IMMEDIATE');
    await q.query(`
      CREATE UNIQUE INDEX declaration_request_one_open_per_person
      ON declarations.declaration_request (person_id) WHERE status IN ('NEW', 'APPROVED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX declarations.declaration_request_one_open_per_person');
    await q.query('ALTER TABLE declarations.declaration_request DROP COLUMN replaced_by, DROP COLUMN cancellation_reason');
  }
}
