import { randomUUID } from 'node:crypto';
import { startDeclarations, type DeclarationsUnderTest } from './support/startDeclarations';

// Migrations that change existing data, run against rows written before them.
describe('declarations: migrations', () => {
  let t: DeclarationsUnderTest;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => t.sg.dataSource.query(sql, params);

  beforeAll(async () => {
    t = await startDeclarations();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('OneOpenRequestPerPerson cancels the open requests that broke the rule already, keeping each person’s newest, and publishes the freed places', async () => {
    // Back to before OneOpenRequestPerPerson: undo the migrations after it too (SubmittedBy).
    while (
      (await t.sg.dataSource.query(`SELECT name FROM declarations.migrations ORDER BY id DESC LIMIT 1`))[0]?.name !== 'OneOpenRequestPerPerson1733200000000'
    ) {
      await t.sg.dataSource.undoLastMigration({ transaction: 'each' });
    }
    await t.sg.dataSource.undoLastMigration({ transaction: 'each' });
    const [d1, d2, d3] = [randomUUID(), randomUUID(), randomUUID()].sort();
    const many = randomUUID();
    const single = randomUUID();
    const request = async (personId: string, doctorId: string, status: string, hoursAgo: number) => {
      const id = randomUUID();
      await q(
        `INSERT INTO declarations.declaration_request (id, person_id, doctor_id, division_id, status, created_at, expires_at)
         VALUES ($1, $2, $3, 'div', $4, now() - make_interval(hours => $5), now() + interval '20 hours')`,
        [id, personId, doctorId, status, hoursAgo],
      );
      return id;
    };
    // Written under the old rule: one person with three open requests to three doctors.
    const oldest = await request(many, d1, 'APPROVED', 3);
    const older = await request(many, d2, 'NEW', 2);
    const newest = await request(many, d3, 'APPROVED', 1);
    const signed = await request(many, d1, 'SIGNED', 4);
    const alone = await request(single, d1, 'APPROVED', 1);
    await q('DELETE FROM declarations.outbox');

    await t.sg.dataSource.runMigrations({ transaction: 'each' });

    const rows = await q<{ id: string; status: string; cancellation_reason: string | null; replaced_by: string | null }>(
      'SELECT id, status, cancellation_reason, replaced_by FROM declarations.declaration_request WHERE person_id = ANY($1::text[])',
      [[many, single]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.status, r.cancellation_reason, r.replaced_by]]))).toEqual({
      [oldest]: ['CANCELLED', 'auto_new_request', newest],
      [older]: ['CANCELLED', 'auto_new_request', newest],
      [newest]: ['APPROVED', null, null],
      [signed]: ['SIGNED', null, null],
      [alone]: ['APPROVED', null, null],
    });
    // The doctors whose places were freed hear their new counts; the others nothing.
    const published = await q<{ message_key: string; payload: Record<string, unknown> }>(
      'SELECT message_key, payload FROM declarations.outbox ORDER BY message_key',
    );
    expect(published.map((m) => m.payload)).toEqual([
      { doctorId: d1, activeDeclarationCount: 0, approvedRequestCount: 1, version: 1 },
      { doctorId: d2, activeDeclarationCount: 0, approvedRequestCount: 0, version: 1 },
    ]);
    await expect(request(single, d2, 'APPROVED', 0)).rejects.toThrow(/declaration_request_one_open_per_person/);
  });

  it('StoredDeclarationCount backfills each doctor’s count of current declarations from the existing rows', async () => {
    const last = async () => (await t.sg.dataSource.query(`SELECT name FROM declarations.migrations ORDER BY id DESC LIMIT 1`))[0]?.name;
    while ((await last()) !== 'StoredDeclarationCount1733700000000') await t.sg.dataSource.undoLastMigration({ transaction: 'each' });
    await t.sg.dataSource.undoLastMigration({ transaction: 'each' });
    // Written before the column: a doctor with a list row (changed through the services) and
    // doctors without one (rows written in bulk), in every status.
    const [withRow, withoutRow, onlyPast, untouched] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await q(`INSERT INTO declarations.doctor_list (doctor_id, version) VALUES ($1, 7), ($2, 3)`, [withRow, untouched]);
    const statuses: [string, string[]][] = [
      [withRow, ['ACTIVE', 'ACTIVE', 'PENDING_VERIFICATION', 'TERMINATED', 'CLOSED']],
      [withoutRow, ['ACTIVE', 'PENDING_VERIFICATION', 'PENDING_VERIFICATION', 'REJECTED']],
      [onlyPast, ['TERMINATED', 'CLOSED']],
    ];
    for (const [doctorId, list] of statuses) {
      for (const status of list) {
        await q(
          `INSERT INTO declarations.declaration (id, number, person_id, doctor_id, division_id, speciality, status, start_date, end_date, signed_at)
           VALUES (gen_random_uuid(), 'M-' || gen_random_uuid(), gen_random_uuid()::text, $1, 'div', 'FAMILY_DOCTOR', $2, current_date, current_date + 365, now())`,
          [doctorId, status],
        );
      }
    }

    await t.sg.dataSource.runMigrations({ transaction: 'each' });

    const rows = await q<{ doctor_id: string; declarations: number; version: string }>(
      'SELECT doctor_id, declarations, version FROM declarations.doctor_list WHERE doctor_id = ANY($1::text[])',
      [[withRow, withoutRow, onlyPast, untouched]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.doctor_id, [r.declarations, Number(r.version)]]))).toEqual({
      [withRow]: [3, 7], // the version (of the counts published) stays
      [withoutRow]: [3, 1],
      [untouched]: [0, 3],
    });
    // Every doctor: the stored count equals a live count.
    const drift = await q(
      `SELECT c.doctor_id FROM (SELECT doctor_id, count(*)::int AS n FROM declarations.declaration
         WHERE status IN ('ACTIVE', 'PENDING_VERIFICATION') GROUP BY doctor_id) c
       LEFT JOIN declarations.doctor_list l ON l.doctor_id = c.doctor_id WHERE coalesce(l.declarations, 0) <> c.n`,
    );
    expect(drift).toEqual([]);
  });
});
