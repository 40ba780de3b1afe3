/**
 * The domains' @requiresScopes / @authenticated enforced by the gateway from the supergraph
 * (gateway/src/pipeline/authorization.ts), through the whole system: a field the caller's
 * scopes do not cover answers null with FORBIDDEN (reason UNAUTHORIZED_FIELD_OR_TYPE) while the rest answers, its
 * subgraph is not even called, and the access log records only what was returned.
 */
import { DEMO_CABINETS, DEMO_PERSONAS, PATIENT_SCOPES } from '@pc/demo';
import { startSystem, type RunningSystem } from '@pc/e2e';
import type { Histogram } from 'prom-client';

type Err = { message: string; path?: string[]; extensions?: { code?: string } };
type Home = {
  me: {
    firstName: string;
    activeDeclaration: { id: string } | null;
    accessGrants: { id: string }[];
  } | null;
};
const P = DEMO_PERSONAS.patient.id;
const STATE = DEMO_CABINETS.state.id;
const noDeclarations = PATIENT_SCOPES.filter((s) => !s.startsWith('declaration:'));
const LOG = 'query MyLog { me { accessLog(first: 50) { edges { node { action resource operationName } } } } }';

/** Subgraph fetches the gateway made so far, by subgraph. */
async function fetchesTo(sys: RunningSystem, subgraph: string): Promise<number> {
  const metric = sys.gateway.metrics.registry.getSingleMetric('gateway_subgraph_fetch_duration_seconds') as Histogram;
  const { values } = await metric.get();
  return values.filter((v) => v.metricName?.endsWith('_count') && v.labels.subgraph === subgraph).reduce((n, v) => n + v.value, 0);
}

async function logOf(sys: RunningSystem, operationName: string): Promise<string[]> {
  await sys.access!.writer.flush();
  const r = await sys.query<{ me: { accessLog: { edges: { node: { action: string; resource: string; operationName: string } }[] } } }>(
    LOG,
    {},
    await sys.token({ sub: P }),
  );
  return r
    .data!.me.accessLog.edges.filter((e) => e.node.operationName === operationName)
    .map((e) => `${e.node.action} ${e.node.resource}`)
    .sort();
}

