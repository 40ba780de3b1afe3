/**
 * The access subgraph's CabinetHome fetch (the patient's grants with their cabinets) with the
 * loaders and context before this change (TypeORM repository reads) against the shipped ones
 * (prepared statements through hotQuery), back to back in one run:
 *
 *   node -r @swc-node/register subgraphs/access/bench/hotReadsAB.ts \
 *     [--requests 3000] [--rounds 8] [--warmup 3000] [--concurrency 1,8] [--fetch home] [--cpu-prof DIR]
 *
 * The method of bench/src/subgraphHttp/measureSubgraphHttp.ts and subgraphs/identity/bench/hotReadsAB.ts:
 * two child processes serve the access subgraph as shipped (NODE_ENV=production, node:http,
 * verified-token cache, demo data on the local PostgreSQL, database `pc_bench_http`), one with
 * the request context built as before (`typeormContext` below). The parent is the load generator
 * (node:http keep-alive, closed loop; its CPU is not counted). For each fetch and concurrency,
 * after `--warmup` requests per arm, rounds alternate the order (a b, b a, …); CPU per request =
 * the child's `process.cpuUsage()` (user + system) over a round / requests, median of the rounds.
 * Both arms' responses are checked to be byte-identical first. `--cpu-prof DIR` writes each
 * child's V8 profile there (on exit; start-up included, a few % of the samples).
 *
 * DATABASE_URL: default postgres://postgres@127.0.0.1:5432/pc_bench_http (created when missing).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { loadavg } from 'node:os';
import DataLoader from 'dataloader';
import { Client } from 'pg';
import { In, type DataSource } from 'typeorm';
import { signCallerToken, subgraphAudience } from '@pc/auth';
import { createDataSource, openDatabase, withDatabase } from '@pc/db';
import { DEMO_CABINETS, DEMO_PERSONAS, PATIENT_SCOPES } from '@pc/demo';
import { createLogger } from '@pc/logging';
import { byKeys, createSubgraphServer, groupByKeys, type SubgraphBaseContext, type SubgraphDeps, type SubgraphProcessConfig } from '@pc/server';
import { createContext, type AccessContext } from '../src/context';
import { AccessGrant } from '../src/entities/AccessGrant';
import { Cabinet } from '../src/entities/Cabinet';
import type { Loaders } from '../src/loaders/createLoaders';
import { AccessGrantService } from '../src/services/AccessGrantService';
import { AccessLogService } from '../src/services/AccessLogService';
import { name, resolvers, subgraph, typeDefs } from '../src/subgraph';

type Arm = 'typeorm' | 'prepared';
const ARMS: Arm[] = ['typeorm', 'prepared'];
const LABEL: Record<Arm, string> = { typeorm: 'before: TypeORM repository reads', prepared: 'after: prepared statements (hotQuery)' };

const QUERIES = {
  // What the gateway asks the access subgraph for in CabinetHome (the patient's grants, cabinets).
  home: {
    query: 'query CabinetHome__access__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{accessGrants{id status scopes cabinet{id name kind}}}}}',
    variables: { representations: [{ __typename: 'Person', id: DEMO_PERSONAS.patient.id }] },
    operationName: 'CabinetHome__access__1',
  },
} as const;

/** The loaders before this change: TypeORM repository reads. */
function typeormLoaders(ds: DataSource): Loaders {
  return {
    cabinetById: new DataLoader<string, Cabinet | null>(async (ids) => byKeys(ids, await ds.getRepository(Cabinet).findBy({ id: In([...ids]) }), (c) => c.id)),
    grantById: new DataLoader<string, AccessGrant | null>(async (ids) => byKeys(ids, await ds.getRepository(AccessGrant).findBy({ id: In([...ids]) }), (g) => g.id)),
    grantsByPersonId: new DataLoader<string, AccessGrant[]>(async (ids) =>
      groupByKeys(ids, await ds.getRepository(AccessGrant).find({ where: { personId: In([...ids]) }, order: { grantedAt: 'DESC', id: 'ASC' } }), (g) => g.personId),
    ),
  } as unknown as Loaders;
}

