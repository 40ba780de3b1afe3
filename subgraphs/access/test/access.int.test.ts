import { randomUUID } from 'node:crypto';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { doctorCaller, patientCaller, serviceCaller, useSubgraph } from '@pc/testing';
import { AccessGrant } from '../src/entities/AccessGrant';
import { AccessLogEntry } from '../src/entities/AccessLogEntry';
import { subgraph } from '../src/subgraph';

const P = DEMO_PERSONAS.patient.id;
const O = DEMO_PERSONAS.other.id;
const GRANTS = `query($r: [_Any!]!, $s: [AccessGrantStatus!], $n: String) { _entities(representations: $r) { ... on Person { id accessGrants(status: $s, cabinetName: $n) { id scopes status grantedAt revokedAt expiresAt cabinet { id name kind website } } } } }`;
const LOG = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on Person { accessLog(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id at action resource operationName cabinet { id name } } } } } } }`;
const REVOKE = `mutation($id: ID!) { revokeAccessGrant(input: { id: $id }) { accessGrant { id status revokedAt } userErrors { field code message } } }`;
const GRANT = `mutation($i: GrantAccessInput!) { grantAccess(input: $i) { accessGrant { id scopes status grantedAt expiresAt } userErrors { field code message } } }`;
const person = (id: string) => [{ __typename: 'Person', id }];

type Grant = {
  id: string;
  scopes: string[];
  status: string;
  grantedAt: string;
  revokedAt: string | null;
  expiresAt: string | null;
  cabinet: { id: string; name: string; kind: string };
};
type GrantsResult = { _entities: { accessGrants: Grant[] }[] };
type LogResult = {
  _entities: {
    accessLog: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: {
        cursor: string;
        node: { id: string; at: string; action: string; resource: string; operationName: string | null; cabinet: { id: string; name: string } | null };
      }[];
    };
  }[];
};
type GrantPayload = {
  grantAccess: {
    accessGrant: { id: string; scopes: string[]; status: string; grantedAt: string; expiresAt: string | null } | null;
    userErrors: { field: string[]; code: string }[];
  };
};

describe('access subgraph (one subgraph on a real database)', () => {
  const sg = useSubgraph(subgraph);

  const grantsOf = async (id: string, caller = patientCaller(id), status?: string[], n?: string) => {
    const r = await sg.call<GrantsResult>(GRANTS, { r: person(id), s: status, n }, caller);
    return r;
  };

  it('lists the demo patient’s three active grants, with cabinets, to the patient only', async () => {
    const r = await grantsOf(P);
    expect(r.errors).toBeUndefined();
    const grants = r.data!._entities[0].accessGrants;
    expect(grants.map((g) => g.cabinet.id).sort()).toEqual([DEMO_CABINETS.state.id, DEMO_CABINETS.zdorovia.id, DEMO_CABINETS.medcard.id].sort());
    expect(grants.every((g) => g.status === 'ACTIVE')).toBe(true);
    expect(grants.find((g) => g.cabinet.id === DEMO_CABINETS.medcard.id)?.scopes).toEqual(['declaration:read', 'person:read']);
    expect(grants.find((g) => g.cabinet.id === DEMO_CABINETS.state.id)?.cabinet.kind).toBe('STATE');
  });

  it('filters by cabinet name, case-insensitively', async () => {
    const r = await grantsOf(P, undefined, undefined, 'медкар');
    expect(r.data!._entities[0].accessGrants.map((g) => g.cabinet.id)).toEqual([DEMO_CABINETS.medcard.id]);
  });

  it('refuses another patient, a doctor, and a token without access:read', async () => {
    for (const caller of [patientCaller(O), doctorCaller(randomUUID()), patientCaller(P, { scopes: ['person:read'] })]) {
      const r = await grantsOf(P, caller);
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('revokes one’s own grant; it is then listed only on request as REVOKED', async () => {
    const g = (await grantsOf(P)).data!._entities[0].accessGrants.find((x) => x.cabinet.id === DEMO_CABINETS.zdorovia.id)!;
    const r = await sg.call<{ revokeAccessGrant: { accessGrant: { status: string; revokedAt: string } } }>(REVOKE, { id: g.id }, patientCaller(P));
    expect(r.errors).toBeUndefined();
    expect(r.data!.revokeAccessGrant.accessGrant.status).toBe('REVOKED');
    const active = (await grantsOf(P)).data!._entities[0].accessGrants;
    expect(active.map((x) => x.id)).not.toContain(g.id);
    const revoked = (await grantsOf(P, undefined, ['REVOKED'])).data!._entities[0].accessGrants;
    expect(revoked.map((x) => x.id)).toEqual([g.id]);
    // Revoking again changes nothing, not even the time.
    const again = await sg.call<{ revokeAccessGrant: { accessGrant: { revokedAt: string } } }>(REVOKE, { id: g.id }, patientCaller(P));
    expect(again.data!.revokeAccessGrant.accessGrant.revokedAt).toBe(r.data!.revokeAccessGrant.accessGrant.revokedAt);
  });

  it('refuses to revoke another person’s grant with FORBIDDEN and changes nothing', async () => {
    const g = (await grantsOf(P)).data!._entities[0].accessGrants[0];
    const before = await sg.dataSource.getRepository(AccessGrant).findOneByOrFail({ id: g.id });
    const r = await sg.call(REVOKE, { id: g.id }, patientCaller(O));
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await sg.dataSource.getRepository(AccessGrant).findOneByOrFail({ id: g.id })).toEqual(before);
  });

  it('needs access:write to revoke, and answers NOT_FOUND as a user error', async () => {
    const g = (await grantsOf(P)).data!._entities[0].accessGrants[0];
    const r = await sg.call(REVOKE, { id: g.id }, patientCaller(P, { scopes: ['access:read'] }));
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sg.dataSource.getRepository(AccessGrant).findOneByOrFail({ id: g.id })).revokedAt).toBeNull();
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const nf = await sg.call<{ revokeAccessGrant: { accessGrant: null; userErrors: { code: string }[] } }>(REVOKE, { id }, patientCaller(P));
      expect(nf.data!.revokeAccessGrant).toEqual({ accessGrant: null, userErrors: [expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'id'] })] });
    }
  });

  it('records consent only for a service caller; granting again merges scopes', async () => {
    const someone = randomUUID();
    const input = { personId: someone, cabinetId: DEMO_CABINETS.medcard.id, scopes: ['person:read'] };
    const refused = await sg.call(GRANT, { i: input }, patientCaller(someone));
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const first = await sg.call<GrantPayload>(GRANT, { i: input }, serviceCaller('identity-provider'));
    expect(first.data!.grantAccess.accessGrant).toMatchObject({ scopes: ['person:read'], status: 'ACTIVE' });
    const second = await sg.call<GrantPayload>(GRANT, { i: { ...input, scopes: ['declaration:read'] } }, serviceCaller('identity-provider'));
    expect(second.data!.grantAccess.accessGrant).toMatchObject({ id: first.data!.grantAccess.accessGrant!.id, scopes: ['declaration:read', 'person:read'] });
    expect(second.data!.grantAccess.accessGrant!.grantedAt).toBe(first.data!.grantAccess.accessGrant!.grantedAt);
    expect(await sg.dataSource.getRepository(AccessGrant).countBy({ personId: someone })).toBe(1);
  });

  it('re-grants a revoked cabinet afresh, with only the new scopes', async () => {
    const someone = randomUUID();
    const svc = serviceCaller('identity-provider');
    const g = (
      await sg.call<GrantPayload>(GRANT, { i: { personId: someone, cabinetId: DEMO_CABINETS.zdorovia.id, scopes: ['person:read', 'person:write'] } }, svc)
    ).data!.grantAccess.accessGrant!;
    await sg.call(REVOKE, { id: g.id }, patientCaller(someone));
    const again = (await sg.call<GrantPayload>(GRANT, { i: { personId: someone, cabinetId: DEMO_CABINETS.zdorovia.id, scopes: ['declaration:read'] } }, svc))
      .data!.grantAccess.accessGrant!;
    expect(again).toMatchObject({ id: g.id, status: 'ACTIVE', scopes: ['declaration:read'] });
    expect(Date.parse(again.grantedAt)).toBeGreaterThan(Date.parse(g.grantedAt));
  });

  it('refuses unknown scopes, unknown or blocked cabinets and past expiry as user errors', async () => {
    const svc = serviceCaller('identity-provider');
    const someone = randomUUID();
    const cases: [Record<string, unknown>, string][] = [
      [{ scopes: ['declaration:sign'] }, 'UNKNOWN_SCOPE'],
      [{ cabinetId: randomUUID() }, 'NOT_FOUND'],
      [{ expiresAt: '2020-01-01T00:00:00Z' }, 'BAD_USER_INPUT'],
    ];
    for (const [over, code] of cases) {
      const r = await sg.call<GrantPayload>(GRANT, { i: { personId: someone, cabinetId: DEMO_CABINETS.state.id, scopes: ['person:read'], ...over } }, svc);
      expect(r.data!.grantAccess.userErrors.map((e) => e.code)).toContain(code);
    }
    const block = `mutation($b: Boolean!) { setCabinetBlocked(input: { id: "${DEMO_CABINETS.medcard.id}", blocked: $b }) { userErrors { code } } }`;
    await sg.call(block, { b: true }, svc);
    const r = await sg.call<GrantPayload>(GRANT, { i: { personId: someone, cabinetId: DEMO_CABINETS.medcard.id, scopes: ['person:read'] } }, svc);
    expect(r.data!.grantAccess.userErrors.map((e) => e.code)).toEqual(['CABINET_BLOCKED']);
    await sg.call(block, { b: false }, svc);
    expect(await sg.dataSource.getRepository(AccessGrant).countBy({ personId: someone })).toBe(0);
  });

  it('shows an expired grant as EXPIRED and not among the active ones', async () => {
    const someone = randomUUID();
    const svc = serviceCaller('identity-provider');
    const g = (
      await sg.call<GrantPayload>(
        GRANT,
        {
          i: {
            personId: someone,
            cabinetId: DEMO_CABINETS.state.id,
            scopes: ['person:read', 'access:read'],
            expiresAt: new Date(Date.now() + 60_000).toISOString(),
          },
        },
        svc,
      )
    ).data!.grantAccess.accessGrant!;
    expect(g.status).toBe('ACTIVE');
    await sg.dataSource.query(`UPDATE access.access_grant SET expires_at = now() - interval '1 second' WHERE id = $1`, [g.id]);
    expect((await grantsOf(someone)).data!._entities[0].accessGrants).toEqual([]);
    expect((await grantsOf(someone, undefined, ['EXPIRED'])).data!._entities[0].accessGrants.map((x) => x.status)).toEqual(['EXPIRED']);
  });

  describe('access log', () => {
    const person = randomUUID();
    const entries = Array.from({ length: 45 }, (_, i) => ({
      id: randomUUID(),
      // Several entries share an instant: the id breaks the tie, so no page repeats or skips one.
      at: new Date(Date.UTC(2025, 0, 1, 0, 0, Math.floor(i / 3))),
      personId: person,
      cabinetId: i % 2 ? DEMO_CABINETS.zdorovia.id : DEMO_CABINETS.state.id,
      actor: person,
      actorRole: 'PATIENT',
      action: (i % 5 === 0 ? 'CHANGE' : 'READ') as 'READ' | 'CHANGE',
      resource: 'person',
      operationName: `Op${i}`,
      requestId: null,
      tokenId: null,
      recordedAt: new Date(),
    }));
    beforeAll(async () => {
      await sg.dataSource.getRepository(AccessLogEntry).insert(entries);
      await sg.dataSource.getRepository(AccessLogEntry).insert({ ...entries[0], id: randomUUID(), personId: randomUUID() });
    });

    it('pages newest first with opaque cursors, each entry exactly once, cabinets in one batch', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        sg.counter.reset();
        const r: { data?: LogResult | null; errors?: unknown } = await sg.call<LogResult>(
          LOG,
          { r: [{ __typename: 'Person', id: person }], first: 20, after },
          patientCaller(person),
        );
        expect(r.errors).toBeUndefined();
        // page + count + cabinets: no query per entry
        expect(sg.counter.count).toBe(3);
        const log = r.data!._entities[0].accessLog;
        expect(log.totalCount).toBe(45);
        seen.push(...log.edges.map((e) => e.node.id));
        pages++;
        if (!log.pageInfo.hasNextPage) break;
        after = log.pageInfo.endCursor;
      }
      expect(pages).toBe(3);
      const expected = [...entries].sort((a, b) => b.at.getTime() - a.at.getTime() || (b.id < a.id ? -1 : 1)).map((e) => e.id);
      expect(seen).toEqual(expected);
    });

    it('never shows one person’s log to another', async () => {
      const r = await sg.call<LogResult>(LOG, { r: [{ __typename: 'Person', id: person }], first: 5 }, patientCaller(P));
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(r.data?._entities?.[0] ?? null).toBeNull();
    });

    it('refuses a page above 100 and a forged cursor', async () => {
      for (const v of [{ first: 101 }, { first: 5, after: 'bm90LWEtY3Vyc29y' }]) {
        const r = await sg.call(LOG, { r: [{ __typename: 'Person', id: person }], ...v }, patientCaller(person));
        expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      }
    });

    it('is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
      for (const sql of [
        `UPDATE access.access_log SET resource = 'x' WHERE person_id = '${person}'`,
        `DELETE FROM access.access_log WHERE person_id = '${person}'`,
        'TRUNCATE access.access_log',
      ]) {
        await expect(sg.dataSource.query(sql)).rejects.toThrow(/append-only/);
      }
      expect(await sg.dataSource.getRepository(AccessLogEntry).countBy({ personId: person })).toBe(45);
    });

    it('records a consent that changed a grant, but not one that changed nothing', async () => {
      const someone = randomUUID();
      const svc = serviceCaller('identity-provider');
      const input = { personId: someone, cabinetId: DEMO_CABINETS.medcard.id, scopes: ['person:read', 'access:read'] };
      await sg.call(GRANT, { i: input }, svc);
      await sg.call(GRANT, { i: input }, svc);
      const r = await sg.call<LogResult>(LOG, { r: [{ __typename: 'Person', id: someone }] }, patientCaller(someone));
      expect(r.data!._entities[0].accessLog.edges.map((e) => e.node)).toEqual([
        expect.objectContaining({
          action: 'CHANGE',
          resource: 'accessGrants',
          operationName: 'grantAccess',
          cabinet: { id: DEMO_CABINETS.medcard.id, name: expect.any(String) },
        }),
      ]);
    });
  });

  it('resolves 30 grant references with one statement, for a service', async () => {
    const ids = (await sg.dataSource.getRepository(AccessGrant).find({ take: 30 })).map((g) => g.id);
    sg.counter.reset();
    const r = await sg.call<{ _entities: { id: string }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on AccessGrant { id } } }`,
      { r: ids.map((id) => ({ __typename: 'AccessGrant', id })) },
      serviceCaller('declarations'),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!._entities.map((g) => g.id)).toEqual(ids);
    expect(sg.counter.count).toBe(1);
  });

  it('notifies every change of a grant on the access_grant_changed channel (the gateway’s cache contract)', async () => {
    // Through pglite-socket a notification reaches only the connection that caused it, so this
    // listens on the same connection that revokes; real PostgreSQL would deliver it anywhere.
    const runner = sg.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const client = (await runner.connect()) as { on(e: 'notification', f: (m: { channel: string; payload?: string }) => void): void };
      const got: unknown[] = [];
      client.on('notification', (m) => got.push([m.channel, JSON.parse(m.payload ?? 'null')]));
      await runner.query('LISTEN access_grant_changed');
      const g = await sg.dataSource.getRepository(AccessGrant).findOneByOrFail({ personId: O });
      await runner.query(`UPDATE access.access_grant SET updated_at = now() WHERE id = $1`, [g.id]);
      await runner.query(`UPDATE access.cabinet SET updated_at = now() WHERE id = $1`, [DEMO_CABINETS.medcard.id]);
      await new Promise((r) => setTimeout(r, 100));
      await runner.query('UNLISTEN access_grant_changed');
      expect(got).toEqual([
        ['access_grant_changed', { personId: O, cabinetId: DEMO_CABINETS.state.id }],
        ['access_grant_changed', { cabinetId: DEMO_CABINETS.medcard.id }],
      ]);
    } finally {
      await runner.release();
    }
  });
});
