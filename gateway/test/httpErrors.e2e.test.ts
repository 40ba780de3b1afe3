import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@pc/logging';
import { repoRoot } from '@pc/schema';
import { createDevIssuer, createGatewayServer, createTokenVerifier, type GatewayServer } from '../src/lib';

/**
 * Every HTTP error of the gateway is a GraphQL-shaped JSON body with `extensions.code`, never an
 * Express HTML page; /metrics is on its own port in production. No subgraph is needed: none of
 * these requests gets as far as a subgraph call.
 */
describe('gateway HTTP errors and the metrics port', () => {
  let prod: GatewayServer;
  let dev: GatewayServer;
  let url: string;
  let devUrl: string;
  let metricsUrl: string | undefined;

  beforeAll(async () => {
    const issuer = await createDevIssuer('pc-dev-issuer', 'patient-cabinet');
    const build = (nodeEnv: string, metricsPort?: number) =>
      createGatewayServer({
        supergraphSdl: readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'),
        verifyToken: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, publicKey: issuer.publicKey }),
        internalTokenSecret: 'x'.repeat(32),
        log: createLogger({ service: 'gateway', level: 'silent' }),
        nodeEnv,
        metricsPort,
        guards: [
          ({ caller, req }) => {
            if (req.headers['x-test-boom']) throw new Error('guard bug: secret detail');
            return caller;
          },
        ],
      });
    prod = build('production', 0);
    ({ url, metricsUrl } = await prod.listen(0));
    dev = build('test');
    devUrl = (await dev.listen(0)).url;
  });
  afterAll(async () => {
    await prod?.stop();
    await dev?.stop();
  });

  const expectJsonError = async (res: Response, status: number, code: string) => {
    const text = await res.text();
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status, type: expect.stringMatching(/^application\/json/) });
    expect(text).not.toMatch(/<html|<!DOCTYPE|<pre>/i);
    const body = JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe(code);
    return body.errors[0];
  };

  it('unknown paths are a JSON 404 NOT_FOUND', async () => {
    await expectJsonError(await fetch(new URL('/nope', url)), 404, 'NOT_FOUND');
    await expectJsonError(await fetch(new URL('/graphq1', url), { method: 'POST' }), 404, 'NOT_FOUND');
    await expectJsonError(await fetch(new URL('/%E0%A4%A', url)), 404, 'NOT_FOUND');
  });

  it('methods other than GET and POST are a JSON 405', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      await expectJsonError(res, 405, 'BAD_REQUEST');
    }
  });

  it('malformed and unsupported bodies are a JSON 400/415', async () => {
    await expectJsonError(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' }), 400, 'BAD_REQUEST');
    await expectJsonError(
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=koi8-r' }, body: '{}' }),
      415,
      'BAD_REQUEST',
    );
    await expectJsonError(await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }), 400, 'BAD_REQUEST');
  });

  it('a browser GET of /graphql in production is JSON, not a page', async () => {
    await expectJsonError(await fetch(url, { headers: { accept: 'text/html' } }), 400, 'BAD_REQUEST');
  });

  it('an error thrown in a guard is a JSON 500 INTERNAL_SERVER_ERROR without details', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-boom': '1' }, body: '{"query":"{ __typename }"}' });
    const error = await expectJsonError(res, 500, 'INTERNAL_SERVER_ERROR');
    expect(error.message).toBe('Internal server error');
  });

  it('production serves /metrics on its own port only', async () => {
    await expectJsonError(await fetch(new URL('/metrics', url)), 404, 'NOT_FOUND');
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl!).port).not.toBe(new URL(url).port);
    const res = await fetch(metricsUrl!);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/process_cpu_seconds_total/);
    await expectJsonError(await fetch(new URL('/graphql', metricsUrl)), 404, 'NOT_FOUND');
  });

  it('outside production without a metrics port, /metrics stays on the main port', async () => {
    const res = await fetch(new URL('/metrics', devUrl));
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/process_cpu_seconds_total/);
  });
});
