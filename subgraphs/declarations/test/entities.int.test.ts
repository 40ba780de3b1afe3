import { randomUUID } from 'node:crypto';
import { anonymous, doctorCaller, patientCaller, serviceCaller } from '@pc/testing';
import { startDeclarations, type DeclarationsUnderTest } from './support/startDeclarations';

const PERSONS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person {
  id
  declarations { id number status startDate signedAt person { id } doctor { id } division { id } declarationRequest { id status } }
  terminated: declarations(status: [TERMINATED]) { id }
  activeDeclaration { id status }
  declarationRequests { id status declaration { id } }
} } }`;

interface PersonOut {
  id: string;
  declarations: { id: string; status: string; signedAt: string }[];
  terminated: { id: string }[];
  activeDeclaration: { id: string; status: string } | null;
  declarationRequests: { id: string; status: string; declaration: { id: string } | null }[];
}

describe('declarations: entity resolution and reads', () => {
  let t: DeclarationsUnderTest;
  const persons = Array.from({ length: 100 }, () => randomUUID());
  const doctors = Array.from({ length: 100 }, () => randomUUID());

  beforeAll(async () => {
    t = await startDeclarations();
    // Each person: an older TERMINATED and a newer ACTIVE declaration, each from a SIGNED request,
    // plus one APPROVED request (written directly: this file is about reading).
    await t.sg.dataSource.query(
      `WITH p AS (SELECT person_id, ord, $2::text[] AS doctors FROM unnest($1::text[]) WITH ORDINALITY AS x(person_id, ord)),
       r AS (
         INSERT INTO declarations.declaration_request (id, person_id, doctor_id, division_id, status, expires_at, created_at)
         SELECT gen_random_uuid(), person_id, doctors[1 + (ord + k) % 100], 'div', CASE WHEN k = 2 THEN 'APPROVED' ELSE 'SIGNED' END,
                now() + interval '1 day', now() - make_interval(days => 10 - k)
         FROM p CROSS JOIN generate_series(0, 2) AS k
         RETURNING id, person_id, doctor_id, status, created_at)
       INSERT INTO declarations.declaration (id, number, declaration_request_id, person_id, doctor_id, division_id, speciality, status, start_date, end_date, signed_at)
       SELECT gen_random_uuid(), 'N-' || r.id, r.id, r.person_id, r.doctor_id, 'div', 'FAMILY_DOCTOR',
              CASE WHEN r.created_at < now() - interval '9 days' THEN 'TERMINATED' ELSE 'ACTIVE' END,
              r.created_at::date, r.created_at::date + 365, r.created_at
       FROM r WHERE r.status = 'SIGNED'`,
      [persons, doctors],
    );
    // The stored counts the write paths keep (publishCounts), which the public reads serve.
    await t.sg.dataSource.query(
      `INSERT INTO declarations.doctor_list (doctor_id, declarations)
       SELECT doctor_id, count(*)::int FROM declarations.declaration WHERE status IN ('ACTIVE', 'PENDING_VERIFICATION') GROUP BY doctor_id`,
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('resolves Person.declarations, activeDeclaration and declarationRequests for 100 people in a constant number of statements', async () => {
    const run = async (ids: string[]) => {
      t.sg.counter.reset();
      const r = await t.sg.call<{ _entities: PersonOut[] }>(PERSONS, { r: ids.map((id) => ({ __typename: 'Person', id })) }, serviceCaller('gateway'));
      expect(r.errors).toBeUndefined();
      return { data: r.data!._entities, statements: t.sg.counter.count };
    };
    const few = await run(persons.slice(0, 10));
    const all = await run(persons);
    expect(all.statements).toBe(few.statements);
    expect(all.statements).toBeLessThanOrEqual(5);
    const p = all.data[0];
    expect(p.declarations.map((d) => d.status)).toEqual(['ACTIVE', 'TERMINATED']); // newest first
    expect(Date.parse(p.declarations[0].signedAt)).toBeGreaterThan(Date.parse(p.declarations[1].signedAt));
    expect(p.terminated).toEqual([{ id: p.declarations[1].id }]);
    expect(p.activeDeclaration).toEqual({ id: p.declarations[0].id, status: 'ACTIVE' });
    expect(p.declarationRequests.map((r) => r.status)).toEqual(['APPROVED', 'SIGNED', 'SIGNED']);
    expect(p.declarationRequests[0].declaration).toBeNull();
    expect(p.declarationRequests[1].declaration).toEqual({ id: p.declarations[0].id });
  });

  it('counts 100 doctors’ lists in one statement, and accepts patients only below the limit', async () => {
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Doctor { id activeDeclarationCount acceptingNewPatients } } }`;
    t.sg.counter.reset();
    const r = await t.sg.call<{ _entities: { id: string; activeDeclarationCount: number; acceptingNewPatients: boolean }[] }>(
      q,
      { r: doctors.map((id) => ({ __typename: 'Doctor', id, declarationLimit: 2 })) },
      anonymous(),
    );
    expect(r.errors).toBeUndefined();
    expect(t.sg.counter.count).toBe(1);
    // The stored counts, one row per doctor: the declaration table is not read.
    expect(t.sg.counter.statements[0]).toContain('declarations.doctor_list');
    expect(t.sg.counter.statements[0]).not.toMatch(/declarations\.declaration\b(?!_)/);
    // Every doctor holds one ACTIVE declaration and one APPROVED request: 2 places of 2.
    expect(r.data!._entities.every((d) => d.activeDeclarationCount === 1 && !d.acceptingNewPatients)).toBe(true);
    const roomy = await t.sg.call<{ _entities: { acceptingNewPatients: boolean }[] }>(
      q,
      { r: [{ __typename: 'Doctor', id: doctors[0], declarationLimit: 3 }] },
      anonymous(),
    );
    expect(roomy.data!._entities[0].acceptingNewPatients).toBe(true);
  });

  it('shows a person’s declarations to that person and to services only', async () => {
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id declarations { id } } } }`;
    const r = [{ __typename: 'Person', id: persons[0] }];
    expect((await t.sg.call(q, { r }, patientCaller(persons[0]))).errors).toBeUndefined();
    expect((await t.sg.call(q, { r }, patientCaller(persons[1]))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.sg.call(q, { r }, patientCaller(persons[0], { scopes: ['person:read'] }))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.sg.call(q, { r }, doctorCaller(doctors[0]))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.sg.call(q, { r }, anonymous())).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('resolves a Declaration reference for its patient and its doctor, and nobody else', async () => {
    const [d]: { id: string; person_id: string; doctor_id: string }[] = await t.sg.dataSource.query(
      `SELECT id, person_id, doctor_id FROM declarations.declaration WHERE status = 'ACTIVE' LIMIT 1`,
    );
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Declaration { id } } }`;
    const r = [{ __typename: 'Declaration', id: d.id }];
    const seen = async (caller: Parameters<typeof t.sg.call>[2]) =>
      (await t.sg.call<{ _entities: ({ id: string } | null)[] }>(q, { r }, caller)).data?._entities[0];
    expect(await seen(patientCaller(d.person_id))).toEqual({ id: d.id });
    expect(await seen(doctorCaller(d.doctor_id))).toEqual({ id: d.id });
    expect(await seen(patientCaller(randomUUID()))).toBeNull();
    expect(await seen(doctorCaller(randomUUID()))).toBeNull();
  });
});
