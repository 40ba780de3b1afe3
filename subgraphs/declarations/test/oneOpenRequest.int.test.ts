import { anonymous, patientCaller } from '@pc/testing';
import { codes, startDeclarations, type DeclarationsUnderTest, type RequestShape } from './support/startDeclarations';

// One open (NEW or APPROVED) request per person, whatever the doctor, and mutation answers that
// show the state their own transaction committed (docs/declarations.md). Meant for real
// PostgreSQL (TEST_DATABASE_URL), where the concurrent submissions really run at once.
describe('declarations: one open request per person', () => {
  let t: DeclarationsUnderTest;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => t.sg.dataSource.query(sql, params);

  interface Row {
    id: string;
    doctor_id: string;
    status: string;
    cancellation_reason: string | null;
    replaced_by: string | null;
  }
  const rowsOf = (personId: string) =>
    q<Row>(
      'SELECT id, doctor_id, status, cancellation_reason, replaced_by FROM declarations.declaration_request WHERE person_id = $1 ORDER BY created_at, id',
      [personId],
    );
  const openOf = async (personId: string) => (await rowsOf(personId)).filter((r) => r.status === 'NEW' || r.status === 'APPROVED');
  /** The newest counts published for a doctor: what the directory ends up with. */
  const lastPublished = async (doctorId: string) =>
    (
      await q<{ payload: { activeDeclarationCount: number; approvedRequestCount: number } }>(
        'SELECT payload FROM declarations.outbox WHERE message_key = $1 ORDER BY id DESC LIMIT 1',
        [doctorId],
      )
    )[0]?.payload;
  /** The counts as they are in the tables. */
  const trueCounts = async (doctorId: string) =>
    (
      await q<{ activeDeclarationCount: number; approvedRequestCount: number }>(
        `SELECT (SELECT count(*) FROM declarations.declaration WHERE doctor_id = $1 AND status IN ('ACTIVE', 'PENDING_VERIFICATION'))::int AS "activeDeclarationCount",
              (SELECT count(*) FROM declarations.declaration_request WHERE doctor_id = $1 AND status = 'APPROVED' AND expires_at > now())::int AS "approvedRequestCount"`,
        [doctorId],
      )
    )[0];
  const accepting = async (doctorId: string, declarationLimit: number) =>
    (
      await t.sg.call<{ _entities: { acceptingNewPatients: boolean }[] }>(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Doctor { acceptingNewPatients } } }',
        { r: [{ __typename: 'Doctor', id: doctorId, declarationLimit }] },
        anonymous(),
      )
    ).data!._entities[0].acceptingNewPatients;
  const submitted = (r: Awaited<ReturnType<DeclarationsUnderTest['submit']>>): RequestShape => {
    const req = r.data?.submitDeclarationRequest.declarationRequest;
    if (!req) throw new Error(`submit failed: ${JSON.stringify(r)}`);
    return req;
  };

  beforeAll(async () => {
    t = await startDeclarations();
    // Every committed version of every request row, with the transaction that wrote it (rolled
    // back writes leave nothing): what each mutation's own transaction committed, and who
    // changed a row later.
    await q(`CREATE SCHEMA test_audit`);
    await q(`CREATE TABLE test_audit.request_version (
      seq bigserial PRIMARY KEY, id uuid NOT NULL, person_id text NOT NULL, status text NOT NULL,
      cancellation_reason text, replaced_by uuid, op text NOT NULL, txid bigint NOT NULL DEFAULT txid_current())`);
    await q(`CREATE FUNCTION test_audit.log_request() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO test_audit.request_version (id, person_id, status, cancellation_reason, replaced_by, op)
        VALUES (NEW.id, NEW.person_id, NEW.status, NEW.cancellation_reason, NEW.replaced_by, TG_OP);
        RETURN NULL;
      END $$`);
    await q(`CREATE TRIGGER log_request AFTER INSERT OR UPDATE ON declarations.declaration_request
      FOR EACH ROW EXECUTE FUNCTION test_audit.log_request()`);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a request to doctor B cancels the open one to doctor A (auto_new_request, replaced_by), and A’s count drops', async () => {
    const p = t.owners.addPerson();
    const a = t.owners.addDoctor({ declarationLimit: 1 });
    const b = t.owners.addDoctor();
    const first = submitted(await t.submit(p.id, a.doctor.id, a.division.id));
    expect(first.status).toBe('APPROVED');
    // p's request holds A's only place.
    expect(await lastPublished(a.doctor.id)).toEqual(expect.objectContaining({ activeDeclarationCount: 0, approvedRequestCount: 1 }));
    expect(await accepting(a.doctor.id, 1)).toBe(false);
    expect(codes((await t.submit(t.owners.addPerson().id, a.doctor.id, a.division.id)).data?.submitDeclarationRequest)).toEqual(['DOCTOR_LIMIT_REACHED']);

    const second = submitted(await t.submit(p.id, b.doctor.id, b.division.id));
    expect(second.status).toBe('APPROVED');
    expect(await rowsOf(p.id)).toEqual([
      { id: first.id, doctor_id: a.doctor.id, status: 'CANCELLED', cancellation_reason: 'auto_new_request', replaced_by: second.id },
      { id: second.id, doctor_id: b.doctor.id, status: 'APPROVED', cancellation_reason: null, replaced_by: null },
    ]);
    // A's place is free again, in the table, for the limit and in what the directory hears.
    expect(await lastPublished(a.doctor.id)).toEqual(expect.objectContaining({ activeDeclarationCount: 0, approvedRequestCount: 0 }));
    expect(await lastPublished(b.doctor.id)).toEqual(expect.objectContaining({ activeDeclarationCount: 0, approvedRequestCount: 1 }));
    expect(await accepting(a.doctor.id, 1)).toBe(true);
    expect(submitted(await t.submit(t.owners.addPerson().id, a.doctor.id, a.division.id)).status).toBe('APPROVED');

    // The replaced request cannot be signed, and the answer says why it is not open.
    const sign = await t.sign(a.doctor.id, first.id);
    expect(codes(sign.data?.signDeclarationRequest)).toEqual(['REQUEST_NOT_APPROVED']);
    expect(sign.data?.signDeclarationRequest.declarationRequest?.status).toBe('CANCELLED');
    const mine = await t.sg.call<{ _entities: { declarationRequests: { id: string; status: string }[] }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { declarationRequests { id status } } } }',
      { r: [{ __typename: 'Person', id: p.id }] },
      patientCaller(p.id),
    );
    expect(mine.data!._entities[0].declarationRequests).toEqual([
      { id: second.id, status: 'APPROVED' },
      { id: first.id, status: 'CANCELLED' },
    ]);
  });

  it('a refused submission cancels nothing; the patient’s own cancellation is manual_person', async () => {
    const p = t.owners.addPerson();
    const a = t.owners.addDoctor();
    const full = t.owners.addDoctor({ declarationLimit: 0 });
    const open = submitted(await t.submit(p.id, a.doctor.id, a.division.id));
    expect(codes((await t.submit(p.id, full.doctor.id, full.division.id)).data?.submitDeclarationRequest)).toEqual(['DOCTOR_LIMIT_REACHED']);
    expect((await openOf(p.id)).map((r) => r.id)).toEqual([open.id]);
    expect((await t.cancel(p.id, open.id)).data?.cancelDeclarationRequest.declarationRequest?.status).toBe('CANCELLED');
    expect(await rowsOf(p.id)).toEqual([{ id: open.id, doctor_id: a.doctor.id, status: 'CANCELLED', cancellation_reason: 'manual_person', replaced_by: null }]);
    expect(await lastPublished(a.doctor.id)).toEqual(expect.objectContaining({ approvedRequestCount: 0 }));
  });

  it('the partial unique index refuses a second open request for a person, whatever the code does', async () => {
    const p = t.owners.addPerson();
    const { doctor, division } = t.owners.addDoctor();
    submitted(await t.submit(p.id, doctor.id, division.id));
    const insert = (status: string) =>
      q(
        `INSERT INTO declarations.declaration_request (id, person_id, doctor_id, division_id, status, expires_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, now() + interval '1 day')`,
        [p.id, t.owners.addDoctor().doctor.id, division.id, status],
      );
    await expect(insert('APPROVED')).rejects.toThrow(/declaration_request_one_open_per_person/);
    await expect(insert('NEW')).rejects.toThrow(/declaration_request_one_open_per_person/);
    await expect(insert('CANCELLED')).resolves.toBeDefined();
  });

  it('a request cancelled by a newer one while its doctor signs it: the answer shows the committed CANCELLED, not the APPROVED read before', async () => {
    const p = t.owners.addPerson();
    const a = t.owners.addDoctor();
    const b = t.owners.addDoctor();
    const first = submitted(await t.submit(p.id, a.doctor.id, a.division.id));
    let second: RequestShape | undefined;
    // Between the signing's first look at the request (APPROVED) and its transaction, the
    // patient submits to doctor B.
    t.owners.hooks.personRead = async () => {
      delete t.owners.hooks.personRead;
      second = submitted(await t.submit(p.id, b.doctor.id, b.division.id));
    };
    try {
      const sign = await t.sign(a.doctor.id, first.id);
      expect(codes(sign.data?.signDeclarationRequest)).toEqual(['REQUEST_NOT_APPROVED']);
      expect(sign.data?.signDeclarationRequest.declarationRequest).toMatchObject({ id: first.id, status: 'CANCELLED', declaration: null });
    } finally {
      delete t.owners.hooks.personRead;
    }
    expect(second?.status).toBe('APPROVED');
    expect((await openOf(p.id)).map((r) => r.id)).toEqual([second!.id]);
    expect(Number((await q<{ n: string }>('SELECT count(*) AS n FROM declarations.declaration WHERE person_id = $1', [p.id]))[0].n)).toBe(0);
  });

  describe.each([
    ['the same doctor', 1],
    ['50 different doctors', 50],
    ['5 doctors', 5],
  ])('one person submitting 50 times at once, to %s', (_what, doctorCount) => {
    it('leaves exactly one open request; every answer is what its transaction committed, and every later change of its row is the cancellation by a later submission of that person', async () => {
      const p = t.owners.addPerson();
      const doctors = Array.from({ length: doctorCount }, () => t.owners.addDoctor({ declarationLimit: 2 }));
      // Each doctor's list already holds one other patient: one place left, which the person may take.
      for (const d of doctors) submitted(await t.submit(t.owners.addPerson().id, d.doctor.id, d.division.id));
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => doctors[i % doctorCount]).map((d) => t.submit(p.id, d.doctor.id, d.division.id)),
      );
      expect(responses.map((r) => r.errors ?? codes(r.data?.submitDeclarationRequest))).toEqual(responses.map(() => []));
      const answered = responses.map(submitted);
      const ids = answered.map((r) => r.id);

      const rows = await rowsOf(p.id);
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      const open = rows.filter((r) => r.status === 'NEW' || r.status === 'APPROVED');
      expect(open).toHaveLength(1);
      const rowById = new Map(rows.map((r) => [r.id, r]));

      // What each request's own (inserting) transaction committed, and what later transactions did to it.
      const versions = await q<{
        seq: string;
        id: string;
        status: string;
        cancellation_reason: string | null;
        replaced_by: string | null;
        op: string;
        txid: string;
      }>('SELECT seq, id, status, cancellation_reason, replaced_by, op, txid FROM test_audit.request_version WHERE person_id = $1 ORDER BY seq', [p.id]);
      const insertedBy = new Map(versions.filter((v) => v.op === 'INSERT').map((v) => [v.id, v.txid]));
      const submittedBy = new Map([...insertedBy].map(([id, txid]) => [txid, id]));
      let approvedButCancelled = 0;
      for (const answer of answered) {
        const mine = versions.filter((v) => v.id === answer.id);
        const own = mine.filter((v) => v.txid === insertedBy.get(answer.id));
        // The answer is the row as its own transaction committed it.
        expect({ id: answer.id, status: answer.status }).toEqual({ id: answer.id, status: own.at(-1)!.status });
        expect(answer.status).toBe('APPROVED');
        // Any later change is one cancellation, by the transaction that submitted the request it names.
        const later = mine.filter((v) => v.txid !== insertedBy.get(answer.id));
        if (rowById.get(answer.id)!.status === 'APPROVED') {
          expect(later).toEqual([]);
        } else {
          approvedButCancelled++;
          expect(later).toHaveLength(1);
          expect(later[0]).toMatchObject({ status: 'CANCELLED', cancellation_reason: 'auto_new_request' });
          expect(submittedBy.get(later[0].txid)).toBe(later[0].replaced_by);
          expect(ids).toContain(later[0].replaced_by);
          // …which was submitted after this one (the person lock serialises them).
          const seqOf = (id: string) => Number(versions.find((v) => v.id === id && v.op === 'INSERT')!.seq);
          expect(seqOf(later[0].replaced_by!)).toBeGreaterThan(seqOf(answer.id));
        }
      }
      expect(approvedButCancelled).toBe(49);
      // The replacements form one chain through all 50, ending at the open request: the
      // submissions ran one after the other, each replacing the one before.
      const replacedBy = new Map(rows.filter((r) => r.replaced_by).map((r) => [r.replaced_by!, r.id]));
      expect(replacedBy.size).toBe(49);
      const chain = [open[0].id];
      while (replacedBy.has(chain.at(-1)!)) chain.push(replacedBy.get(chain.at(-1)!)!);
      expect(new Set(chain).size).toBe(50);

      // Every doctor's last published count is the true one: one other patient each, plus the
      // person's request at exactly one doctor.
      for (const d of doctors) {
        const expected = { activeDeclarationCount: 0, approvedRequestCount: d.doctor.id === open[0].doctor_id ? 2 : 1 };
        expect(await trueCounts(d.doctor.id)).toEqual(expected);
        expect(await lastPublished(d.doctor.id)).toEqual(expect.objectContaining(expected));
        expect(await accepting(d.doctor.id, 2)).toBe(d.doctor.id !== open[0].doctor_id);
      }
    });
  });
});
