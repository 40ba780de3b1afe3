import { codes, startDeclarations, type DeclarationsUnderTest } from './support/startDeclarations';

// Race safety, meant for real PostgreSQL (TEST_DATABASE_URL), where the requests below really
// run at once; on the embedded database they are serialised and the same assertions hold.
describe('declarations: races', () => {
  let t: DeclarationsUnderTest;

  beforeAll(async () => {
    t = await startDeclarations();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('50 patients signing up at once with a doctor one place below the limit: exactly one declaration', async () => {
    const { doctor, division } = t.owners.addDoctor({ declarationLimit: 11 });
    for (let i = 0; i < 10; i++) await t.declare(t.owners.addPerson().id, doctor.id, division.id);
    const patients = Array.from({ length: 50 }, () => t.owners.addPerson());
    // Each patient submits and, if approved, the doctor signs at once: 50 flows in parallel.
    const outcomes = await Promise.all(
      patients.map(async (p) => {
        const s = await t.submit(p.id, doctor.id, division.id);
        const req = s.data?.submitDeclarationRequest.declarationRequest;
        if (!req) return codes(s.data?.submitDeclarationRequest).join() || JSON.stringify(s.errors);
        const g = await t.sign(doctor.id, req.id);
        return g.data?.signDeclarationRequest.declarationRequest?.declaration ? 'SIGNED' : codes(g.data?.signDeclarationRequest).join();
      }),
    );
    expect(outcomes.filter((o) => o === 'SIGNED')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'SIGNED').every((o) => o === 'DOCTOR_LIMIT_REACHED')).toBe(true);
    const [row] = await t.sg.dataSource.query(
      `SELECT (SELECT count(*) FROM declarations.declaration WHERE doctor_id = $1 AND status IN ('ACTIVE', 'PENDING_VERIFICATION'))::int AS declarations,
              (SELECT count(*) FROM declarations.declaration_request WHERE doctor_id = $1 AND status = 'APPROVED')::int AS approved`,
      [doctor.id],
    );
    expect(row).toEqual({ declarations: 11, approved: 0 });
  });

  it('50 requests already approved, signed at once while the limit leaves room for all of them: none lost, none doubled', async () => {
    const { doctor, division } = t.owners.addDoctor({ declarationLimit: 60 });
    const requests = [];
    for (let i = 0; i < 50; i++) {
      const p = t.owners.addPerson();
      requests.push((await t.submit(p.id, doctor.id, division.id)).data!.submitDeclarationRequest.declarationRequest!);
    }
    const signed = await Promise.all(requests.map((r) => t.sign(doctor.id, r.id)));
    expect(signed.filter((g) => g.data?.signDeclarationRequest.declarationRequest?.status === 'SIGNED')).toHaveLength(50);
    const numbers: { number: string }[] = await t.sg.dataSource.query('SELECT number FROM declarations.declaration WHERE doctor_id = $1', [doctor.id]);
    expect(new Set(numbers.map((n) => n.number)).size).toBe(50);
  });

  // With one open request per person, two doctors can no longer sign for one person at once;
  // what can race is a signing with the person's next submission, or the same request signed twice.
  it('a person’s new submission racing the doctor’s signing of their open request: one of them wins, and both answers are what committed', async () => {
    // Which one wins is up to the scheduler; each round checks the outcome it got.
    for (let round = 0; round < 6; round++) {
      const p = t.owners.addPerson();
      const a = t.owners.addDoctor();
      const b = t.owners.addDoctor();
      const ra = (await t.submit(p.id, a.doctor.id, a.division.id)).data!.submitDeclarationRequest.declarationRequest!;
      const [g, s] = await Promise.all([t.sign(a.doctor.id, ra.id), t.submit(p.id, b.doctor.id, b.division.id)]);
      expect([g.errors, s.errors]).toEqual([undefined, undefined]);
      const rb = s.data!.submitDeclarationRequest.declarationRequest!;
      expect(rb.status).toBe('APPROVED');
      const rows: { id: string; status: string; replaced_by: string | null }[] = await t.sg.dataSource.query(
        'SELECT id, status, replaced_by FROM declarations.declaration_request WHERE person_id = $1',
        [p.id],
      );
      const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
      const declarations: { status: string }[] = await t.sg.dataSource.query('SELECT status FROM declarations.declaration WHERE person_id = $1', [p.id]);
      const signed = g.data!.signDeclarationRequest;
      if (codes(signed).length === 0) {
        expect(signed.declarationRequest).toMatchObject({ status: 'SIGNED', declaration: { status: 'ACTIVE' } });
        expect(status).toEqual({ [ra.id]: 'SIGNED', [rb.id]: 'APPROVED' });
        expect(declarations).toEqual([{ status: 'ACTIVE' }]);
      } else {
        expect(codes(signed)).toEqual(['REQUEST_NOT_APPROVED']);
        expect(signed.declarationRequest).toMatchObject({ id: ra.id, status: 'CANCELLED', declaration: null });
        expect(status).toEqual({ [ra.id]: 'CANCELLED', [rb.id]: 'APPROVED' });
        expect(rows.find((r) => r.id === ra.id)!.replaced_by).toBe(rb.id);
        expect(declarations).toEqual([]);
      }
    }
  });

  it('the same request signed twice at once while the person has a declaration: one new ACTIVE declaration, the previous TERMINATED', async () => {
    for (let round = 0; round < 5; round++) {
      const p = t.owners.addPerson();
      const a = t.owners.addDoctor();
      const b = t.owners.addDoctor();
      await t.declare(p.id, a.doctor.id, a.division.id);
      const rb = (await t.submit(p.id, b.doctor.id, b.division.id)).data!.submitDeclarationRequest.declarationRequest!;
      const answers = await Promise.all([t.sign(b.doctor.id, rb.id), t.sign(b.doctor.id, rb.id)]);
      expect(answers.map((g) => g.errors)).toEqual([undefined, undefined]);
      expect(answers.map((g) => codes(g.data?.signDeclarationRequest)).sort()).toEqual([[], ['REQUEST_NOT_APPROVED']]);
      // Both answers show the committed SIGNED: the loser reads the row after its rollback.
      expect(answers.map((g) => g.data!.signDeclarationRequest.declarationRequest!.status)).toEqual(['SIGNED', 'SIGNED']);
      const rows: { doctor_id: string; status: string }[] = await t.sg.dataSource.query(
        'SELECT doctor_id, status FROM declarations.declaration WHERE person_id = $1 ORDER BY status',
        [p.id],
      );
      expect(rows).toEqual([
        { doctor_id: b.doctor.id, status: 'ACTIVE' },
        { doctor_id: a.doctor.id, status: 'TERMINATED' },
      ]);
    }
  });

  it('the partial unique index refuses a second current declaration for a person, whatever the code does', async () => {
    const p = t.owners.addPerson();
    const { doctor, division } = t.owners.addDoctor();
    await t.declare(p.id, doctor.id, division.id);
    const insert = (status: string) =>
      t.sg.dataSource.query(
        `INSERT INTO declarations.declaration (id, number, person_id, doctor_id, division_id, speciality, status, start_date, end_date, signed_at)
         VALUES (gen_random_uuid(), 'manual-' || gen_random_uuid(), $1, $2, $3, 'FAMILY_DOCTOR', $4, current_date, current_date + 365, now())`,
        [p.id, doctor.id, division.id, status],
      );
    await expect(insert('ACTIVE')).rejects.toThrow(/declaration_one_current_per_person/);
    await expect(insert('PENDING_VERIFICATION')).rejects.toThrow(/declaration_one_current_per_person/);
    await expect(insert('TERMINATED')).resolves.toBeDefined();
  });
});
