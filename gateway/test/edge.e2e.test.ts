import { createHash } from 'node:crypto';
import { DEMO_CABINETS } from '@pc/demo';
import { readManifests } from '@pc/schema';
import { startSystem, type RunningSystem } from '@pc/e2e';

const codes = (r: { errors?: { extensions?: { code?: string } }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const listed = (list: string, name: string) => {
  const op = readManifests()[list].operations.find((o) => o.name === name);
  if (!op) throw new Error(`${name} not in ${list}`);
  return op;
};

async function post(url: string, body: unknown, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

describe('gateway edge (development mode)', () => {
  let sys: RunningSystem;
  let partner: string;
  beforeAll(async () => {
    sys = await startSystem();
    partner = await sys.token({ clientId: DEMO_CABINETS.zdorovia.id });
  });
  afterAll(() => sys?.stop());

  describe('persisted query lists for partner cabinets', () => {
    it("runs an operation of the cabinet's own list by id", async () => {
      const op = listed('zdorovia', 'PartnerProfile');
      const r = await post(sys.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }, partner);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data?.me).toMatchObject({ firstName: 'Олена' });
    });

    it('refuses a free-form query from a partner cabinet', async () => {
      const r = await post(sys.gatewayUrl, { query: '{ me { id firstName } }' }, partner);
      expect(r.status).toBe(400);
      expect(r.body.data).toBeUndefined();
      expect(codes(r.body)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    });

    it("refuses an unknown id, and another cabinet's operation", async () => {
      const unknown = await post(sys.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: sha('{ me { id } }') } } }, partner);
      expect(codes(unknown.body)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
      const foreign = listed('medcard', 'PartnerContacts');
      const r = await post(sys.gatewayUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: foreign.id } } }, partner);
      expect(codes(r.body)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    });

    it('executes the listed text, not text the partner sends along with a listed id', async () => {
      const op = listed('zdorovia', 'PartnerProfile');
      const r = await post(sys.gatewayUrl, { query: '{ me { id taxId } }', extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }, partner);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data?.me).not.toHaveProperty('taxId');
    });
  });

  describe('automatic persisted queries for the state cabinet', () => {
    it('registers a query, then runs it by hash alone', async () => {
      const token = await sys.token('patient');
      const query = `query Apq${Date.now()} { me { id lastName } }`;
      const ext = { persistedQuery: { version: 1, sha256Hash: sha(query) } };
      const miss = await post(sys.gatewayUrl, { extensions: ext }, token);
      expect(codes(miss.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      const register = await post(sys.gatewayUrl, { query, extensions: ext }, token);
      expect(register.body.data?.me).toMatchObject({ lastName: 'Коваленко' });
      const hit = await post(sys.gatewayUrl, { extensions: ext }, token);
      expect(hit.body.data?.me).toMatchObject({ lastName: 'Коваленко' });
    });
  });

  describe('operation limits', () => {
    let token: string;
    beforeAll(async () => {
      token = await sys.token('patient');
    });

    it('lets a normal cabinet screen through', async () => {
      const r = await post(sys.gatewayUrl, { query: '{ me { id firstName lastName birthDate } }' }, token);
      expect(r.body.errors).toBeUndefined();
    });

    it.each([
      ['depth', `{ me { ${'declarations { person { '.repeat(6)} id ${'} } '.repeat(6)} } }`, 'DEPTH_LIMIT_EXCEEDED'],
      ['aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(' ')} }`, 'ALIAS_LIMIT_EXCEEDED'],
      ['directives', `{ me { ${'... @include(if: true) { id } '.repeat(30)} } }`, 'DIRECTIVE_LIMIT_EXCEEDED'],
      ['tokens', `{ me { ${'id '.repeat(2500)} } }`, 'TOKEN_LIMIT_EXCEEDED'],
      ['characters', `{ me { id } } # ${'x'.repeat(25_000)}`, 'QUERY_TOO_LARGE'],
      [
        'cost (list sizes)',
        '{ searchDoctors(first: 100) { edges { node { divisions { legalEntity { name } workingHours { day } } } } } }',
        'COST_LIMIT_EXCEEDED',
      ],
    ])('refuses an operation over the %s limit with its code', async (_name, query, code) => {
      const r = await post(sys.gatewayUrl, { query }, token);
      expect(codes(r.body)).toContain(code);
      expect(r.body.data ?? null).toBeNull();
    });

    it('refuses an oversized request body', async () => {
      const r = await post(sys.gatewayUrl, { query: '{ me { id } }', variables: { pad: 'x'.repeat(200_000) } }, token);
      expect(r.status).toBe(413);
      expect(codes(r.body)).toEqual(['REQUEST_TOO_LARGE']);
    });
  });

  it('counts requests and subgraph fetches in /metrics, labelled by client name', async () => {
    await post(sys.gatewayUrl, { query: 'query MetricsProbe { me { id } }' }, await sys.token('patient'), {
      'apollographql-client-name': 'cabinet-web',
      'apollographql-client-version': '1.2.3',
    });
    const text = await (await fetch(sys.gatewayUrl.replace(/graphql$/, 'metrics'))).text();
    expect(text).toMatch(/graphql_requests_total\{[^}]*operation="MetricsProbe"[^}]*client="cabinet-web"/);
    expect(text).toMatch(/gateway_subgraph_fetch_duration_seconds_bucket\{[^}]*subgraph="identity"/);
    expect(text).toMatch(/graphql_errors_total\{code="PERSISTED_QUERY_NOT_IN_LIST"/);
  });
});

describe('gateway edge (production mode)', () => {
  let sys: RunningSystem;
  beforeAll(async () => {
    sys = await startSystem({ gateway: { nodeEnv: 'production' }, edge: { production: true } });
  });
  afterAll(() => sys?.stop());

  it('holds the state cabinet to its list and runs listed operations', async () => {
    const token = await sys.token('patient');
    const free = await post(sys.gatewayUrl, { query: '{ me { id } }' }, token);
    expect(codes(free.body)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });

  // Free-form text never reaches validation in production, so neither introspection nor a misspelt
  // field can draw schema details (hideSchemaDetailsFromClientErrors stays on behind it).
  it('holds anonymous callers and doctors to their lists: introspection and free-form text are refused before parsing', async () => {
    const gw = sys.gatewayUrl;
    const doctor = await sys.token('doctor');
    for (const token of [undefined, doctor]) {
      const intro = await post(gw, { query: '{ __schema { types { name } } }' }, token);
      expect([intro.status, codes(intro.body)]).toEqual([400, ['PERSISTED_QUERY_NOT_IN_LIST']]);
      const typo = await post(gw, { query: '{ doctor(id: "x") { fulName } }' }, token);
      expect(codes(typo.body)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    }
    const search = listed('public', 'FindDoctor');
    const r = await post(gw, { variables: { first: 1 }, extensions: { persistedQuery: { version: 1, sha256Hash: search.id } } });
    expect(r.body.errors).toBeUndefined();
  });

  it('shows no landing page', async () => {
    const res = await fetch(sys.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toMatch(/sandbox/i);
  });
});