/** The request context before this change: the loaders above, both services built eagerly. */
function typeormContext(base: SubgraphBaseContext, ds: DataSource): AccessContext {
  const loaders = typeormLoaders(ds);
  return { ...base, loaders, grants: new AccessGrantService(ds, loaders, base.caller), accessLog: new AccessLogService(ds, base.caller) } as AccessContext;
}
type Fetch = keyof typeof QUERIES;

const arg = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

// ---------------------------------------------------------------- child: one subgraph process

async function serve(arm: Arm): Promise<void> {
  const log = createLogger({ service: name, level: 'error' });
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, schema: name, entities: subgraph.entities, migrations: subgraph.migrations, poolSize: 5, log });
  await openDatabase(dataSource);
  const config = { NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: process.env.INTERNAL_TOKEN_SECRET! } as SubgraphProcessConfig;
  const deps: SubgraphDeps & { config: SubgraphProcessConfig } = { dataSource, log, internalTokenSecret: config.INTERNAL_TOKEN_SECRET, nodeEnv: 'production', config };
  const server = createSubgraphServer(
    {
      name,
      typeDefs,
      resolvers,
      createContext: (base) => (arm === 'typeorm' ? typeormContext(base, dataSource) : createContext(base, dataSource)),
    },
    deps,
  );
  const { url } = await server.listen(0);
  process.on('message', (msg: string) => {
    if (msg === 'cpu') process.send!({ cpu: process.cpuUsage() });
    if (msg === 'stop') void server.stop().then(() => dataSource.destroy()).then(() => process.exit(0));
  });
  process.send!({ url });
}

// ---------------------------------------------------------------- parent: load generator

interface Child {
  proc: ChildProcess;
  url: URL;
  cpu(): Promise<number>;
}

async function spawnChild(arm: Arm, env: NodeJS.ProcessEnv): Promise<Child> {
  const prof = arg('--cpu-prof');
  const execArgv = ['-r', '@swc-node/register', ...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof, '--cpu-prof-name', `access-${arm}.cpuprofile`] : [])];
  const proc = fork(__filename, ['--serve', arm], { env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    proc.once('message', (m: { url: string }) => resolve(m.url));
    proc.once('exit', (code) => reject(new Error(`${arm} subgraph exited (${code})`)));
  });
  const cpu = () =>
    new Promise<number>((resolve) => {
      proc.once('message', (m: { cpu: NodeJS.CpuUsage }) => resolve((m.cpu.user + m.cpu.system) / 1000));
      proc.send('cpu');
    });
  return { proc, url: new URL(url), cpu };
}

