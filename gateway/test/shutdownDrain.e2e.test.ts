import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifests, repoRoot } from '@pc/schema';
import type { SubgraphModule } from '@pc/server';
import { startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { createDevIssuer, type DevIssuer } from '../src/auth/devIssuer';

/**
 * SIGTERM under load, in production mode, on the real gateway process (gateway/src/index.ts):
 * /readyz turns 503 at once while GraphQL requests keep succeeding for SHUTDOWN_DELAY_MS, a
 * request still in flight when the port closes completes, not one request fails, and the
 * process exits 0.
 */
describe('gateway SIGTERM: not ready first, serve through the delay, drain, exit 0 (production)', () => {
  const DELAY_MS = 1500;
  /** How long the test's proxy holds a subgraph call whose variables name `slowpoke`. */
  const SLOW_MS = 1200;
  let db: TestDatabase;
  let directory: RunningSubgraph;
  let dataDir: string;
  let jwks: http.Server;
  let proxy: http.Server;
  let child: ChildProcess | undefined;
  let jwksUrl: string;
  let proxyUrl: string;
  let issuer: DevIssuer;
  const secret = randomBytes(32).toString('hex');

  const listen = async (server: http.Server): Promise<string> => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const freePort = () =>
    new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });

  beforeAll(async () => {
    db = await startTestDatabase();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = (require('@pc/directory') as { subgraph: SubgraphModule }).subgraph;
    directory = await startSubgraph(mod, { databaseUrl: db.url, seed: false, nodeEnv: 'production', internalTokenSecret: secret });
    dataDir = mkdtempSync(join(tmpdir(), 'pc-gw-drain-'));
    // The identity provider's JWKS endpoint (production verifies tokens only through one).
    issuer = await createDevIssuer('https://id.test.invalid', 'patient-cabinet');
    jwks = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks)));
    // Between gateway and directory: holds the subgraph calls of searches for `slowpoke`, forwards the rest.
    proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const forward = async () => {
          const upstream = await fetch(directory.url, { method: 'POST', headers: req.headers as Record<string, string>, body });
          res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(Buffer.from(await upstream.arrayBuffer()));
        };
        setTimeout(() => void forward().catch(() => res.destroy()), body.includes('slowpoke') ? SLOW_MS : 0);
      });
    });
    jwksUrl = await listen(jwks);
    proxyUrl = await listen(proxy);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await new Promise<void>((resolve) => jwks?.close(() => resolve()));
    proxy?.closeAllConnections();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
    await directory?.stop();
    await db?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function startGateway(): Promise<{ url: string; base: string; output: () => string }> {
    const port = await freePort();
    child = spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'gateway', 'src', 'index.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        PORT: String(port),
        METRICS_PORT: String(await freePort()),
        INTERNAL_TOKEN_SECRET: secret,
        JWKS_URL: `${jwksUrl}/.well-known/jwks.json`,
        JWT_ISSUER: issuer.issuer,
        JWT_AUDIENCE: issuer.audience,
        DATA_DIR: dataDir,
        DATABASE_URL: db.url,
        REDIS_URL: '',
        SUBGRAPH_URLS: `directory=${proxyUrl}/graphql`,
        RATE_LIMIT_POINTS: '1000000',
        SHUTDOWN_DELAY_MS: String(DELAY_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start: ${out}`)), 90_000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /"url":"(http:[^"]+)".*gateway ready/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child!.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child!.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${out}`)));
    });
    return { url, base: url.replace(/\/graphql$/, ''), output: () => out };
  }

  /** The public doctor search, sent as production clients do: by its persisted id. */
  const findDoctor = readManifests().public.operations.find((o) => o.name === 'FindDoctor')!;
  const search = async (url: string, name: string): Promise<{ ok: boolean; detail?: string }> => {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          operationName: findDoctor.name,
          variables: { first: 1, filter: { name } },
          extensions: { persistedQuery: { version: 1, sha256Hash: findDoctor.id } },
        }),
      });
      const body = (await res.json()) as { data?: { searchDoctors?: { totalCount?: number } }; errors?: unknown };
      if (res.status === 200 && typeof body.data?.searchDoctors?.totalCount === 'number') return { ok: true };
      return { ok: false, detail: `${res.status} ${JSON.stringify(body)}` };
    } catch (err) {
      return { ok: false, detail: String((err as { cause?: unknown }).cause ?? err) };
    }
  };
  /** One keep-alive GET; resolves with the status and the Connection header. */
  const get = (url: string) =>
    new Promise<{ status: number; connection?: string }>((resolve, reject) => {
      http
        .get(url, { agent: new http.Agent({ keepAlive: true }) }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        })
        .on('error', reject);
    });

  it('loses no request: 503 on /readyz while GraphQL still answers, the in-flight request completes, exit 0', async () => {
    const gw = await startGateway();
    expect((await get(`${gw.base}/readyz`)).status).toBe(200);
    expect(await search(gw.url, 'Ivan')).toEqual({ ok: true });

    // Continuous load: 6 clients back to back, until a load balancer would have stopped sending.
    let sending = true;
    const results: { ok: boolean; detail?: string; at: number }[] = [];
    const client = async () => {
      while (sending) results.push({ ...(await search(gw.url, 'Ivan')), at: Date.now() });
    };
    const clients = Array.from({ length: 6 }, () => client());
    await new Promise((r) => setTimeout(r, 500));

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const signalledAt = Date.now();
    child!.kill('SIGTERM');
    let notReadyAt = 0;
    while (!notReadyAt) {
      const r = await get(`${gw.base}/readyz`);
      if (r.status === 503) notReadyAt = Date.now();
      else await new Promise((res) => setTimeout(res, 20));
    }
    expect(notReadyAt - signalledAt).toBeLessThan(DELAY_MS / 2);
    // Still serving, and asking keep-alive clients to reconnect elsewhere.
    expect((await get(`${gw.base}/healthz`)).connection).toBe('close');

    // Times count from the signal, not from when this test saw the 503 (late on a loaded machine):
    // the port closes DELAY_MS after the signal.
    const at = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, signalledAt + ms - Date.now())));
    // A slow request, still in flight when the delay ends and the port closes.
    await at(DELAY_MS - 600);
    const slow = search(gw.url, 'slowpoke');
    // The load balancer has long seen the 503: no new requests after this point.
    await at(DELAY_MS - 300);
    sending = false;
    await Promise.all(clients);

    expect(await slow).toEqual({ ok: true });
    expect(await exited).toBe(0);
    const failed = results.filter((r) => !r.ok);
    expect(failed).toEqual([]);
    // Requests were answered while /readyz said 503.
    expect(results.filter((r) => r.at > notReadyAt).length).toBeGreaterThan(5);
    expect(results.length).toBeGreaterThan(20);
    expect(gw.output()).toMatch(/shutting down: not ready, still serving for 1500 ms/);
  }, 150_000);
});
