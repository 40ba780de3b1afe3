import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { parse } from 'graphql';
import { signCallerToken, subgraphAudience } from '@pc/auth';
import { createLogger } from '@pc/logging';
import { createSubgraphServer, type SubgraphBaseContext, type SubgraphServer } from '../src';

/**
 * The node:http layer of createSubgraphServer without a database (readiness answers from a stub):
 * every answer is JSON, the caller token is checked before any resolver, the body limit holds.
 */
describe('subgraph HTTP layer', () => {
  const secret = 's'.repeat(43);
  let server: SubgraphServer;
  let url: string;
  let base: string;
  let token: string;
  const seen: SubgraphBaseContext[] = [];

  beforeAll(async () => {
    server = createSubgraphServer<SubgraphBaseContext>(
      {
        name: 'identity',
        typeDefs: parse('type Query { echo(text: String): String, boom: String }'),
        resolvers: {
          Query: {
            echo: (_: unknown, { text }: { text?: string }, ctx: SubgraphBaseContext) => {
              seen.push(ctx);
              return text ?? null;
            },
            boom: () => {
              throw new Error('database password is hunter2');
            },
          },
        },
        createContext: (b) => b,
      },
      {
        dataSource: { query: async () => [{ '?column?': 1 }], driver: {} } as never,
        log: createLogger({ service: 'test', level: 'silent' }),
        internalTokenSecret: secret,
        nodeEnv: 'production',
      },
    );
    url = (await server.listen(0)).url;
    base = url.replace(/\/graphql$/, '');
    token = await signCallerToken(
      { subject: 'p-1', roles: ['PATIENT'], scopes: ['person:read'], clientId: 'c-1', tokenId: 't-1' },
      { secret, audience: subgraphAudience('identity') },
    );
  });
  afterAll(() => server.stop());

  const post = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caller-token': token, ...headers }, body });
  const json = async (res: Response) => {
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
  };

  it('serves GraphQL with the verified caller and the request id of x-request-id', async () => {
    const res = await post(JSON.stringify({ query: '{ echo(text: "hi") }' }), { 'x-request-id': 'req-42' });
    expect(res.status).toBe(200);
    expect((await json(res)).data).toEqual({ echo: 'hi' });
    const ctx = seen.at(-1)!;
    expect(ctx.requestId).toBe('req-42');
    expect(ctx.caller).toMatchObject({ subject: 'p-1', roles: ['PATIENT'], clientId: 'c-1', requestId: 'req-42' });
  });

  it('makes up a request id when none is sent; accepts GET with search params and gzip bodies', async () => {
    const get = await fetch(`${url}?query=${encodeURIComponent('{ echo(text: "g") }')}`, {
      headers: { 'x-caller-token': token, 'apollo-require-preflight': '1' },
    });
    expect((await json(get)).data).toEqual({ echo: 'g' });
    expect(seen.at(-1)!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const gz = await post(new Uint8Array(gzipSync(JSON.stringify({ query: '{ echo(text: "z") }' }))), { 'content-encoding': 'gzip' });
    expect((await json(gz)).data).toEqual({ echo: 'z' });
  });

  it('refuses a missing or foreign caller token with 401 before any resolver runs', async () => {
    const before = seen.length;
    const none = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ echo(text: "x") }' }) });
    expect(none.status).toBe(401);
    expect((await json(none)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const other = await signCallerToken(
      { subject: 'p-1', roles: ['PATIENT'], scopes: [], clientId: null, tokenId: null },
      { secret, audience: subgraphAudience('access') },
    );
    const foreign = await post(JSON.stringify({ query: '{ echo(text: "x") }' }), { 'x-caller-token': other });
    expect(foreign.status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it('answers malformed JSON, another content type, an unknown path and a wrong method with JSON errors', async () => {
    const malformed = await post('{"query": ');
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    const text = await post('{ echo }', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    await json(text);
    const latin1 = await post(JSON.stringify({ query: '{ echo(text: "x") }' }), { 'content-type': 'application/json; charset=latin1' });
    expect(latin1.status).toBe(415);
    await json(latin1);
    const utf8 = await post(JSON.stringify({ query: '{ echo(text: "x") }' }), { 'content-type': 'Application/JSON; charset="UTF-8"' });
    expect(utf8.status).toBe(200);
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect((await json(missing)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const put = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(put.status).toBe(405);
    await json(put);
    const postHealth = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(postHealth.status).toBe(405);
    await json(postHealth);
  });

  it('refuses bodies over 1 MiB with 413 (declared or streamed) and serves those under it', async () => {
    const big = await post(JSON.stringify({ query: '{ echo(text: "x") }', variables: { pad: 'a'.repeat(1_100_000) } }));
    expect(big.status).toBe(413);
    expect((await json(big)).errors?.[0].extensions?.code).toBe('REQUEST_TOO_LARGE');
    const ok = await post(JSON.stringify({ query: '{ echo(text: "x") }', variables: { pad: 'a'.repeat(900_000) } }));
    expect(ok.status).toBe(200);
    const streamed = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caller-token': token } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 30; i++) req.write('a'.repeat(50_000));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).errors[0].extensions.code).toBe('REQUEST_TOO_LARGE');
  });

  it('masks unexpected errors in production', async () => {
    const res = await post(JSON.stringify({ query: '{ boom }' }));
    const body = await json(res);
    expect(body.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('answers /healthz, /readyz, /metrics; /readyz is 503 and responses close the connection once not ready', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('graphql_requests_total');
    server.setNotReady();
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('connection')).toBe('close');
    const served = await post(JSON.stringify({ query: '{ echo(text: "still") }' }));
    expect(served.headers.get('connection')).toBe('close');
    expect((await json(served)).data).toEqual({ echo: 'still' });
  });

  it('runs interceptors before the routes', async () => {
    server.intercept((req, res) => {
      if (req.url !== '/graphql?down') return false;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"down"}]}');
      return true;
    });
    expect((await fetch(`${url}?down`, { method: 'POST' })).status).toBe(503);
  });
});
