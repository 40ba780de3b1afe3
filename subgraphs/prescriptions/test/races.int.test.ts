import { addDays, todayIn } from '@pc/calendar';
import { seedDemo } from '../src/seed/seedDemo';
import { expirePrescriptions } from '../src/jobs/expirePrescriptions';
import { codes, startPrescriptions, type PrescriptionsUnderTest } from './support/startPrescriptions';

// Race safety and the time-driven expiry, meant for real PostgreSQL (TEST_DATABASE_URL), where the
// dispenses below really run at once on separate connections (PGlite runs one transaction at a
// time, so there they merely queue; the assertions hold either way).
const onServer = Boolean(process.env.TEST_DATABASE_URL);

describe('prescriptions: concurrent dispenses and expiry', () => {
  let t: PrescriptionsUnderTest;
  const today = todayIn('Europe/Kyiv');
  const row = async (id: string) =>
    (
      await t.sg.dataSource.query(
        `SELECT status, dispensed_quantity AS dispensed, (SELECT coalesce(sum(quantity), 0)::int FROM prescriptions.dispense d WHERE d.prescription_id = p.id) AS total,
                (SELECT count(*)::int FROM prescriptions.dispense d WHERE d.prescription_id = p.id) AS dispenses
         FROM prescriptions.prescription p WHERE id = $1`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    t = await startPrescriptions();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('two pharmacies dispensing the whole prescription at once: exactly one wins, the others are told it is completed', async () => {
    for (let round = 0; round < 5; round++) {
      const p = await t.prescribe({ quantity: 2 });
      const results = await Promise.all(Array.from({ length: 6 }, () => t.dispense(p.number, p.code, 2)));
      for (const r of results) expect(r.errors).toBeUndefined();
      const outcome = results.map((r) => codes(r.data!.dispensePrescription).join(',') || 'OK').sort();
      expect(outcome).toEqual([
        'OK',
        'PRESCRIPTION_COMPLETED',
        'PRESCRIPTION_COMPLETED',
        'PRESCRIPTION_COMPLETED',
        'PRESCRIPTION_COMPLETED',
        'PRESCRIPTION_COMPLETED',
      ]);
      expect(await row(p.id)).toEqual({ status: 'COMPLETED', dispensed: 2, total: 2, dispenses: 1 });
    }
  });

  it('partial dispenses at once never add up to more than prescribed', async () => {
    const p = await t.prescribe({ quantity: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, () => t.dispense(p.number, p.code, 1)));
    const ok = results.filter((r) => codes(r.data?.dispensePrescription).length === 0);
    expect(ok).toHaveLength(3);
    for (const r of results.filter((x) => !ok.includes(x))) expect(codes(r.data?.dispensePrescription)).toEqual(['PRESCRIPTION_COMPLETED']);
    expect(await row(p.id)).toEqual({ status: 'COMPLETED', dispensed: 3, total: 3, dispenses: 3 });

    const q = await t.prescribe({ quantity: 3 });
    const two = await Promise.all([t.dispense(q.number, q.code, 2), t.dispense(q.number, q.code, 2)]);
    expect(two.map((r) => codes(r.data?.dispensePrescription).join(',') || 'OK').sort()).toEqual(['OK', 'QUANTITY_EXCEEDS_REMAINING']);
    expect(await row(q.id)).toEqual({ status: 'ACTIVE', dispensed: 2, total: 2, dispenses: 1 });
  });

  it('expires ACTIVE prescriptions past their last day in batches, and nothing else', async () => {
    const past = await Promise.all([1, 2, 3, 4, 5].map(() => t.prescribe()));
    const lastDay = await t.prescribe();
    const completed = await t.prescribe({ quantity: 1 });
    await t.dispense(completed.number, completed.code, 1);
    const rejected = await t.prescribe();
    await t.reject(rejected.doctorId, rejected.id);
    const ids = [...past, completed, rejected].map((p) => p.id);
    await t.sg.dataSource.query(`UPDATE prescriptions.prescription SET valid_from = $2, valid_to = $3 WHERE id = ANY($1::uuid[])`, [
      ids,
      addDays(today, -40),
      addDays(today, -11),
    ]);
    await t.sg.dataSource.query(`UPDATE prescriptions.prescription SET valid_from = $2, valid_to = $3 WHERE id = $1`, [lastDay.id, addDays(today, -29), today]);
    expect(await expirePrescriptions(t.sg.dataSource, today, 2)).toBe(5);
    for (const p of past) expect((await row(p.id)).status).toBe('EXPIRED');
    expect((await row(lastDay.id)).status).toBe('ACTIVE');
    expect((await row(completed.id)).status).toBe('COMPLETED');
    expect((await row(rejected.id)).status).toBe('REJECTED');
    expect(await expirePrescriptions(t.sg.dataSource, today)).toBe(0);
    // The next day the last-day one goes too.
    expect(await expirePrescriptions(t.sg.dataSource, addDays(today, 1))).toBe(1);
    const dispense = await t.dispense(past[0].number, past[0].code, 1);
    expect(codes(dispense.data?.dispensePrescription)).toEqual(['PRESCRIPTION_EXPIRED']);
  });

  (onServer ? it : it.skip)('skips a prescription a dispense holds locked, and takes it on the next run', async () => {
    const p = await t.prescribe();
    await t.sg.dataSource.query(`UPDATE prescriptions.prescription SET valid_from = $2, valid_to = $3 WHERE id = $1`, [
      p.id,
      addDays(today, -40),
      addDays(today, -11),
    ]);
    const runner = t.sg.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT id FROM prescriptions.prescription WHERE id = $1 FOR UPDATE', [p.id]);
      expect(await expirePrescriptions(t.sg.dataSource, today)).toBe(0);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await expirePrescriptions(t.sg.dataSource, today)).toBe(1);
  });

  it('runs the expiry as a time-driven job of the subgraph', async () => {
    const { startSubgraph } = await import('@pc/testing');
    const { subgraph } = await import('../src/subgraph');
    const p = await t.prescribe();
    await t.sg.dataSource.query(`UPDATE prescriptions.prescription SET valid_from = $2, valid_to = $3 WHERE id = $1`, [
      p.id,
      addDays(today, -40),
      addDays(today, -11),
    ]);
    const withJob = await startSubgraph(subgraph, { databaseUrl: t.db.url, seed: false, config: { PRESCRIPTION_JOBS_INTERVAL_MS: 50 } });
    try {
      const deadline = Date.now() + 5000;
      while ((await row(p.id)).status !== 'EXPIRED' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await row(p.id)).status).toBe('EXPIRED');
    } finally {
      await withJob.stop();
    }
  });

  it('seeds the demo data once: a second run writes nothing', async () => {
    const log = { info: () => undefined } as never;
    await seedDemo(t.sg.dataSource, log);
    const count = async () =>
      Number(
        (await t.sg.dataSource.query(`SELECT (SELECT count(*) FROM prescriptions.prescription) + (SELECT count(*) FROM prescriptions.dispense) AS n`))[0].n,
      );
    const after = await count();
    await seedDemo(t.sg.dataSource, log);
    expect(await count()).toBe(after);
  });
});
