import { randomUUID } from 'node:crypto';
import { startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { PRESCRIPTION_NUMBER_PATTERN } from '../src/domain/prescriptionNumber';
import { seedNationalPrescriptions } from '../src/seed/generateNational';
import { subgraph } from '../src/subgraph';

// The national generator on a small scale: the same statements as for millions of people.
describe('prescriptions: national generator', () => {
  let db: TestDatabase;
  let sg: RunningSubgraph;
  const persons = Array.from({ length: 400 }, () => randomUUID());
  const prescribers = Array.from({ length: 7 }, () => ({ doctorId: randomUUID(), divisionId: randomUUID(), legalEntityId: randomUUID() }));

  beforeAll(async () => {
    db = await startTestDatabase();
    sg = await startSubgraph(subgraph, { databaseUrl: db.url, seed: false, jobs: false });
  });
  afterAll(async () => {
    await sg?.stop();
    await db?.stop();
  });

  it('writes about 2.5 prescriptions per person in every status, numbers unique and well formed, completed ones fully dispensed; a rerun adds nothing', async () => {
    const first = await seedNationalPrescriptions(sg.dataSource, { persons, prescribers, batch: 150 });
    expect(first.prescriptions).toBeGreaterThan(persons.length * 2);
    expect(first.prescriptions).toBeLessThan(persons.length * 3);
    const q = (sql: string) => sg.dataSource.query(sql);
    const statuses: { status: string; n: string }[] = await q('SELECT status, count(*) AS n FROM prescriptions.prescription GROUP BY status');
    expect(statuses.map((s) => s.status).sort()).toEqual(['ACTIVE', 'COMPLETED', 'EXPIRED', 'REJECTED']);
    const numbers: { number: string }[] = await q('SELECT number FROM prescriptions.prescription');
    expect(new Set(numbers.map((n) => n.number)).size).toBe(numbers.length);
    expect(numbers.every((n) => PRESCRIPTION_NUMBER_PATTERN.test(n.number))).toBe(true);
    const [{ bad }] = await q(`SELECT count(*)::int AS bad FROM prescriptions.prescription p
      WHERE status = 'COMPLETED' AND quantity <> (SELECT coalesce(sum(quantity), 0) FROM prescriptions.dispense d WHERE d.prescription_id = p.id)`);
    expect(bad).toBe(0);
    const [{ live }] = await q(`SELECT count(*)::int AS live FROM prescriptions.prescription WHERE status = 'ACTIVE' AND valid_to < current_date`);
    expect(live).toBe(0);
    const [{ strangers }] = await sg.dataSource.query(
      `SELECT count(*)::int AS strangers FROM prescriptions.prescription WHERE NOT (prescriber_id = ANY($1::uuid[])) OR NOT (person_id = ANY($2::uuid[]))`,
      [prescribers.map((p) => p.doctorId), persons],
    );
    expect(strangers).toBe(0);
    expect(await seedNationalPrescriptions(sg.dataSource, { persons, prescribers })).toEqual(first);
  });
});
