/**
 * A/B of the entity cache (gateway/src/entityCache/, ENTITY_CACHE_SIZE) on `CabinetHome`, back
 * to back: every subgraph as its own process, and two gateway processes over them — one with the
 * cache off (ENTITY_CACHE_SIZE=0), one with it on — all in production mode (JWKS-verified tokens
 * from this script's issuer, grant checks and access log, persisted lists, random internal
 * secret). Rounds alternate (off, on, on, off, …); during each round the CPU time of every
 * process (`/proc/<pid>/stat`: the gateway of the arm, each subgraph, the PostgreSQL backends of
 * the database) is read before and after, so each gets its own milliseconds per request.
 *
 *   node -r @swc-node/register gateway/bench/entityCacheAB.ts [--users 1] [--requests 400] [--rounds 6] [--warmup 200] [--connections 4] [--out file.json]
 *
 * Database: a fresh one on TEST_DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432),
 * copied from `pc_bench_quick` (the quick bench data set) when it exists and nothing is
 * connected to it, else migrated and seeded with the demo data. `--users N`: the first N
 * patients with a grant to the state cabinet, one after the other (1: every request is the
 * same patient, the cache's best case; many: as many distinct doctors and divisions as they have).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DEMO_CABINETS } from '@pc/demo';
import { readManifests, readSubgraphList, repoRoot, subgraphUrlSetting } from '@pc/schema';
import { createDevIssuer } from '../src/auth/devIssuer';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const USERS = opt('users', 1);
const REQUESTS = opt('requests', 400);
const ROUNDS = opt('rounds', 6);
const WARMUP = opt('warmup', 200);
const CONNECTIONS = opt('connections', 4);
const outIdx = args.indexOf('--out');
const OUT = outIdx >= 0 ? args[outIdx + 1] : undefined;
const SERVER = (process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').replace(/\/[^/]*$/, '');
const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

type Arm = 'off' | 'on';

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** utime + stime of a process in ms (0 when it is gone). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

async function waitReady(url: string, child: ChildProcess, name: string): Promise<void> {
  const end = Date.now() + 120_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} not ready at ${url}`);
}

function start(name: string, entry: string, env: Record<string, string>, logDir: string): ChildProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const err: Buffer[] = [];
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  child.on('exit', () => writeFileSync(join(logDir, `${name}.stderr`), Buffer.concat(err)));
  return child;
}

async function createDatabase(): Promise<{ url: string; seeded: boolean; drop(): Promise<void> }> {
  const name = `pc_p2_entity_cache_${Date.now()}`;
  const admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  let seeded = true;
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE pc_bench_quick`);
  } catch (err) {
    process.stderr.write(`not copying pc_bench_quick (${(err as Error).message}); demo data instead\n`);
    await admin.query(`CREATE DATABASE ${name}`);
    seeded = false;
  } finally {
    await admin.end();
  }
  return {
    url: `${SERVER}/${name}`,
    seeded,
    async drop() {
      const c = new Client({ connectionString: `${SERVER}/postgres` });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function main(): Promise<void> {
  const db = await createDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'pc-entity-cache-ab-'));
  const children: ChildProcess[] = [];
  const issuer = await createDevIssuer('https://id.bench.invalid', 'patient-cabinet');
  const jwks = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks)));
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  try {
    const secret = (await import('node:crypto')).randomBytes(32).toString('base64url');
    const common = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '0',
      INTERNAL_TOKEN_SECRET: secret,
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
    };
    const list = readSubgraphList();
    const urls: Record<string, string> = {};
    for (const e of list) urls[e.name] = `http://127.0.0.1:${await freePort()}/graphql`;
    const subgraphs: Record<string, ChildProcess> = {};
    // One at a time: each runs its migrations (and the demo seed on an empty database).
    for (const e of list) {
      const env = {
        ...common,
        PORT: new URL(urls[e.name]).port,
        SEED_DEMO: db.seeded ? 'false' : 'true',
        ...Object.fromEntries(list.map((x) => [subgraphUrlSetting(x.name), urls[x.name]])),
      };
      subgraphs[e.name] = start(e.name, join('subgraphs', e.name, 'src', 'index.ts'), env, dataDir);
      children.push(subgraphs[e.name]);
      await waitReady(urls[e.name].replace(/graphql$/, 'readyz'), subgraphs[e.name], e.name);
    }
    const gateways = {} as Record<Arm, { child: ChildProcess; url: string; metricsUrl: string }>;
    for (const arm of ['off', 'on'] as Arm[]) {
      const port = await freePort();
      const metricsPort = await freePort();
      const env = {
        ...common,
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        SUBGRAPH_URLS: Object.entries(urls)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
        JWKS_URL: jwksUrl,
        JWT_ISSUER: issuer.issuer,
        JWT_AUDIENCE: issuer.audience,
        RATE_LIMIT_POINTS: '1000000000',
        ACCESS_LOG_SPOOL: 'false',
        ENTITY_CACHE_SIZE: arm === 'on' ? '20000' : '0',
      };
      const child = start(`gateway-${arm}`, join('gateway', 'src', 'index.ts'), env, dataDir);
      children.push(child);
      gateways[arm] = { child, url: `http://127.0.0.1:${port}/graphql`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
      await waitReady(`http://127.0.0.1:${port}/readyz`, child, `gateway-${arm}`);
    }
    // The cache answers once the gateway's listener has proven that notifications arrive.
    for (let i = 0; i < 100 && !/gateway_entity_cache_enabled\{[^}]*\} 1/.test(await (await fetch(gateways.on.metricsUrl)).text()); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const { rows: grants } = await pg.query<{ person_id: string; scopes: string[] }>(
      `SELECT g.person_id, g.scopes FROM access.access_grant g WHERE g.cabinet_id = $1 AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now())
       ORDER BY g.person_id LIMIT $2`,
      [DEMO_CABINETS.state.id, USERS],
    );
    if (grants.length === 0) throw new Error('no patient with a grant to the state cabinet');
    const tokens = await Promise.all(
      grants.map((g) => issuer.mint({ sub: g.person_id, roles: ['PATIENT'], scopes: g.scopes, clientId: DEMO_CABINETS.state.id })),
    );
    const op = readManifests().state.operations.find((o) => o.name === 'CabinetHome')!;
    const body = JSON.stringify({ operationName: op.name, variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    let next = 0;
    const post = (url: string) =>
      new Promise<{ ms: number; ok: boolean }>((resolve, reject) => {
        const token = tokens[next++ % tokens.length];
        const t0 = performance.now();
        const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ ms: performance.now() - t0, ok: res.statusCode === 200 && !text.includes('"errors"') });
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    const load = async (url: string, n: number) => {
      const lat: number[] = [];
      let errors = 0;
      let sent = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (sent < n) {
            sent++;
            const r = await post(url);
            lat.push(r.ms);
            if (!r.ok) errors++;
          }
        }),
      );
      return { lat: lat.sort((a, b) => a - b), errors };
    };
    const backendPids = async () =>
      (await pg.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map(
        (r) => r.pid,
      );

    for (const arm of ['off', 'on'] as Arm[]) await load(gateways[arm].url, WARMUP);
    const order: Arm[] = Array.from({ length: ROUNDS }, (_, i) => (['off', 'on', 'on', 'off'] as Arm[])[i % 4]);
    type Round = { arm: Arm; gateway: number; subgraphs: Record<string, number>; postgres: number; p50: number; p95: number; errors: number };
    const rounds: Round[] = [];
    for (const arm of order) {
      const pids = await backendPids();
      const before = {
        gw: cpuMs(gateways[arm].child.pid!),
        sg: Object.fromEntries(list.map((e) => [e.name, cpuMs(subgraphs[e.name].pid!)])),
        pg: pids.map(cpuMs),
      };
      const { lat, errors } = await load(gateways[arm].url, REQUESTS);
      const perReq = (a: number, b: number) => (b - a) / REQUESTS;
      const pgAfter = pids.map(cpuMs);
      rounds.push({
        arm,
        gateway: perReq(before.gw, cpuMs(gateways[arm].child.pid!)),
        subgraphs: Object.fromEntries(list.map((e) => [e.name, perReq(before.sg[e.name], cpuMs(subgraphs[e.name].pid!))])),
        postgres: pgAfter.reduce((s, v, i) => s + v - before.pg[i], 0) / REQUESTS,
        p50: lat[Math.floor(lat.length * 0.5)],
        p95: lat[Math.floor(lat.length * 0.95)],
        errors,
      });
      process.stdout.write(
        `${arm}: gateway ${rounds.at(-1)!.gateway.toFixed(2)} ms/req, directory ${rounds.at(-1)!.subgraphs.directory.toFixed(2)}, p50 ${rounds.at(-1)!.p50.toFixed(1)} ms\n`,
      );
    }
    const metrics = await (await fetch(gateways.on.metricsUrl)).text();
    const hitRatio = Number(/gateway_entity_cache_hit_ratio\{[^}]*\} ([\d.e-]+)/.exec(metrics)?.[1] ?? NaN);
    const mean = (arm: Arm, f: (r: Round) => number) => {
      const rs = rounds.filter((r) => r.arm === arm);
      return rs.reduce((s, r) => s + f(r), 0) / rs.length;
    };
    const summary = Object.fromEntries(
      (['off', 'on'] as Arm[]).map((arm) => [
        arm,
        {
          gateway: mean(arm, (r) => r.gateway),
          ...Object.fromEntries(list.map((e) => [e.name, mean(arm, (r) => r.subgraphs[e.name])])),
          postgres: mean(arm, (r) => r.postgres),
          p50: mean(arm, (r) => r.p50),
          p95: mean(arm, (r) => r.p95),
          errors: rounds.filter((r) => r.arm === arm).reduce((s, r) => s + r.errors, 0),
        },
      ]),
    );
    const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const result = {
      at: new Date().toISOString(),
      data: db.seeded ? 'pc_bench_quick copy' : 'demo',
      users: grants.length,
      requests: REQUESTS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      load1,
      hitRatio,
      summary,
      rounds_: rounds,
    };
    process.stdout.write(`${JSON.stringify({ users: grants.length, data: result.data, hitRatio, load1, summary }, null, 1)}\n`);
    if (OUT) writeFileSync(OUT, JSON.stringify(result, null, 1));
    await pg.end();
    agent.destroy();
  } finally {
    for (const c of children.reverse()) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    jwks.close();
    await db.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
