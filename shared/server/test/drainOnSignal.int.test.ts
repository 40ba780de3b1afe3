import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CALLER_TOKEN_HEADER, anonymousCaller, signCallerToken, subgraphAudience } from '@pc/auth';
import { createLogger } from '@pc/logging';
import { repoRoot } from '@pc/schema';
import { startTestDatabase, type TestDatabase } from '@pc/testing';
import { drainOnSignal } from '../src/lifecycle';

describe('drainOnSignal: the order of a shutdown', () => {
  const log = createLogger({ service: 'test', level: 'silent' });

  it('reports not ready first, waits the delay, then stops and exits 0', async () => {
    const events: string[] = [];
    const started = Date.now();
    let exited!: (code: number) => void;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    const drain = drainOnSignal({
      setNotReady: () => events.push(`not ready +${Date.now() - started}`),
      delayMs: 200,
      stop: async () => {
        events.push(`stop +${Date.now() - started}`);
      },
      log,
      signals: [],
      exit: (code) => exited(code),
    });
    void drain.shutdown('SIGTERM');
    expect(events).toHaveLength(1);
    expect(await exit).toBe(0);
    const stopAt = Number(/\+(\d+)/.exec(events[1])![1]);
    expect(events[0]).toMatch(/^not ready \+\d$/);
    expect(stopAt).toBeGreaterThanOrEqual(195);
    drain.dispose();
  });

  it('a second signal skips the rest of the delay; a failed stop exits 1', async () => {
    let exited!: (code: number) => void;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    const setNotReady = jest.fn();
    const drain = drainOnSignal({
      setNotReady,
      delayMs: 60_000,
      stop: () => Promise.reject(new Error('pool')),
      log,
      signals: [],
      exit: (code) => exited(code),
    });
    const started = Date.now();
    void drain.shutdown('SIGINT');
    void drain.shutdown('SIGTERM');
    expect(await exit).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(setNotReady).toHaveBeenCalledTimes(1);
    drain.dispose();
  });
});

/**
 * The subgraph process (runSubgraph, here the directory's src/index.ts) in production mode:
 * SIGTERM under continuous load turns /readyz 503 while GraphQL keeps answering for
 * SHUTDOWN_DELAY_MS, no request fails, and the process exits 0.
 */
describe('subgraph process SIGTERM under load (production)', () => {
  const DELAY_MS = 1500;
  const secret = randomBytes(32).toString('hex');
  let db: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    db = await startTestDatabase();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db?.stop();
  });

  const get = (url: string) =>
    new Promise<{ status: number; connection?: string }>((resolve, reject) => {
      http
        .get(url, { agent: new http.Agent({ keepAlive: true }) }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        })
        .on('error', reject);
    });

  it('serves through the delay with /readyz at 503, loses no request, exits 0', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    child = spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'subgraphs', 'directory', 'src', 'index.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        PORT: String(port),
        INTERNAL_TOKEN_SECRET: secret,
        DATABASE_URL: db.url,
        SEED_DEMO: 'false',
        SHUTDOWN_DELAY_MS: String(DELAY_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`subgraph did not start: ${out}`)), 90_000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/directory subgraph ready/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child!.once('exit', (code) => reject(new Error(`subgraph exited (${code}): ${out}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const token = await signCallerToken(anonymousCaller('drain-test'), { secret, audience: subgraphAudience('directory') });
    const search = async (): Promise<{ ok: boolean; detail?: string; at: number }> => {
      try {
        const res = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [CALLER_TOKEN_HEADER]: token },
          body: JSON.stringify({ query: '{ searchDoctors(first: 3) { totalCount } }' }),
        });
        const body = (await res.json()) as { data?: { searchDoctors?: { totalCount?: number } } };
        return { ok: typeof body.data?.searchDoctors?.totalCount === 'number', detail: JSON.stringify(body), at: Date.now() };
      } catch (err) {
        return { ok: false, detail: String((err as { cause?: unknown }).cause ?? err), at: Date.now() };
      }
    };
    expect((await search()).ok).toBe(true);

    let sending = true;
    const results: Awaited<ReturnType<typeof search>>[] = [];
    const clients = Array.from({ length: 4 }, async () => {
      while (sending) results.push(await search());
    });
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    let notReadyAt = 0;
    while (!notReadyAt) {
      if ((await get(`${base}/readyz`)).status === 503) notReadyAt = Date.now();
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(notReadyAt - signalledAt).toBeLessThan(DELAY_MS / 2);
    expect((await get(`${base}/healthz`)).connection).toBe('close');
    // A load balancer stops sending a while after the 503, well before the delay ends (counted
    // from the signal: the port closes DELAY_MS after it, however late this test saw the 503).
    await new Promise((r) => setTimeout(r, Math.max(0, signalledAt + DELAY_MS - 500 - Date.now())));
    sending = false;
    await Promise.all(clients);

    expect(await exited).toBe(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.filter((r) => r.at > notReadyAt).length).toBeGreaterThan(5);
    expect(out).toMatch(/shutting down: not ready, still serving for 1500 ms/);
  }, 150_000);
});
