import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createLogger } from '@pc/logging';
import { repoRoot } from '@pc/schema';
import { rateLimitGuard } from '../src/edge/rateLimitGuard';
import { createDevIssuer, createGatewayServer, createTokenVerifier, type GatewayDeps, type GatewayServer } from '../src/lib';

/**
 * The gateway's HTTP front (node:http, createGatewayServer.ts) where its behaviour is its own
 * rather than Apollo's: TRUST_PROXY deciding the client address, the body limit read from its
 * size string, and methods other than GET/POST. No subgraph is needed: `{ __typename }` is
 * answered by the gateway itself.
 */
describe('gateway HTTP front', () => {
  const servers: GatewayServer[] = [];
  let issuer: Awaited<ReturnType<typeof createDevIssuer>>;

  beforeAll(async () => {
    issuer = await createDevIssuer('pc-dev-issuer', 'patient-cabinet');
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  const build = (extra: Partial<GatewayDeps>) =>
    createGatewayServer({
      supergraphSdl: readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'),
      verifyToken: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, publicKey: issuer.publicKey }),
      internalTokenSecret: 'x'.repeat(32),
      log: createLogger({ service: 'gateway', level: 'silent' }),
      nodeEnv: 'test',
      ...extra,
    });
  const start = async (extra: Partial<GatewayDeps>) => {
    const server = build(extra);
    servers.push(server);
    return (await server.listen(0)).url;
  };
  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const typename = '{"query":"{ __typename }"}';

  describe('TRUST_PROXY decides the address anonymous callers are rate-limited by', () => {
    /** A gateway allowing one anonymous request per address, recording the address each request had. */
    const limited = async (trustProxy: GatewayDeps['trustProxy']) => {
      const seen: string[] = [];
      const url = await start({
        trustProxy,
        guards: [
          ({ caller, req }) => {
            seen.push(req.ip);
            return caller;
          },
          rateLimitGuard({ points: 1, cabinetPoints: 0, durationSeconds: 60 }),
        ],
      });
      const status = async (xff: string) => (await post(url, typename, { 'x-forwarded-for': xff })).status;
      return { seen, status };
    };

    it('off: the socket peer, whatever X-Forwarded-For says', async () => {
      const { seen, status } = await limited(false);
      expect([await status('203.0.113.1'), await status('203.0.113.2')]).toEqual([200, 429]);
      expect(seen).toEqual(['127.0.0.1', '127.0.0.1']);
    });

    it('a hop count trusts that many proxies from the socket back', async () => {
      const one = await limited(1);
      expect([
        await one.status('198.51.100.1, 203.0.113.2'),
        await one.status('198.51.100.9, 203.0.113.2'),
        await one.status('198.51.100.1, 203.0.113.3'),
      ]).toEqual([200, 429, 200]);
      expect(one.seen).toEqual(['203.0.113.2', '203.0.113.2', '203.0.113.3']);
      const two = await limited(2);
      expect([
        await two.status('198.51.100.1, 203.0.113.2'),
        await two.status('198.51.100.1, 203.0.113.9'),
        await two.status('198.51.100.2, 203.0.113.2'),
      ]).toEqual([200, 429, 200]);
      expect(two.seen).toEqual(['198.51.100.1', '198.51.100.1', '198.51.100.2']);
    });

    it('an address and subnet list trusts only proxies in it', async () => {
      const { seen, status } = await limited('loopback, 10.0.0.0/8');
      // 10.1.2.3 is a trusted proxy: the address before it is the client's.
      expect([await status('198.51.100.3, 10.1.2.3'), await status('198.51.100.3, 10.9.9.9')]).toEqual([200, 429]);
      // 192.0.2.4 is not trusted: it is the client, whatever it claims before it.
      expect([await status('198.51.100.3, 192.0.2.4'), await status('198.51.100.4, 192.0.2.4')]).toEqual([200, 429]);
      expect(seen).toEqual(['198.51.100.3', '198.51.100.3', '192.0.2.4', '192.0.2.4']);
    });
  });

  describe('the body limit', () => {
    it('is read from its size string (1kb = 1024 bytes)', async () => {
      const url = await start({ maxBodySize: '1kb' });
      const padded = (size: number) => typename + ' '.repeat(size - typename.length);
      const fits = await post(url, padded(1024));
      expect(fits.status).toBe(200);
      expect(await fits.json()).toEqual({ data: { __typename: 'Query' } });
      const over = await post(url, padded(1025));
      expect(over.status).toBe(413);
      expect(await over.json()).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_TOO_LARGE' } }] });
    });

    it('counts the decompressed size of a gzip body, as body-parser did', async () => {
      const url = await start({ maxBodySize: '1kb' });
      const gzip = (text: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(text) });
      const fits = await gzip(typename);
      expect(await fits.json()).toEqual({ data: { __typename: 'Query' } });
      // ~40 bytes on the wire, 2 KB once inflated.
      expect((await gzip(typename + ' '.repeat(2048))).status).toBe(413);
      const unknown = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'compress' }, body: typename });
      expect(unknown.status).toBe(415);
      expect(await unknown.json()).toEqual({ errors: [{ message: 'unsupported content encoding "compress"', extensions: { code: 'BAD_REQUEST' } }] });
    });

    it('that is not a size is refused when the gateway is built', () => {
      expect(() => build({ maxBodySize: 'lots' })).toThrow(/lots/);
    });
  });

  describe('methods Apollo does not serve', () => {
    let url: string;
    beforeAll(async () => {
      url = await start({});
    });

    it('OPTIONS is Apollo CSRF refusal without a preflight header, else a JSON 405 allowing GET and POST', async () => {
      const bare = await fetch(url, { method: 'OPTIONS' });
      expect(bare.status).toBe(400);
      expect(((await bare.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(/Cross-Site Request Forgery/);
      const res = await fetch(url, { method: 'OPTIONS', headers: { 'apollo-require-preflight': '1' } });
      expect({ status: res.status, allow: res.headers.get('allow'), type: res.headers.get('content-type') }).toEqual({
        status: 405,
        allow: 'GET, POST',
        type: 'application/json; charset=utf-8',
      });
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('BAD_REQUEST');
    });

    it('HEAD is answered like OPTIONS, without a body', async () => {
      expect((await raw(url, 'HEAD')).status).toBe(400);
      const { status, headers, body } = await raw(url, 'HEAD', { 'content-type': 'application/json' });
      expect({ status, allow: headers.allow, body }).toEqual({ status: 405, allow: 'GET, POST', body: '' });
    });
  });

  it('serves the landing page as HTML outside production', async () => {
    const res = await fetch(await start({}), { headers: { accept: 'text/html' } });
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status: 200, type: 'text/html; charset=utf-8' });
    expect(await res.text()).toMatch(/<html/i);
  });
});

/** One request with node:http (fetch hides HEAD's framing). */
function raw(url: string, method: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
