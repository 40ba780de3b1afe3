import { readSubgraphList } from '@pc/schema';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { tcpProxy, type TcpProxy } from './support/tcpProxy';

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };

const ME = '{ me { firstName activeDeclaration { number doctor { fullName } } } }';
const LEAKS = ['"response"', 'serviceName', '127.0.0.1', 'stacktrace', '    at ', 'localhost:'];

describe('what a client sees when its input is wrong or a subgraph is down (production mode)', () => {
  let sys: RunningSystem;
  let token: string;
  const proxies = new Map<string, TcpProxy>();
  /** Every response of this file, checked for leaks at the end. */
  const seen: string[] = [];

  async function post(body: Record<string, unknown>): Promise<{ status: number; body: Body }> {
    const res = await fetch(sys.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    seen.push(text);
    return { status: res.status, body: JSON.parse(text) as Body };
  }
  async function persisted(name: string, variables: Record<string, unknown>): Promise<{ status: number; body: Body }> {
    const r = await sys.persisted('state', name, variables, token);
    seen.push(JSON.stringify(r));
    return { status: r.status, body: r as Body };
  }
  /** Subgraph fetches the gateway has made so far (its fetch-duration histogram). */
  async function fetches(subgraph: string): Promise<number> {
    const metric = await sys.gateway.metrics.registry.getSingleMetric('gateway_subgraph_fetch_duration_seconds')!.get();
    return metric.values.find((v) => (v as { metricName?: string }).metricName?.endsWith('_count') && v.labels.subgraph === subgraph)?.value ?? 0;
  }

  beforeAll(async () => {
    // Every subgraph behind its own proxy, so one can be cut and restored on the same port.
    for (const { name } of readSubgraphList()) proxies.set(name, await tcpProxy());
    sys = await startSystem({
      production: true,
      edge: { stateFreeForm: true },
      gateway: { subgraphUrls: Object.fromEntries([...proxies].map(([name, p]) => [name, p.url])) },
    });
    for (const [name, p] of proxies) p.forwardTo(sys.subgraphs[name].url);
    token = await sys.token('patient');
  });
  afterAll(async () => {
    await sys?.stop();
    await Promise.all([...proxies.values()].map((p) => p.close()));
  });

  describe("bad variables and operation names: 400 with graphql-js's message", () => {
    const addresses = (settlementType: string) => ({
      input: { expectedVersion: 1, addresses: [{ type: 'RESIDENCE', country: 'Україна', area: 'Київ', settlement: 'Київ', settlementType }] },
    });
    const SEARCH = 'query Search($first: Int) { searchDoctors(first: $first) { totalCount } }';
    const DOCTOR = 'query Doctor($id: ID!) { doctor(id: $id) { id } }';

    it.each<[string, Record<string, unknown>, string]>([
      [
        'an unknown enum value',
        { query: 'mutation($input: UpdateAddressesInput!) { updateAddresses(input: $input) { userErrors { code } } }', variables: addresses('MEGACITY') },
        'Variable "$input" got invalid value "MEGACITY" at "input.addresses[0].settlementType"; Value "MEGACITY" does not exist in "SettlementType" enum.',
      ],
      [
        'first: "abc"',
        { query: SEARCH, variables: { first: 'abc' } },
        'Variable "$first" got invalid value "abc"; Int cannot represent non-integer value: "abc"',
      ],
      ['first: 1.5', { query: SEARCH, variables: { first: 1.5 } }, 'Variable "$first" got invalid value 1.5; Int cannot represent non-integer value: 1.5'],
      [
        'first: 2147483648',
        { query: SEARCH, variables: { first: 2147483648 } },
        'Variable "$first" got invalid value 2147483648; Int cannot represent non 32-bit signed integer value: 2147483648',
      ],
      ['a missing required variable', { query: DOCTOR, variables: {} }, 'Variable "$id" of required type "ID!" was not provided.'],
      ['null for a non-null variable', { query: DOCTOR, variables: { id: null } }, 'Variable "$id" of non-null type "ID!" must not be null.'],
      ['an unknown operationName', { query: SEARCH, operationName: 'Nope', variables: {} }, 'Unknown operation named "Nope".'],
      [
        'several operations and no operationName',
        { query: `${SEARCH} ${DOCTOR}`, variables: {} },
        'Must provide operation name if query contains multiple operations.',
      ],
    ])('%s is 400 BAD_USER_INPUT', async (_case, body, message) => {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors).toEqual([expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT' } })]);
    });

    it('two anonymous operations are 400 GRAPHQL_VALIDATION_FAILED', async () => {
      const r = await post({ query: '{ searchDoctors { totalCount } } { searchDoctors { totalCount } }' });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0]).toMatchObject({
        message: 'This anonymous operation must be the only defined operation.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    });

    it('a listed operation sent by id gets the same answer', async () => {
      const r = await persisted('FindDoctor', { first: 'abc' });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([
        expect.objectContaining({
          message: 'Variable "$first" got invalid value "abc"; Int cannot represent non-integer value: "abc"',
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ]);
      const ok = await persisted('FindDoctor', { first: 2 });
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();
    });
  });

  describe('impossible dates are refused by the gateway; nothing reaches the subgraph', () => {
    const documents = (issuedAt: string) => ({
      input: { expectedVersion: 1, documents: [{ type: 'PASSPORT', number: 'КВ123456', issuedAt, issuedBy: 'Київ' }] },
    });

    it('as a variable: 400 BAD_USER_INPUT', async () => {
      const before = await fetches('identity');
      const r = await persisted('UpdateDocuments', documents('2020-02-30'));
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([
        expect.objectContaining({
          message: 'Variable "$input" got invalid value "2020-02-30" at "input.documents[0].issuedAt"; Date must be YYYY-MM-DD, got "2020-02-30"',
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ]);
      expect(await fetches('identity')).toBe(before);
    });

    it('as a literal: 400 GRAPHQL_VALIDATION_FAILED', async () => {
      const before = await fetches('identity');
      const r = await post({
        query:
          'mutation { updateDocuments(input: { expectedVersion: 1, documents: [{ type: PASSPORT, number: "КВ123456", issuedAt: "2021-02-29", issuedBy: "Київ" }] }) { userErrors { code } } }',
      });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([
        expect.objectContaining({ message: 'Date must be YYYY-MM-DD, got "2021-02-29"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ]);
      expect(await fetches('identity')).toBe(before);
    });

    it('a real date still goes through (the subgraph decides about it)', async () => {
      const r = await persisted('UpdateDocuments', documents('2020-02-29'));
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data?.updateDocuments).toBeDefined();
    });
  });

  describe('a subgraph that dies and comes back', () => {
    it('answers with the data it has, and DEPENDENCY_UNAVAILABLE errors at the paths of what is missing; recovers without a restart', async () => {
      const healthy = await post({ query: ME });
      expect(healthy.body.errors).toBeUndefined();
      expect(healthy.body.data?.me).toMatchObject({ firstName: 'Олена', activeDeclaration: { doctor: { fullName: expect.any(String) } } });

      // CabinetHome in a loop from 4 clients while the directory is cut mid-load.
      let stop = false;
      const results: { status: number; body: Body; phase: 'up' | 'down' }[] = [];
      let phase: 'up' | 'down' = 'up';
      const client = async () => {
        // At most 150 in all: the production rate limit (600 a minute per cabinet) must not answer instead.
        while (!stop && results.length < 150) {
          const at = phase;
          const r = await persisted('CabinetHome', {});
          results.push({ ...r, phase: at });
        }
      };
      const load = Promise.all([client(), client(), client(), client()]);
      await new Promise((r) => setTimeout(r, 300));
      await proxies.get('directory')!.cut();
      phase = 'down';
      await new Promise((r) => setTimeout(r, 1500));

      const down = await post({ query: ME });
      expect(down.status).toBe(200);
      // Doctor.fullName and Declaration.doctor are non-null: the null reaches activeDeclaration,
      // and the error's path says why (it is not "no family doctor").
      expect(down.body.data?.me).toEqual({ firstName: 'Олена', activeDeclaration: null });
      expect(down.body.errors?.length).toBeGreaterThan(0);
      for (const e of down.body.errors!) {
        expect(e.extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
        expect(e.path?.length).toBeGreaterThan(0);
      }
      expect(down.body.errors!.map((e) => e.path)).toContainEqual(['me', 'activeDeclaration', 'doctor', 'fullName']);

      stop = true;
      await load;
      const whileDown = results.filter((r) => r.phase === 'down');
      expect(whileDown.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.status).toBe(200);
        expect((r.body.data?.me as { firstName?: string }).firstName).toBe('Олена');
        for (const e of r.body.errors ?? []) {
          expect(e.extensions?.code).toBe('DEPENDENCY_UNAVAILABLE');
          expect(e.path?.length).toBeGreaterThan(0);
        }
      }
      expect(whileDown.some((r) => r.body.errors?.length)).toBe(true);

      await proxies.get('directory')!.restore();
      const back = await post({ query: ME });
      expect(back.body.errors).toBeUndefined();
      expect(back.body.data?.me).toEqual(healthy.body.data?.me);
      const home = await persisted('CabinetHome', {});
      expect(home.body.errors).toBeUndefined();
    });
  });

  it('no response above carried extensions.response, serviceName, an address or a stack trace', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) for (const leak of LEAKS) expect(text).not.toContain(leak);
  });
});
