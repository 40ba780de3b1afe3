/**
 * The access guard's admission of a patient token in statements (docs/representatives.md): a
 * grant-cache miss reads the grant and the actor's represented people in ONE statement; a grant
 * hit with an expired list reads the list alone; failures keep their rules (the grant fails
 * closed with 503, the list fails to the caller alone).
 */
import { Pool } from 'pg';
import type { Caller } from '@pc/auth';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { createLogger } from '@pc/logging';
import { createAccessGuard, type AccessGuard } from '../src/access/createAccessGuard';
import type { GuardRequest } from '../src/pipeline/guards';

const PARENT = DEMO_PERSONAS.parent.id;
const CHILD = DEMO_PERSONAS.child.id;
const log = createLogger({ service: 'admission-test', level: 'silent' });

describe('patient admission: statements per request', () => {
  let sys: RunningSystem;
  let token: string;
  const guards: AccessGuard[] = [];
  let spy: jest.SpyInstance;
  /** Statements the guards' pools ran since the last call. */
  const statements = (): string[] => {
    const sent = spy.mock.calls
      .map((args, i) => ({
        // Hot reads are named statements ({ name, text, values }); the rest plain text.
        sql: typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text),
        pool: spy.mock.contexts[i] as { options?: { application_name?: string } },
      }))
      // Not per request: probes of the change listeners, and the pool's one-time "is this PGlite?" question (hotPoolQuery).
      .filter((s) => s.pool.options?.application_name === 'gateway-access' && !/pg_notify/.test(s.sql) && !/^SELECT version\(\)/.test(s.sql))
      .map((s) => s.sql);
    spy.mockClear();
    return sent;
  };
  const guard = (opts: Parameters<typeof createAccessGuard>[0]) => {
    const g = createAccessGuard(opts);
    guards.push(g);
    return g;
  };
  const admit = (g: AccessGuard, caller: Partial<Caller> = {}) =>
    g.guard({
      caller: {
        subject: PARENT,
        roles: ['PATIENT'],
        scopes: ['person:read', 'person:write'],
        clientId: DEMO_CABINETS.state.id,
        tokenId: null,
        requestId: 'r',
        ...caller,
      },
      body: {},
      req: { headers: { authorization: `Bearer ${token}` } } as GuardRequest,
      log,
    });

  beforeAll(async () => {
    sys = await startSystem({ only: ['identity', 'access'] });
    token = await sys.token('parent'); // grants the parent's access to the state cabinet
    spy = jest.spyOn(Pool.prototype, 'query');
  });
  afterAll(async () => {
    spy?.mockRestore();
    await Promise.all(guards.map((g) => g.stop()));
    await sys?.stop();
  });

  it('a grant miss costs one statement and yields the grant’s scopes and whom the patient acts for; a hit costs none', async () => {
    const g = guard({ databaseUrl: sys.database.url, log, listen: false, fallbackTtlMs: 1000 });
    statements();
    const caller = await admit(g);
    expect(caller.scopes.sort()).toEqual(['person:read', 'person:write']);
    expect(caller.actFor).toEqual([CHILD]);
    const sent = statements();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/gateway_grant_v1[\s\S]*representations_of_v1|representations_of_v1[\s\S]*gateway_grant_v1/);
    expect(g.representations.stats).toEqual({ hits: 0, loads: 1 });

    const again = await admit(g);
    expect(again.actFor).toEqual([CHILD]);
    expect(statements()).toEqual([]);
    expect(g.cache.stats.hits).toBe(1);
    expect(g.representations.stats).toEqual({ hits: 1, loads: 1 });
  });

  it('no grant: one statement, refused; a patient who represents nobody gets no actFor', async () => {
    const g = guard({ databaseUrl: sys.database.url, log, listen: false });
    statements();
    await expect(admit(g, { clientId: DEMO_CABINETS.medcard.id })).rejects.toMatchObject({ extensions: { reason: 'NO_GRANT' } });
    expect(statements()).toHaveLength(1);
    const otherToken = await sys.token('other');
    token = otherToken;
    try {
      statements();
      const other = await admit(g, { subject: DEMO_PERSONAS.other.id });
      expect(other.actFor).toBeUndefined();
      expect(statements()).toHaveLength(1);
    } finally {
      token = await sys.token('parent');
    }
  });

  it('a grant answered from memory with an expired list reads the list alone', async () => {
    const g = guard({ databaseUrl: sys.database.url, log, listen: false, fallbackTtlMs: 1000, representationTtlMs: 50 });
    await admit(g);
    await new Promise((r) => setTimeout(r, 80));
    statements();
    expect((await admit(g)).actFor).toEqual([CHILD]);
    const sent = statements();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/representations_of_v1/);
    expect(sent[0]).not.toMatch(/gateway_grant_v1/);
  });

  it('when the list cannot be read the grant still admits (acting for oneself); when the grant cannot, 503', async () => {
    const g = guard({ databaseUrl: sys.database.url, log, listen: false });
    const identity = sys.subgraphs.identity.dataSource;
    await identity.query('ALTER FUNCTION identity.representations_of_v1(uuid) RENAME TO representations_of_v1_away');
    try {
      const caller = await admit(g);
      expect(caller.scopes.length).toBeGreaterThan(0);
      expect(caller.actFor).toBeUndefined();
    } finally {
      await identity.query('ALTER FUNCTION identity.representations_of_v1_away(uuid) RENAME TO representations_of_v1');
    }
    const g2 = guard({ databaseUrl: sys.database.url, log, listen: false });
    const access = sys.subgraphs.access.dataSource;
    await access.query('ALTER VIEW access.gateway_grant_v1 RENAME TO gateway_grant_v1_away');
    try {
      await expect(admit(g2)).rejects.toMatchObject({ extensions: { code: 'DEPENDENCY_UNAVAILABLE', http: { status: 503 } } });
    } finally {
      await access.query('ALTER VIEW access.gateway_grant_v1_away RENAME TO gateway_grant_v1');
    }
  });
});
