import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { DEMO_CABINETS, DEMO_PERSONAS, PATIENT_SCOPES } from '@pc/demo';
import { createLogger } from '@pc/logging';
import { repoRoot } from '@pc/schema';
import type { SubgraphModule } from '@pc/server';
import { startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { AccessLogWriter, type AccessLogRecord } from '../src/access/AccessLogWriter';
import { loadDevIssuer, type DevIssuer } from '../src/auth/devIssuer';

/**
 * What happens to access log entries when the gateway process dies: the real gateway process
 * (gateway/src/index.ts) with its write-ahead spool, killed with SIGKILL right after answering,
 * and stopped with SIGTERM.
 */
describe('access log across a gateway crash (spool) and a graceful stop (flush)', () => {
  let db: TestDatabase;
  let subgraphs: RunningSubgraph[];
  let dataDir: string;
  let issuer: DevIssuer;
  let pool: Pool;
  const silent = createLogger({ service: 'test', level: 'silent' });

  beforeAll(async () => {
    db = await startTestDatabase();
    // Loaded by name like startSystem does: the gateway package does not depend on subgraphs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = (name: string) => (require(`@pc/${name}`) as { subgraph: SubgraphModule }).subgraph;
    subgraphs = [await startSubgraph(mod('identity'), { databaseUrl: db.url }), await startSubgraph(mod('access'), { databaseUrl: db.url })];
    dataDir = mkdtempSync(join(tmpdir(), 'pc-gw-crash-'));
    issuer = await loadDevIssuer(dataDir, 'pc-dev-issuer', 'patient-cabinet');
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    for (const s of subgraphs ?? []) await s.stop();
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts gateway/src/index.ts as its own process; resolves with its URL once it listens. */
  async function startGatewayProcess(): Promise<{ child: ChildProcess; url: string }> {
    // The gateway's config refuses PORT=0, so borrow a free port from the OS first.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'gateway', 'src', 'index.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: db.url,
        SUBGRAPH_URLS: subgraphs.map((s) => `${s.name}=${s.url}`).join(','),
        // Nothing is flushed by the timer before the kill: only the spool can save the entries.
        ACCESS_LOG_FLUSH_MS: '3600000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`gateway did not start: ${out}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /"url":"(http:[^"]+)".*gateway ready/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${out}`)));
    });
    return { child, url };
  }

  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const entries = async (operationName: string) =>
    Number((await pool.query('SELECT count(*) AS n FROM access.access_log WHERE operation_name = $1', [operationName])).rows[0].n);

  async function readThrough(url: string, operationName: string, times: number): Promise<void> {
    const token = await issuer.mint({ sub: DEMO_PERSONAS.patient.id, roles: ['PATIENT'], scopes: PATIENT_SCOPES, clientId: DEMO_CABINETS.state.id });
    for (let i = 0; i < times; i++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `query ${operationName} { me { id } }` }),
      });
      const body = (await res.json()) as { data?: { me?: { id: string } } };
      expect(body.data?.me?.id).toBe(DEMO_PERSONAS.patient.id);
    }
  }

  it('loses no entry whose response went out when the process is killed (SIGKILL): the next start replays the spool', async () => {
    const { child, url } = await startGatewayProcess();
    await readThrough(url, 'BeforeCrash', 3);
    const gone = exited(child);
    child.kill('SIGKILL');
    await gone;
    expect(await entries('BeforeCrash')).toBe(0);
    // The next gateway on the same DATA_DIR (here just its writer) finds the dead process's spool.
    const writer = new AccessLogWriter({ pool, log: silent, spoolDir: join(dataDir, 'access-log-spool') });
    writer.start();
    expect(await writer.recovery).toBe(3);
    await writer.stop();
    expect(await entries('BeforeCrash')).toBe(3);
    expect(readdirSync(join(dataDir, 'access-log-spool'))).toEqual([]);
  });

  it('flushes on SIGTERM and leaves no spool behind', async () => {
    const { child, url } = await startGatewayProcess();
    await readThrough(url, 'BeforeStop', 2);
    const code = exited(child);
    child.kill('SIGTERM');
    expect(await code).toBe(0);
    expect(await entries('BeforeStop')).toBe(2);
    expect(readdirSync(join(dataDir, 'access-log-spool'))).toEqual([]);
  });

  it('replays a spool with a torn last line, and a segment already written, without duplicates', async () => {
    const root = join(dataDir, 'access-log-spool');
    // A process id that is not running: the directory of a gateway that died mid-write.
    const dead = join(root, `${hostname()}-2147483646-0badc0de`);
    mkdirSync(dead, { recursive: true });
    const entry = (op: string): AccessLogRecord => ({
      id: randomUUID(),
      at: new Date().toISOString(),
      personId: DEMO_PERSONAS.patient.id,
      cabinetId: DEMO_CABINETS.state.id,
      actor: DEMO_PERSONAS.patient.id,
      actorRole: 'PATIENT',
      action: 'READ',
      resource: 'person',
      operationName: op,
      requestId: null,
      tokenId: null,
    });
    const written = entry('Replayed');
    const fresh = [entry('Replayed'), entry('Replayed')];
    // `written` reached the database before the crash, but its segment was not yet deleted.
    const writer = new AccessLogWriter({ pool, log: silent });
    writer.record([written]);
    await writer.flush();
    writeFileSync(join(dead, '00000000.ndjson'), `${JSON.stringify(written)}\n`);
    writeFileSync(join(dead, '00000001.ndjson'), `${fresh.map((e) => JSON.stringify(e)).join('\n')}\n{"id":"${randomUUID()}","at":"20`);
    const recovering = new AccessLogWriter({ pool, log: silent, spoolDir: root });
    recovering.start();
    await recovering.recovery;
    await recovering.stop();
    await writer.stop();
    expect(await entries('Replayed')).toBe(3);
    expect(existsSync(dead)).toBe(false);
  });
});