function post(target: URL, agent: http.Agent, payload: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname, headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** N requests, `concurrency` at a time; latencies in ms, and what went wrong. */
async function load(target: URL, agent: http.Agent, n: number, concurrency: number, payload: Buffer, headers: () => Record<string, string>) {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) {
        const t = process.hrtime.bigint();
        try {
          const r = await post(target, agent, payload, headers());
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          if (r.status !== 200 || r.text.includes('"errors"') || !r.text.includes(DEMO_CABINETS.state.id)) errors.push(`${r.status} ${r.text.slice(0, 200)}`);
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    }),
  );
  return { latencies, errors, wallMs: Date.now() - started };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function ensureDatabase(url: string): Promise<void> {
  const db = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount) await admin.query(`CREATE DATABASE "${db.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

async function main(): Promise<void> {
  const requests = Number(arg('--requests') ?? 3000);
  const rounds = Number(arg('--rounds') ?? 8);
  const warmup = Number(arg('--warmup') ?? 3000);
  const concurrencies = (arg('--concurrency') ?? '1,8').split(',').map(Number);
  const fetches = (arg('--fetch') ?? 'home').split(',') as Fetch[];
  const log = createLogger({ service: 'bench', level: 'info' });

  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/pc_bench_http';
  await ensureDatabase(url);
  {
    const ds = await openDatabase(createDataSource({ url, schema: name, entities: subgraph.entities, migrations: subgraph.migrations, poolSize: 2, log }));
    await subgraph.seedDemo!(ds, log);
    await ds.destroy();
  }
  const secret = randomBytes(32).toString('hex');
  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, INTERNAL_TOKEN_SECRET: secret };
  const children = Object.fromEntries(await Promise.all(ARMS.map(async (a) => [a, await spawnChild(a, env)] as const))) as Record<Arm, Child>;
  const token = await signCallerToken(
    { subject: DEMO_PERSONAS.patient.id, roles: ['PATIENT'], scopes: PATIENT_SCOPES, clientId: DEMO_CABINETS.state.id, tokenId: randomUUID() },
    { secret, audience: subgraphAudience(name), ttlSeconds: 3600 },
  );
  const headers = () => ({ 'x-caller-token': token, 'x-request-id': randomUUID() });

  const rows: Record<string, string | number>[] = [];
  const ratios: string[] = [];
  for (const fetchKind of fetches) {
    const payload = Buffer.from(JSON.stringify(QUERIES[fetchKind]));
    {
      const agent = new http.Agent({ keepAlive: false });
      const [a, b] = await Promise.all(ARMS.map((arm) => post(children[arm].url, agent, payload, headers())));
      if (a!.text !== b!.text || a!.status !== 200) throw new Error(`the arms answer differently: ${a!.text} / ${b!.text}`);
    }
    for (const concurrency of concurrencies) {
      const agents = Object.fromEntries(ARMS.map((a) => [a, new http.Agent({ keepAlive: true, maxSockets: concurrency })])) as Record<Arm, http.Agent>;
      for (const a of ARMS) await load(children[a].url, agents[a], warmup, concurrency, payload, headers);
      const acc = Object.fromEntries(ARMS.map((a) => [a, { cpu: [] as number[], lat: [] as number[], rps: [] as number[], errors: [] as string[] }])) as Record<Arm, { cpu: number[]; lat: number[]; rps: number[]; errors: string[] }>;
      for (let r = 0; r < rounds; r++) {
        for (const a of r % 2 === 0 ? ARMS : [...ARMS].reverse()) {
          const before = await children[a].cpu();
          const run = await load(children[a].url, agents[a], requests, concurrency, payload, headers);
          acc[a].cpu.push(((await children[a].cpu()) - before) / requests);
          acc[a].lat.push(...run.latencies);
          acc[a].rps.push((requests * 1000) / run.wallMs);
          acc[a].errors.push(...run.errors);
        }
      }
      for (const a of ARMS) {
        const sorted = [...acc[a].lat].sort((x, y) => x - y);
        rows.push({
          fetch: fetchKind,
          connections: concurrency,
          arm: LABEL[a],
          'CPU ms/req (median)': median(acc[a].cpu).toFixed(3),
          'CPU min–max': `${Math.min(...acc[a].cpu).toFixed(3)}–${Math.max(...acc[a].cpu).toFixed(3)}`,
          'p50 ms': pct(sorted, 50).toFixed(2),
          'p99 ms': pct(sorted, 99).toFixed(2),
          'req/s (median)': median(acc[a].rps).toFixed(0),
          errors: acc[a].errors.length,
        });
        if (acc[a].errors.length) console.log(a, 'first errors:', acc[a].errors.slice(0, 3));
      }
      // Paired: the two arms' rounds ran next to each other, so their ratio round by round is the least noisy figure.
      const paired = acc.prepared.cpu.map((c, i) => c / (acc.typeorm.cpu[i] as number));
      ratios.push(`${fetchKind}, ${concurrency} connection(s): CPU after/before ${(median(acc.prepared.cpu) / median(acc.typeorm.cpu)).toFixed(2)} (medians), ${median(paired).toFixed(2)} (median of paired rounds)`);
      for (const ag of Object.values(agents)) ag.destroy();
    }
  }
  console.log(`\naccess CabinetHome fetch (grants with cabinets): ${rounds} alternating rounds × ${requests} requests per arm, fetch and concurrency, after ${warmup} warm-up requests; load average ${loadavg()[0]!.toFixed(1)}`);
  console.table(rows);
  for (const line of ratios) console.log(line);
  await Promise.all(ARMS.map((a) => new Promise<void>((resolve) => (children[a].proc.once('exit', () => resolve()), children[a].proc.send('stop')))));
}

if (process.argv[2] === '--serve') {
  void serve(process.argv[3] as Arm).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  void main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
