import { Registry } from 'prom-client';
import { createLogger } from '@pc/logging';
import { createServiceHost, type Readiness, type ServiceHost } from '../src/serviceHost';

const log = createLogger({ service: 'test', level: 'silent' });

describe('createServiceHost: the one HTTP host of the gateway and every subgraph', () => {
  let host: ServiceHost | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  function start(opts: { readiness?: () => Readiness | Promise<Readiness>; metricsPort?: number; delayMs?: number } = {}) {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'probe' });
    host = createServiceHost({
      handler: (req, res) => {
        const answer = () =>
          res.writeHead(req.url === '/graphql' ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ handled: req.url }));
        if (opts.delayMs) setTimeout(answer, opts.delayMs);
        else answer();
      },
      registry,
      readiness: opts.readiness,
      metricsPort: opts.metricsPort,
      log,
    });
    return host.listen(0);
  }

  it('serves /healthz, /readyz and /metrics itself, everything else through the handler; other methods on its paths are 405 JSON', async () => {
    const { url } = await start();
    const base = url.replace(/\/graphql$/, '');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
    expect((await fetch(`${base}/metrics`)).headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await (await fetch(url, { method: 'POST' })).json()).toEqual({ handled: '/graphql' });
    const post = await fetch(`${base}/readyz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await post.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('reports readiness: degraded is still ready (200), a failed check is 503 with its reason, not ready once draining', async () => {
    let state: Readiness | Error = { ready: true, degraded: ['redis'] };
    const { url } = await start({
      readiness: () => {
        if (state instanceof Error) throw state;
        return state;
      },
    });
    const readyz = async () => {
      const res = await fetch(url.replace(/\/graphql$/, '/readyz'));
      return { status: res.status, body: await res.json(), connection: res.headers.get('connection') };
    };
    expect(await readyz()).toMatchObject({ status: 200, body: { status: 'degraded', degraded: ['redis'] } });
    state = new Error('database unreachable');
    expect(await readyz()).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'database unreachable' } });
    state = { ready: true };
    host!.setNotReady();
    expect(await readyz()).toEqual({ status: 503, body: { status: 'stopping' }, connection: 'close' });
    // Still serving while draining, each answer closing its keep-alive connection.
    const served = await fetch(url, { method: 'POST' });
    expect(served.status).toBe(200);
    expect(served.headers.get('connection')).toBe('close');
  });

  it('serves /metrics on its own port when given one, and not on the public port', async () => {
    const { url, metricsUrl } = await start({ metricsPort: 0 });
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect((await fetch(metricsUrl!)).status).toBe(200);
    expect(await (await fetch(url.replace(/\/graphql$/, '/metrics'))).json()).toEqual({ handled: '/metrics' });
    const other = await fetch(metricsUrl!.replace(/\/metrics$/, '/graphql'));
    expect(other.status).toBe(404);
    expect((await other.json()).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('stop lets the in-flight request finish, closes its connection at once, then refuses new connections', async () => {
    const { url } = await start({ delayMs: 300 });
    const inFlight = fetch(url, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    const stopped = host!.stop();
    expect((await inFlight).status).toBe(200);
    await stopped;
    // Not the 10 s grace: the keep-alive connection closed as soon as its response was sent.
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
    host = undefined;
  });

  it('runs interceptors before every route, its own included', async () => {
    const { url } = await start();
    host!.intercept((_req, res) => {
      res.writeHead(503).end();
      return true;
    });
    expect((await fetch(url.replace(/\/graphql$/, '/readyz'))).status).toBe(503);
  });
});
