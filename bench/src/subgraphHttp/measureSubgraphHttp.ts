/**
 * The subgraph HTTP layer, old (Express 5 + @as-integrations/express5) against new (node:http
 * driving Apollo's executeHTTPGraphQLRequest), back to back in one run:
 *
 *   node -r @swc-node/register bench/src/subgraphHttp/measureSubgraphHttp.ts \
 *     [--requests 2000] [--rounds 6] [--concurrency 1,8] [--warmup 1500] [--cpu-prof]
 *
 * Three child processes serve the identity subgraph (NODE_ENV=production) on the same database,
 * one per layer (old; new with the caller token verified on every request; new as shipped, with
 * the verified-token cache); the parent is the load generator (node:http keep-alive, closed loop), so its CPU
 * is not counted. For each concurrency, rounds alternate the order (a b c, c b a, …); CPU
 * per request is the subgraph process's `process.cpuUsage()` (user + system) over a round /
 * requests, latency is measured by the client per request. The request is the identity fetch of
 * CabinetHome's query plan (`me` root fetch) or, with `--fetch entity`, a `Person` entity fetch,
 * each with its own x-request-id and a caller token signed for identity (reused, as the gateway
 * reuses them). `--cpu-prof` writes a V8 CPU profile of each child into bench/results/profiles/.
 *
 * DATABASE_URL: default postgres://postgres@127.0.0.1:5432/pc_bench_http (created when missing).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { signCallerToken, subgraphAudience } from '@pc/auth';
import { createDataSource, openDatabase } from '@pc/db';
import { DEMO_CABINETS, DEMO_PERSONAS, PATIENT_SCOPES } from '@pc/demo';
import { subgraph as identity, name, resolvers, typeDefs } from '@pc/identity';
import { capacityRulesFrom, type IdentityConfig } from '@pc/identity/src/config';
import { createContext } from '@pc/identity/src/context';
import { createLogger } from '@pc/logging';
import type { SubgraphDeps, SubgraphProcessConfig } from '@pc/server';
import { openBenchDatabase } from '../seed/benchDatabase';
import { createExpressSubgraphServer } from './expressSubgraphServer';

type Layer = 'express' | 'node' | 'node-cached';
const LAYERS: Layer[] = ['express', 'node', 'node-cached'];
const LABEL: Record<Layer, string> = {
  express: 'old: Express 5 + express5 integration',
  node: 'new: node:http + executeHTTPGraphQLRequest, token verified each time',
  'node-cached': 'new + verified-token cache (as shipped)',
};

const ME_QUERY =
  'query CabinetHome__identity__0{me{__typename id firstName lastName secondName birthDate version capabilities{canEditPersonalData canSubmitDeclaration}}}';
const ENTITY_QUERY =
  'query CabinetHome__identity__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{__typename id firstName lastName secondName birthDate version}}}';

function arg(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ---------------------------------------------------------------- child: one subgraph process

async function serve(layer: Layer): Promise<void> {
  const log = createLogger({ service: name, level: 'error' });
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, schema: name, entities: identity.entities, migrations: identity.migrations, poolSize: 5, log });
  await openDatabase(dataSource);
  const config = { NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: process.env.INTERNAL_TOKEN_SECRET! } as IdentityConfig;
  const deps: SubgraphDeps & { config: SubgraphProcessConfig } = {
    dataSource,
    log,
    internalTokenSecret: config.INTERNAL_TOKEN_SECRET,
    nodeEnv: 'production',
    config,
    callerTokenCacheSize: layer === 'node' ? 0 : undefined,
  };
  const server =
    layer !== 'express'
      ? identity.createServer(deps)
      : (() => {
          const rules = capacityRulesFrom(config);
          return createExpressSubgraphServer({ name, typeDefs, resolvers, createContext: (base) => createContext(base, dataSource, rules) }, deps);
        })();
  const { url } = await server.listen(0);
  process.on('message', (msg: string) => {
    if (msg === 'cpu') process.send!({ cpu: process.cpuUsage() });
    if (msg === 'stop') {
      void server
        .stop()
        .then(() => dataSource.destroy())
        .then(() => process.exit(0));
    }
  });
  process.send!({ url });
}

// ---------------------------------------------------------------- parent: load generator

interface Child {
  layer: Layer;
  proc: ChildProcess;
  url: URL;
  cpu(): Promise<number>;
}

async function spawnChild(layer: Layer, env: NodeJS.ProcessEnv, profileDir?: string): Promise<Child> {
  const execArgv = ['-r', '@swc-node/register', ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `subgraph-http-${layer}-${Date.now()}.cpuprofile`] : [])];
  const proc = fork(__filename, ['--serve', layer], { env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    proc.once('message', (m: { url: string }) => resolve(m.url));
    proc.once('exit', (code) => reject(new Error(`${layer} subgraph exited (${code})`)));
  });
  const cpu = () =>
    new Promise<number>((resolve) => {
      proc.once('message', (m: { cpu: NodeJS.CpuUsage }) => resolve((m.cpu.user + m.cpu.system) / 1000));
      proc.send('cpu');
    });
  return { layer, proc, url: new URL(url), cpu };
}

/** N requests, `concurrency` at a time, over keep-alive connections; returns each latency (ms). */
async function load(target: URL, agent: http.Agent, n: number, concurrency: number, body: (i: number) => Buffer, headers: () => Record<string, string>): Promise<{ latencies: number[]; errors: string[]; wallMs: number }> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const one = (payload: Buffer) =>
    new Promise<void>((resolve) => {
      const started = process.hrtime.bigint();
      const req = http.request(
        { agent, method: 'POST', hostname: target.hostname, port: target.port, path: target.pathname, headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers() } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200 || text.includes('"errors"') || !text.includes(DEMO_PERSONAS.patient.id)) errors.push(`${res.statusCode} ${text.slice(0, 200)}`);
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        errors.push(err.message);
        resolve();
      });
      req.end(payload);
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(body(next++));
    }),
  );
  return { latencies, errors, wallMs: Date.now() - started };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const requests = Number(arg('--requests') ?? 2000);
  const rounds = Number(arg('--rounds') ?? 6);
  const warmup = Number(arg('--warmup') ?? 1500);
  const concurrencies = (arg('--concurrency') ?? '1,8').split(',').map(Number);
  const fetchKind = (arg('--fetch') ?? 'me') as 'me' | 'entity';
  const profileDir = process.argv.includes('--cpu-prof') ? join(__dirname, '..', '..', 'results', 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const log = createLogger({ service: 'bench', level: 'info' });

  const given = !!process.env.DATABASE_URL;
  const db = await openBenchDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/pc_bench_http', given, join(__dirname, '..', '..', '.data'), log);
  {
    const ds = await openDatabase(createDataSource({ url: db.url, schema: name, entities: identity.entities, migrations: identity.migrations, poolSize: 2, log }));
    await identity.seedDemo!(ds, log);
    await ds.destroy();
  }
  const secret = randomBytes(32).toString('hex');
  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: db.url, INTERNAL_TOKEN_SECRET: secret };
  const children = Object.fromEntries(await Promise.all(LAYERS.map(async (l) => [l, await spawnChild(l, env, profileDir)] as const))) as Record<Layer, Child>;

  const token = await signCallerToken(
    { subject: DEMO_PERSONAS.patient.id, roles: ['PATIENT'], scopes: PATIENT_SCOPES, clientId: DEMO_CABINETS.state.id, tokenId: randomUUID() },
    { secret, audience: subgraphAudience(name), ttlSeconds: 3600 },
  );
  const payload =
    fetchKind === 'me'
      ? Buffer.from(JSON.stringify({ query: ME_QUERY, variables: {}, operationName: 'CabinetHome__identity__0' }))
      : Buffer.from(JSON.stringify({ query: ENTITY_QUERY, variables: { representations: [{ __typename: 'Person', id: DEMO_PERSONAS.patient.id }] }, operationName: 'CabinetHome__identity__1' }));
  const headers = () => ({ 'x-caller-token': token, 'x-request-id': randomUUID() });

  const results: { concurrency: number; layer: Layer; cpuPerReq: number[]; latencies: number[]; reqPerS: number[]; errors: string[] }[] = [];
  for (const concurrency of concurrencies) {
    const agents = Object.fromEntries(LAYERS.map((l) => [l, new http.Agent({ keepAlive: true, maxSockets: concurrency })])) as Record<Layer, http.Agent>;
    for (const l of LAYERS) await load(children[l].url, agents[l], warmup, concurrency, () => payload, headers);
    const acc = Object.fromEntries(LAYERS.map((l) => [l, { concurrency, layer: l, cpuPerReq: [] as number[], latencies: [] as number[], reqPerS: [] as number[], errors: [] as string[] }]));
    for (let r = 0; r < rounds; r++) {
      // a, b, c | c, b, a | a, b, c …: no layer always runs last.
      const order: Layer[] = r % 2 === 0 ? LAYERS : [...LAYERS].reverse();
      for (const l of order) {
        const before = await children[l].cpu();
        const run = await load(children[l].url, agents[l], requests, concurrency, () => payload, headers);
        const after = await children[l].cpu();
        acc[l].cpuPerReq.push((after - before) / requests);
        acc[l].latencies.push(...run.latencies);
        acc[l].reqPerS.push((requests * 1000) / run.wallMs);
        acc[l].errors.push(...run.errors);
      }
    }
    for (const l of LAYERS) results.push(acc[l]);
    for (const a of Object.values(agents)) a.destroy();
  }

  const rows = results.map((r) => {
    const sorted = [...r.latencies].sort((a, b) => a - b);
    return {
      concurrency: r.concurrency,
      layer: LABEL[r.layer],
      'CPU ms/req (median of rounds)': median(r.cpuPerReq).toFixed(3),
      'CPU ms/req (min–max)': `${Math.min(...r.cpuPerReq).toFixed(3)}–${Math.max(...r.cpuPerReq).toFixed(3)}`,
      'p50 ms': pct(sorted, 50).toFixed(2),
      'p99 ms': pct(sorted, 99).toFixed(2),
      'req/s (median)': median(r.reqPerS).toFixed(0),
      errors: r.errors.length,
    };
  });
  const load1 = (await import('node:os')).loadavg()[0];
  console.log(`\nidentity ${fetchKind === 'me' ? '`me` root fetch' : 'Person entity fetch'}: ${rounds} alternating rounds × ${requests} requests per layer and concurrency, after ${warmup} warm-up requests; load average ${load1.toFixed(1)}`);
  console.table(rows);
  for (const c of concurrencies) {
    const [o, n, nc] = LAYERS.map((l) => results.find((r) => r.concurrency === c && r.layer === l)!);
    const ratio = (x: typeof o) => (median(x.cpuPerReq) / median(o.cpuPerReq)).toFixed(2);
    console.log(`concurrency ${c}: CPU per request / old: node:http ${ratio(n)}, node:http + token cache ${ratio(nc)}`);
  }
  const errs = results.flatMap((r) => r.errors);
  if (errs.length) console.log('first errors:', errs.slice(0, 3));

  await Promise.all(
    LAYERS.map(
      (l) =>
        new Promise<void>((resolve) => {
          children[l].proc.once('exit', () => resolve());
          children[l].proc.send('stop');
        }),
    ),
  );
  if (profileDir) console.log(`CPU profiles in ${profileDir}`);
  await db.stop();
}

if (process.argv[2] === '--serve') {
  void serve(process.argv[3] as Layer).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  void main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
