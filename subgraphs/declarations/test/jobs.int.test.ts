import { DEV_INTERNAL_TOKEN_SECRET } from '@pc/config';
import { addDays, todayIn } from '@pc/calendar';
import { createLogger } from '@pc/logging';
import { SubgraphClient } from '@pc/server';
import { OutboxRelay } from '../src/jobs/OutboxRelay';
import { runTimeDrivenTransitions } from '../src/jobs/startDeclarationJobs';
import { closeDeclarations, expireRequests } from '../src/jobs/timeDrivenTransitions';
import { startDeclarations, type DeclarationsUnderTest } from './support/startDeclarations';

const log = createLogger({ service: 'test', level: 'silent' });
const today = todayIn('Europe/Kyiv');

describe('declarations: time-driven transitions and the outbox relay', () => {
  let t: DeclarationsUnderTest;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => t.sg.dataSource.query(sql, params);
  const relay = (opts: ConstructorParameters<typeof OutboxRelay>[3] = {}) =>
    new OutboxRelay(
      t.sg.dataSource,
      new SubgraphClient({ name: 'directory', url: t.owners.directoryUrl, timeoutMs: 2000, secret: DEV_INTERNAL_TOKEN_SECRET, log }, 'declarations'),
      log,
      opts,
    );
  /** The newest count published for a doctor (what the directory would end up with). */
  const lastPublished = async (doctorId: string) =>
    (
      await q<{ payload: { activeDeclarationCount: number; approvedRequestCount: number } }>(
        `SELECT payload FROM declarations.outbox WHERE message_key = $1 ORDER BY id DESC LIMIT 1`,
        [doctorId],
      )
    )[0]?.payload;

  beforeAll(async () => {
    t = await startDeclarations();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('expires approved requests past their expiry, wipes the copied personal data and frees the places', async () => {
    const { doctor, division } = t.owners.addDoctor();
    const p = t.owners.addPerson();
    const fresh = t.owners.addPerson();
    const due = (await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
    const notDue = (await t.submit(fresh.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
    await q(`UPDATE declarations.declaration_request SET expires_at = now() - interval '1 minute' WHERE id = $1`, [due.id]);
    expect(await lastPublished(doctor.id)).toMatchObject({ approvedRequestCount: 2 });

    const { changed } = await expireRequests(t.sg.dataSource);
    expect(changed).toBe(1);
    const rows = await q<Record<string, unknown>>(
      `SELECT id, status, person_first_name, person_last_name, person_birth_date FROM declarations.declaration_request WHERE id = ANY($1::uuid[]) ORDER BY status`,
      [[due.id, notDue.id]],
    );
    expect(rows).toEqual([
      { id: notDue.id, status: 'APPROVED', person_first_name: fresh.firstName, person_last_name: fresh.lastName, person_birth_date: expect.anything() },
      { id: due.id, status: 'EXPIRED', person_first_name: null, person_last_name: null, person_birth_date: null },
    ]);
    expect(await lastPublished(doctor.id)).toMatchObject({ approvedRequestCount: 1 });
    // An expired request cannot be signed any more.
    const sign = await t.sign(doctor.id, due.id);
    expect(sign.data?.signDeclarationRequest.userErrors.map((e) => e.code)).toEqual(['REQUEST_NOT_APPROVED']);
  });

  it('closes declarations whose end date has passed, and only those', async () => {
    const { doctor, division } = t.owners.addDoctor();
    const ended = await t.declare(t.owners.addPerson().id, doctor.id, division.id);
    const lastDay = await t.declare(t.owners.addPerson().id, doctor.id, division.id);
    await q(`UPDATE declarations.declaration SET start_date = $2::date - 366, end_date = $2::date - 1 WHERE id = $1`, [ended, today]);
    await q(`UPDATE declarations.declaration SET start_date = $2::date - 365, end_date = $2::date WHERE id = $1`, [lastDay, today]);
    expect((await closeDeclarations(t.sg.dataSource, today)).changed).toBe(1);
    const rows = await q<{ id: string; status: string }>('SELECT id, status FROM declarations.declaration WHERE doctor_id = $1 ORDER BY status', [doctor.id]);
    expect(rows).toEqual([
      { id: lastDay, status: 'ACTIVE' },
      { id: ended, status: 'CLOSED' },
    ]);
    expect(await lastPublished(doctor.id)).toMatchObject({ activeDeclarationCount: 1 });
    // The next day the other one closes too.
    expect((await closeDeclarations(t.sg.dataSource, addDays(today, 1))).changed).toBe(1);
  });

  it('two instances running the transitions at once move every row exactly once', async () => {
    const doctors = Array.from({ length: 6 }, () => t.owners.addDoctor());
    const requestIds: string[] = [];
    const declarationIds: string[] = [];
    for (const { doctor, division } of doctors) {
      for (let i = 0; i < 5; i++) {
        requestIds.push((await t.submit(t.owners.addPerson().id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!.id);
      }
      declarationIds.push(await t.declare(t.owners.addPerson().id, doctor.id, division.id));
    }
    await q(`UPDATE declarations.declaration_request SET expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [requestIds]);
    await q(`UPDATE declarations.declaration SET end_date = $2::date - 1, start_date = $2::date - 400 WHERE id = ANY($1::uuid[])`, [declarationIds, today]);

    const [a, b] = await Promise.all([runTimeDrivenTransitions(t.sg.dataSource, today), runTimeDrivenTransitions(t.sg.dataSource, today)]);
    expect(a.expired + b.expired).toBe(requestIds.length);
    expect(a.closed + b.closed).toBe(declarationIds.length);
    const [left] = await q<{ open: number; current: number }>(
      `SELECT (SELECT count(*) FROM declarations.declaration_request WHERE id = ANY($1::uuid[]) AND status <> 'EXPIRED')::int AS open,
              (SELECT count(*) FROM declarations.declaration WHERE id = ANY($2::uuid[]) AND status <> 'CLOSED')::int AS current`,
      [requestIds, declarationIds],
    );
    expect(left).toEqual({ open: 0, current: 0 });
    // Every doctor's last published count is the true one: nothing held.
    for (const { doctor } of doctors) expect(await lastPublished(doctor.id)).toMatchObject({ activeDeclarationCount: 0, approvedRequestCount: 0 });
  });

  describe('relay', () => {
    beforeEach(async () => {
      await q('DELETE FROM declarations.outbox');
      t.owners.recorded.length = 0;
    });

    it('delivers the newest count of each doctor as a SERVICE and empties the outbox', async () => {
      const { doctor, division } = t.owners.addDoctor();
      await t.declare(t.owners.addPerson().id, doctor.id, division.id);
      await t.submit(t.owners.addPerson().id, doctor.id, division.id);
      expect((await q('SELECT id FROM declarations.outbox')).length).toBe(3); // submit, sign, submit
      expect(await relay().drain()).toBe(3);
      expect(t.owners.recorded).toHaveLength(1);
      expect(t.owners.recorded[0].caller).toMatchObject({ subject: 'declarations', roles: ['SERVICE'] });
      expect(t.owners.recorded[0].counts).toEqual([{ doctorId: doctor.id, activeDeclarationCount: 1, approvedRequestCount: 1 }]);
      expect(await q('SELECT id FROM declarations.outbox')).toEqual([]);
    });

    it('keeps the messages while the directory is down and delivers them once it is back', async () => {
      const { doctor, division } = t.owners.addDoctor();
      await t.submit(t.owners.addPerson().id, doctor.id, division.id);
      t.owners.down.directory = true;
      try {
        await expect(relay().drain()).rejects.toMatchObject({ extensions: { code: 'DEPENDENCY_UNAVAILABLE' } });
      } finally {
        t.owners.down.directory = false;
      }
      const [kept] = await q<{ attempts: number; last_error: string }>('SELECT attempts, last_error FROM declarations.outbox');
      expect(kept.attempts).toBe(1);
      expect(await relay().drain()).toBe(1);
      expect(t.owners.recorded.flatMap((r) => r.counts)).toEqual([{ doctorId: doctor.id, activeDeclarationCount: 0, approvedRequestCount: 1 }]);
    });

    it('lets one instance deliver at a time, so a doctor’s counts arrive in commit order', async () => {
      const { doctor, division } = t.owners.addDoctor();
      for (let i = 0; i < 6; i++) await t.submit(t.owners.addPerson().id, doctor.id, division.id);
      const instances = ['one', 'two', 'three', 'four'].map((instance) => relay({ batchSize: 2, instance }));
      const delivered = await Promise.all([...instances, ...instances].map((r) => r.drain()));
      const rest = await relay({ instance: 'five' }).drain();
      expect(delivered.reduce((x, y) => x + y, 0) + rest).toBe(6);
      const seen = t.owners.recorded.flatMap((r) => r.counts).map((c) => c.approvedRequestCount);
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
      expect(seen.at(-1)).toBe(6);
    });

    it('is woken by a commit when started: the directory hears without polling', async () => {
      const started = relay();
      started.start();
      try {
        const { doctor, division } = t.owners.addDoctor();
        // The subgraph's own relay is off in these tests; nudge this one as the service would.
        await t.submit(t.owners.addPerson().id, doctor.id, division.id);
        started.nudge();
        for (let i = 0; i < 100 && !t.owners.recorded.length; i++) await new Promise((r) => setTimeout(r, 20));
        expect(t.owners.recorded.flatMap((r) => r.counts)).toEqual([{ doctorId: doctor.id, activeDeclarationCount: 0, approvedRequestCount: 1 }]);
      } finally {
        await started.stop();
      }
    });
  });
});
