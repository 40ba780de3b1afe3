/**
 * Subgraph batching (gateway/src/subgraphBatching.ts) on against off, back to back in one process:
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
 *     node -r @swc-node/register bench/src/subgraphHttp/measureBatching.ts [--requests 300] [--rounds 8] [--warmup 200] [--concurrency 1]
 *
 * Two whole systems in production mode (`startSystem({ production: true })`: JWKS-verified tokens,
 * grant checks and access log, persisted lists; the rate limit raised), one with
 * `subgraphBatching: false`, then `CabinetHome` by persisted id (one patient token, node:http
 * keep-alive), rounds alternating the order (off on, on off, …). Everything runs in this one
 * process, so its CPU per request (`process.cpuUsage`) holds the client, the gateway and all
 * four subgraphs; the arms differ only in how the gateway sends the Doctor and Division fetches
 * (one batched HTTP call or two), so the difference is the gateway's and the directory's saving.
 * The directory's HTTP requests per CabinetHome are counted too.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { loadavg } from 'node:os';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { readManifests } from '@pc/schema';

type Arm = 'off' | 'on';
const ARMS: Arm[] = ['off', 'on'];
const opt = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const REQUESTS = opt('requests', 300);
const ROUNDS = opt('rounds', 8);
const WARMUP = opt('warmup', 200);
const CONCURRENCY = opt('concurrency', 1);

interface System {
  sys: RunningSystem;
  token: string;
  url: URL;
  directoryCalls: number;
}

async function start(arm: Arm): Promise<System> {
  const sys = await startSystem({
    production: true,
    edge: { rateLimit: { points: 1e9, cabinetPoints: 1e9, durationSeconds: 60 } },
    gateway: { subgraphBatching: arm === 'on' },
  });
  const s: System = { sys, token: await sys.token('patient'), url: new URL(sys.gatewayUrl), directoryCalls: 0 };
  sys.subgraphs.directory.server.intercept(() => {
    s.directoryCalls++;
    return false;
  });
  return s;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const cabinetHome = readManifests().state.operations.find((o) => o.name === 'CabinetHome')!;
const body = Buffer.from(
  JSON.stringify({ operationName: 'CabinetHome', variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash: cabinetHome.id } } }),
);

function post(s: System): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        method: 'POST',
        hostname: s.url.hostname,
        port: s.url.port,
        path: s.url.pathname,
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          authorization: `Bearer ${s.token}`,
          'x-request-id': randomUUID(),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200 || text.includes('"errors"')) reject(new Error(`${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(text);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function load(s: System, n: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) {
        const t = process.hrtime.bigint();
        await post(s);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  return latencies;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const systems = { off: await start('off'), on: await start('on') };
  const [a, b] = await Promise.all([post(systems.off), post(systems.on)]);
  if (a !== b) throw new Error(`the arms answer differently:\n${a}\n${b}`);
  for (const arm of ARMS) await load(systems[arm], WARMUP);
  const acc = { off: { cpu: [] as number[], lat: [] as number[], calls: 0 }, on: { cpu: [] as number[], lat: [] as number[], calls: 0 } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const arm of r % 2 === 0 ? ARMS : [...ARMS].reverse()) {
      const s = systems[arm];
      const calls = s.directoryCalls;
      const c = process.cpuUsage();
      acc[arm].lat.push(...(await load(s, REQUESTS)));
      const d = process.cpuUsage(c);
      acc[arm].cpu.push((d.user + d.system) / 1000 / REQUESTS);
      acc[arm].calls += s.directoryCalls - calls;
    }
  }
  const rows = ARMS.map((arm) => ({
    batching: arm,
    'process CPU ms/req (median)': median(acc[arm].cpu).toFixed(3),
    'min–max': `${Math.min(...acc[arm].cpu).toFixed(3)}–${Math.max(...acc[arm].cpu).toFixed(3)}`,
    'p50 ms': median(acc[arm].lat).toFixed(2),
    'directory calls/req': (acc[arm].calls / (ROUNDS * REQUESTS)).toFixed(2),
  }));
  const paired = acc.off.cpu.map((off, i) => off - (acc.on.cpu[i] as number));
  console.log(
    `\nCabinetHome, batching off vs on: ${ROUNDS} alternating rounds × ${REQUESTS} requests, ${CONCURRENCY} connection(s), after ${WARMUP} warm-up; load average ${loadavg()[0]!.toFixed(1)}`,
  );
  console.table(rows);
  console.log(
    `CPU saved per request by batching (median of paired rounds): ${median(paired).toFixed(3)} ms; on/off ${(median(acc.on.cpu) / median(acc.off.cpu)).toFixed(2)}`,
  );
  agent.destroy();
  await systems.on.sys.stop();
  await systems.off.sys.stop();
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
