/**
 * The count of a doctor's current declarations stored in `doctor_list.declarations`
 * (docs/declarations.md, "Doctor counts"): every write path stores a fresh count in the
 * transaction that changed the list, and the public reads serve it in one statement without
 * counting the list.
 */
import { addDays, todayIn } from '@pc/calendar';
import { DEMO_PERSONAS } from '@pc/demo';
import { deterministicUuid } from '@pc/fixtures';
import { createLogger } from '@pc/logging';
import { anonymous } from '@pc/testing';
import { closeDeclarations, expireRequests } from '../src/jobs/timeDrivenTransitions';
import { seedDemo } from '../src/seed/seedDemo';
import { startDeclarations, type DeclarationsUnderTest } from './support/startDeclarations';

const log = createLogger({ service: 'test', level: 'silent' });
const today = todayIn('Europe/Kyiv');
const DOCTORS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Doctor { id activeDeclarationCount acceptingNewPatients } } }`;
/** The declaration table itself (not declaration_request): the public read must not touch it. */
const DECLARATION_TABLE = /declarations\.declaration\b(?!_)/;

describe('declarations: the stored count of a doctor’s declarations', () => {
  let t: DeclarationsUnderTest;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => t.sg.dataSource.query(sql, params);
  /** The doctor's stored count and a live count of the table. */
  const counts = async (doctorId: string) =>
    (
      await q<{ stored: number | null; live: number }>(
        `SELECT (SELECT declarations FROM declarations.doctor_list WHERE doctor_id = $1) AS stored,
                (SELECT count(*) FROM declarations.declaration WHERE doctor_id = $1 AND status IN ('ACTIVE', 'PENDING_VERIFICATION'))::int AS live`,
        [doctorId],
      )
    )[0];
  /** Every doctor whose stored count differs from a live count (a doctor with declarations and no row counts as stored 0). */
  const drift = () =>
    q<{ doctor_id: string; stored: number; live: number }>(
      `SELECT coalesce(l.doctor_id, c.doctor_id) AS doctor_id, coalesce(l.declarations, 0) AS stored, coalesce(c.n, 0) AS live
       FROM declarations.doctor_list l
       FULL JOIN (SELECT doctor_id, count(*)::int AS n FROM declarations.declaration
                  WHERE status IN ('ACTIVE', 'PENDING_VERIFICATION') GROUP BY doctor_id) c ON c.doctor_id = l.doctor_id
       WHERE coalesce(l.declarations, 0) <> coalesce(c.n, 0)`,
    );
  const read = async (doctors: { id: string; declarationLimit: number }[]) => {
    const { result, statements, sql } = await t.sg.counter.measure(() =>
      t.sg.call<{ _entities: { id: string; activeDeclarationCount: number; acceptingNewPatients: boolean }[] }>(
        DOCTORS,
        { r: doctors.map((d) => ({ __typename: 'Doctor', ...d })) },
        anonymous(),
      ),
    );
    expect(result.errors).toBeUndefined();
    return { doctors: result.data!._entities, statements, sql };
  };

  beforeAll(async () => {
    t = await startDeclarations();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('sign, terminate, re-signing elsewhere, submit, cancel and reject store the live count in the transaction', async () => {
    const a = t.owners.addDoctor();
    const b = t.owners.addDoctor();
    const p1 = t.owners.addPerson();
    // OFFLINE authentication: the declaration is PENDING_VERIFICATION, which holds a place too.
    const p2 = t.owners.addPerson({ authenticationMethod: 'OFFLINE' });

    const d1 = await t.declare(p1.id, a.doctor.id, a.division.id);
    expect(await counts(a.doctor.id)).toEqual({ stored: 1, live: 1 });
    const d2 = await t.declare(p2.id, a.doctor.id, a.division.id);
    expect(await counts(a.doctor.id)).toEqual({ stored: 2, live: 2 });
    expect((await q<{ status: string }>('SELECT status FROM declarations.declaration WHERE id = $1', [d2]))[0].status).toBe('PENDING_VERIFICATION');

    // Signing with another doctor terminates the declaration with the first (auto_new_declaration): both lists change.
    await t.declare(p1.id, b.doctor.id, b.division.id);
    expect((await q<{ status: string }>('SELECT status FROM declarations.declaration WHERE id = $1', [d1]))[0].status).toBe('TERMINATED');
    expect(await counts(a.doctor.id)).toEqual({ stored: 1, live: 1 });
    expect(await counts(b.doctor.id)).toEqual({ stored: 1, live: 1 });

    const terminated = await t.terminate(p2.id, d2);
    expect(terminated.data!.terminateDeclaration.userErrors).toEqual([]);
    expect(await counts(a.doctor.id)).toEqual({ stored: 0, live: 0 });

    // Request changes leave the declarations as they are and the stored count equal to them.
    const p3 = t.owners.addPerson();
    const r1 = (await t.submit(p3.id, b.doctor.id, b.division.id)).data!.submitDeclarationRequest.declarationRequest!;
    await t.cancel(p3.id, r1.id);
    const r2 = (await t.submit(p3.id, b.doctor.id, b.division.id)).data!.submitDeclarationRequest.declarationRequest!;
    await t.reject(b.doctor.id, r2.id);
    expect(await counts(b.doctor.id)).toEqual({ stored: 1, live: 1 });
    expect(await drift()).toEqual([]);
  });

  it('the time-driven transitions store the count: closing declarations lowers it, expiring requests frees places counted live', async () => {
    const { doctor, division } = t.owners.addDoctor({ declarationLimit: 3 });
    const ended = await t.declare(t.owners.addPerson().id, doctor.id, division.id);
    await t.declare(t.owners.addPerson().id, doctor.id, division.id);
    const request = (await t.submit(t.owners.addPerson().id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!;
    expect((await read([{ id: doctor.id, declarationLimit: 3 }])).doctors[0]).toMatchObject({ activeDeclarationCount: 2, acceptingNewPatients: false });

    await q(`UPDATE declarations.declaration SET start_date = $2::date - 400, end_date = $2::date - 1 WHERE id = $1`, [ended, today]);
    expect((await closeDeclarations(t.sg.dataSource, today)).changed).toBe(1);
    expect(await counts(doctor.id)).toEqual({ stored: 1, live: 1 });
    expect((await read([{ id: doctor.id, declarationLimit: 2 }])).doctors[0]).toMatchObject({ activeDeclarationCount: 1, acceptingNewPatients: false });

    await q(`UPDATE declarations.declaration_request SET expires_at = now() - interval '1 second' WHERE id = $1`, [request.id]);
    expect((await expireRequests(t.sg.dataSource)).changed).toBe(1);
    expect(await counts(doctor.id)).toEqual({ stored: 1, live: 1 });
    expect((await read([{ id: doctor.id, declarationLimit: 2 }])).doctors[0]).toMatchObject({ activeDeclarationCount: 1, acceptingNewPatients: true });

    // A year on, the other one has ended too.
    expect((await closeDeclarations(t.sg.dataSource, addDays(today, 366))).changed).toBeGreaterThanOrEqual(1);
    expect(await counts(doctor.id)).toEqual({ stored: 0, live: 0 });
    expect(await drift()).toEqual([]);
  });

  it('the demo seed stores the demo doctor’s count, and a second run changes nothing', async () => {
    const demoDoctor = DEMO_PERSONAS.doctor.id;
    const dismissed = deterministicUuid('demo-directory', 12);
    await seedDemo(t.sg.dataSource, log);
    expect(await counts(demoDoctor)).toEqual({ stored: 1, live: 1 });
    expect(await counts(dismissed)).toEqual({ stored: 0, live: 0 });
    await seedDemo(t.sg.dataSource, log);
    expect(await counts(demoDoctor)).toEqual({ stored: 1, live: 1 });
    expect(await drift()).toEqual([]);
  });

  it('a page of doctors reads the stored count in one statement that does not touch the declaration table', async () => {
    const doctors = Array.from({ length: 19 }, () => t.owners.addDoctor().doctor);
    const full = t.owners.addDoctor({ declarationLimit: 1800 });
    await t.declare(t.owners.addPerson().id, full.doctor.id, full.division.id);
    await t.submit(t.owners.addPerson().id, full.doctor.id, full.division.id);
    const page = [...doctors, full.doctor].map((d) => ({ id: d.id, declarationLimit: 1800 }));

    const before = await read(page);
    expect(before.statements).toBe(1);
    expect(before.sql[0]).toContain('declarations.doctor_list');
    expect(before.sql[0]).not.toMatch(DECLARATION_TABLE);
    // Doctors without a list row: 0 places taken.
    expect(before.doctors.slice(0, 19).every((d) => d.activeDeclarationCount === 0 && d.acceptingNewPatients)).toBe(true);
    expect(before.doctors[19]).toEqual({ id: full.doctor.id, activeDeclarationCount: 1, acceptingNewPatients: true });

    // What the read serves is the stored number, not a count: 1,799 stored + 1 approved request = 1,800 of 1,800.
    await q('UPDATE declarations.doctor_list SET declarations = 1799 WHERE doctor_id = $1', [full.doctor.id]);
    try {
      expect((await read(page)).doctors[19]).toEqual({ id: full.doctor.id, activeDeclarationCount: 1799, acceptingNewPatients: false });
    } finally {
      await q('UPDATE declarations.doctor_list SET declarations = 1 WHERE doctor_id = $1', [full.doctor.id]);
    }
    // The limit check at submission still counts live (1 declaration + 1 request of 1,800): the next patient is accepted.
    await q('UPDATE declarations.doctor_list SET declarations = 1799 WHERE doctor_id = $1', [full.doctor.id]);
    const next = await t.submit(t.owners.addPerson().id, full.doctor.id, full.division.id);
    expect(next.data!.submitDeclarationRequest.userErrors).toEqual([]);
    // … and stores the true count again (a full recount, never an increment).
    expect(await counts(full.doctor.id)).toEqual({ stored: 1, live: 1 });
  });
});