describe('authorization from the supergraph (development mode)', () => {
  let sys: RunningSystem;
  beforeAll(async () => {
    sys = await startSystem();
  }, 120_000);
  afterAll(() => sys?.stop());

  it('a token without declaration:read: activeDeclaration is refused and never fetched, the rest answers, the log records only the rest', async () => {
    const token = await sys.token({ sub: P, scopes: noDeclarations });
    const before = await fetchesTo(sys, 'declarations');
    const q = 'query HomeNoDecl { me { firstName activeDeclaration { id number } accessGrants { id } } }';
    const r = (await sys.query<Home>(q, {}, token)) as { data?: Home; errors?: Err[] };
    expect(r.data?.me?.firstName).toBeTruthy();
    expect(r.data?.me?.accessGrants.length).toBeGreaterThan(0);
    expect(r.data?.me?.activeDeclaration).toBeNull();
    expect(r.errors).toEqual([
      { message: expect.any(String), path: ['me', 'activeDeclaration'], extensions: { code: 'FORBIDDEN', reason: 'UNAUTHORIZED_FIELD_OR_TYPE' } },
    ]);
    expect(await fetchesTo(sys, 'declarations')).toBe(before);
    expect(await logOf(sys, 'HomeNoDecl')).toEqual(['READ accessGrants', 'READ person']);

    // The same operation with the scope answers in full (the decision is per scope set, cached apart).
    const full = (await sys.query<Home>(q, {}, await sys.token({ sub: P }))) as { data?: Home; errors?: Err[] };
    expect(full.errors).toBeUndefined();
    expect(full.data?.me?.activeDeclaration?.id).toBeTruthy();
    expect(await fetchesTo(sys, 'declarations')).toBeGreaterThan(before);
  });

  it('the grant decides too: a token’s scope the cabinet’s grant does not hold counts for nothing', async () => {
    const token = await sys.token({ sub: P, scopes: PATIENT_SCOPES });
    // A narrower consent than the demo's, set directly (as an older consent screen might have left it).
    await sys.subgraphs.access.dataSource.query(
      `UPDATE access.access_grant SET scopes = '{person:read,access:read}' WHERE person_id = $1 AND cabinet_id = $2`,
      [P, STATE],
    );
    try {
      sys.access!.cache.clear();
      const r = (await sys.query<Home>('{ me { firstName activeDeclaration { id } } }', {}, token)) as { data?: Home; errors?: Err[] };
      expect(r.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'me.activeDeclaration']]);
      expect(r.data?.me?.firstName).toBeTruthy();
    } finally {
      await sys.subgraphs.access.dataSource.query(`UPDATE access.access_grant SET scopes = $3 WHERE person_id = $1 AND cabinet_id = $2`, [
        P,
        STATE,
        [...PATIENT_SCOPES].sort(),
      ]);
      sys.access!.cache.clear();
    }
  });

  it('an anonymous caller: `me` (@authenticated) is refused, public fields answer', async () => {
    const r = (await sys.query<{ me: unknown; searchDoctors: { totalCount: number } }>('{ me { id } searchDoctors(first: 1) { totalCount } }')) as {
      data?: { me: unknown; searchDoctors: { totalCount: number } };
      errors?: Err[];
    };
    expect(r.data?.me).toBeNull();
    expect(r.data?.searchDoctors.totalCount).toBeGreaterThan(0);
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('a mutation without its scope is not run: nothing changes', async () => {
    const readOnly = await sys.token({ sub: P, scopes: ['person:read'] });
    const before = (await sys.query<{ me: { version: number } }>('{ me { version } }', {}, readOnly)).data!.me.version;
    const r = (await sys.query(
      'mutation { updateContacts(input: { expectedVersion: ' + before + ', email: "x@example.com" }) { person { version } } }',
      {},
      readOnly,
    )) as {
      data?: unknown;
      errors?: Err[];
    };
    expect(r.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([['FORBIDDEN', 'updateContacts']]);
    expect(r.data ?? null).toBeNull(); // updateContacts is non-null: the null reaches data
    expect((await sys.query<{ me: { version: number } }>('{ me { version } }', {}, readOnly)).data!.me.version).toBe(before);
  });
});

describe('authorization from the supergraph (production mode: JWKS, persisted lists, Redis)', () => {
  let sys: RunningSystem;
  beforeAll(async () => {
    sys = await startSystem({ production: true });
  }, 120_000);
  afterAll(() => sys?.stop());

  it('the state cabinet’s CabinetHome with a token lacking declaration:read: the declaration is refused, the rest answers', async () => {
    const token = await sys.token({ sub: P, scopes: noDeclarations });
    const r = (await sys.persisted<Home>('state', 'CabinetHome', {}, token)) as { status: number; data?: Home; errors?: Err[] };
    expect(r.status).toBe(200);
    expect(r.data?.me?.firstName).toBeTruthy();
    expect(r.data?.me?.accessGrants.length).toBeGreaterThan(0);
    expect(r.data?.me?.activeDeclaration).toBeNull();
    expect(r.errors).toEqual([
      { message: expect.any(String), path: ['me', 'activeDeclaration'], extensions: { code: 'FORBIDDEN', reason: 'UNAUTHORIZED_FIELD_OR_TYPE' } },
    ]);

    const full = (await sys.persisted<Home>('state', 'CabinetHome', {}, await sys.token({ sub: P }))) as { data?: Home; errors?: Err[] };
    expect(full.errors).toBeUndefined();
    expect(full.data?.me?.activeDeclaration?.id).toBeTruthy();
  });
});
