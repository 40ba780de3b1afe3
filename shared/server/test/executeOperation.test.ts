import { parse } from 'graphql';
import { signCallerToken, subgraphAudience } from '@pc/auth';
import { codedError } from '@pc/errors';
import { createLogger } from '@pc/logging';
import { createSubgraphServer, type SubgraphBaseContext, type SubgraphServer } from '../src';
import { LruMap } from '../src/executeOperation';

/**
 * The lean GraphQL execution of createSubgraphServer (executeOperation.ts) over real HTTP: the
 * answers Apollo Server gave (status codes, error codes, masking), introspection by environment,
 * `_service { sdl }`, the batched format (array in, array out, one context), metrics.
 */
describe('subgraph GraphQL execution', () => {
  const secret = 's'.repeat(43);
  const typeDefs = parse(`
    type Query { echo(text: String): String, count(n: Int!): Int, boom: String, coded: String, denied: String!, contextId: String }
    type Mutation { touch: Int }
  `);
  const contexts = new Set<object>();
  let contextsBuilt = 0;
  const resolvers = {
    Query: {
      echo: (_: unknown, { text }: { text?: string }) => text ?? null,
      count: (_: unknown, { n }: { n: number }) => n,
      boom: () => {
        throw new Error('database password is hunter2');
      },
      coded: () => {
        throw codedError('FORBIDDEN', 'not yours');
      },
      denied: () => {
        throw codedError('UNAUTHENTICATED', 'who are you', 401);
      },
      contextId: (_: unknown, __: unknown, ctx: object) => {
        contexts.add(ctx);
        return String(contexts.size);
      },
    },
    Mutation: { touch: () => 1 },
  };
  const servers: SubgraphServer[] = [];
  let prod: string;
  let dev: string;
  let token: string;

  async function start(nodeEnv: string): Promise<string> {
    const server = createSubgraphServer<SubgraphBaseContext>(
      {
        name: 'identity',
        typeDefs,
        resolvers,
        createContext: (b) => {
          contextsBuilt++;
          return { ...b };
        },
      },
      {
        dataSource: { query: async () => [], driver: {} } as never,
        log: createLogger({ service: 'test', level: 'silent' }),
        internalTokenSecret: secret,
        nodeEnv,
      },
    );
    servers.push(server);
    return (await server.listen(0)).url;
  }

  beforeAll(async () => {
    prod = await start('production');
    dev = await start('development');
    token = await signCallerToken(
      { subject: 'p-1', roles: ['PATIENT'], scopes: [], clientId: 'c-1', tokenId: 't-1' },
      { secret, audience: subgraphAudience('identity') },
    );
  });
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };
  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-caller-token': token, ...headers },
      body: JSON.stringify(body),
    });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    return { status: res.status, headers: res.headers, body: (await res.json()) as Body };
  };

  it('answers a query with 200 and { data } as Apollo Server did, newline included', async () => {
    const res = await fetch(prod, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-caller-token': token },
      body: JSON.stringify({ query: 'query Q($t: String) { echo(text: $t) }', variables: { t: 'hi' }, operationName: 'Q' }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"data":{"echo":"hi"}}\n');
  });

  it('refuses what does not parse, validate or coerce with 400 and the codes Apollo Server used', async () => {
    const syntax = await post(prod, { query: '{ echo(' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const invalid = await post(prod, { query: '{ nope }' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const coercion = await post(prod, { query: 'query($n: Int!) { count(n: $n) }', variables: { n: 'seven' } });
    expect(coercion.status).toBe(400);
    expect(coercion.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(coercion.body.data).toBeUndefined();
    const missing = await post(prod, { query: 'query($n: Int!) { count(n: $n) }' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknownOp = await post(prod, { query: 'query A { echo }', operationName: 'B' });
    expect(unknownOp.status).toBe(400);
    expect(unknownOp.body.errors?.[0].extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
    const noQuery = await post(prod, { variables: {} });
    expect(noQuery.status).toBe(400);
    expect(noQuery.body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    const stringVariables = await post(prod, { query: '{ echo }', variables: '{}' });
    expect(stringVariables.status).toBe(400);
    // The same invalid document a second time: not served from the document cache.
    expect((await post(prod, { query: '{ nope }' })).status).toBe(400);
  });

  it('keeps error codes, masks unexpected errors in production, and takes the status an error carries', async () => {
    const coded = await post(prod, { query: '{ coded echo(text: "x") }' });
    expect(coded.status).toBe(200);
    expect(coded.body.data).toEqual({ coded: null, echo: 'x' });
    expect(coded.body.errors?.[0]).toMatchObject({ message: 'not yours', path: ['coded'], extensions: { code: 'FORBIDDEN' } });
    const boom = await post(prod, { query: '{ boom }' });
    expect(boom.body.errors?.[0]).toEqual({
      message: 'Internal server error',
      path: ['boom'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const devBoom = await post(dev, { query: '{ boom }' });
    expect(devBoom.body.errors?.[0].message).toContain('hunter2');
    expect(devBoom.body.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(Array.isArray(devBoom.body.errors?.[0].extensions?.stacktrace)).toBe(true);
    const denied = await post(prod, { query: '{ denied }' });
    expect(denied.status).toBe(401);
    expect(denied.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('refuses introspection in production and allows it in development; _service { sdl } answers in both', async () => {
    const prodSchema = await post(prod, { query: '{ __schema { queryType { name } } }' });
    expect(prodSchema.status).toBe(400);
    expect(prodSchema.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const prodType = await post(prod, { query: '{ __type(name: "Query") { name } }' });
    expect(prodType.status).toBe(400);
    const devSchema = await post(dev, { query: '{ __schema { queryType { name } } }' });
    expect(devSchema.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    for (const url of [prod, dev]) {
      const sdl = await post(url, { query: '{ _service { sdl } }' });
      expect(sdl.status).toBe(200);
      expect((sdl.body.data?._service as { sdl: string }).sdl).toContain('echo(text: String): String');
    }
  });

  it('serves GET for queries only, with a CSRF preflight header', async () => {
    const q = encodeURIComponent('{ echo(text: "g") }');
    const ok = await fetch(`${prod}?query=${q}`, { headers: { 'x-caller-token': token, 'apollo-require-preflight': '1' } });
    expect(ok.status).toBe(200);
    const noPreflight = await fetch(`${prod}?query=${q}`, { headers: { 'x-caller-token': token } });
    expect(noPreflight.status).toBe(400);
    const mutation = await fetch(`${prod}?query=${encodeURIComponent('mutation { touch }')}`, {
      headers: { 'x-caller-token': token, 'x-apollo-operation-name': 'x' },
    });
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get('allow')).toBe('POST');
  });

  it('answers a batch (JSON array) with an array in the same order, one context, each operation its own status', async () => {
    const builtBefore = contextsBuilt;
    contexts.clear();
    const res = await post(prod, [
      { query: 'query A { echo(text: "a") contextId }', operationName: 'A' },
      { query: 'query($n: Int!) { count(n: $n) }', variables: { n: 'x' } },
      { query: 'query C { echo(text: "c") contextId }', operationName: 'C' },
    ]);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-batch-status')).toBe('200,400,200');
    const items = res.body as unknown as Body[];
    expect(items).toHaveLength(3);
    expect(items[0].data).toEqual({ echo: 'a', contextId: '1' });
    expect(items[1].errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(items[2].data).toEqual({ echo: 'c', contextId: '1' });
    expect(contextsBuilt - builtBefore).toBe(1);
    const allOk = await post(prod, [{ query: '{ echo(text: "1") }' }, { query: '{ echo(text: "2") }' }]);
    expect(allOk.status).toBe(200);
    expect(allOk.headers.get('x-batch-status')).toBe('200,200');
  });

  it('refuses an empty or oversized batch, and a batch without a caller token before running any of it', async () => {
    expect((await post(prod, [])).status).toBe(400);
    expect(
      (
        await post(
          prod,
          Array.from({ length: 33 }, () => ({ query: '{ echo }' })),
        )
      ).status,
    ).toBe(400);
    const before = contextsBuilt;
    const res = await fetch(prod, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ contextId }' }, { query: '{ contextId }' }]),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Body).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(contextsBuilt).toBe(before);
  });

  it('counts operations by name and client, and errors by code, under the metric names /metrics had', async () => {
    await post(prod, { query: 'query Counted { echo }', operationName: 'Counted' }, { 'apollographql-client-name': 'web' });
    await post(prod, { query: '{ nope }' });
    const text = await (await fetch(prod.replace(/\/graphql$/, '/metrics'))).text();
    expect(text).toMatch(/graphql_requests_total\{operation="Counted",client="web",service="identity"\} 1/);
    expect(text).toMatch(/graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED",service="identity"\} [1-9]/);
    expect(text).toMatch(/graphql_request_duration_seconds_count\{service="identity",operation="Counted",client="web"\} 1/);
  });
});

describe('LruMap', () => {
  it('keeps at most max entries, dropping the least recently used', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1);
    m.set('c', 3);
    expect(m.get('b')).toBeUndefined();
    expect(m.get('a')).toBe(1);
    expect(m.get('c')).toBe(3);
    expect(m.size).toBe(2);
  });
});
