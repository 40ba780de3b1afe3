/**
 * The method behind the subgraph A/B benches (measureSubgraphHttp.ts here, the subgraphs'
 * `bench/hotReadsAB.ts`): one child process per arm serves the subgraph (NODE_ENV=production,
 * node:http, demo data on the bench database: `DATABASE_URL`, default
 * postgres://postgres@127.0.0.1:5432/pc_bench_http, created when missing, embedded PGlite when
 * there is no PostgreSQL and no DATABASE_URL). The parent is the load generator (node:http
 * keep-alive, closed loop; its CPU is not counted). For each fetch and concurrency, after
 * `--warmup` requests per arm, rounds alternate the order (a b c, c b a, …); CPU per request =
 * the child's `process.cpuUsage()` (user + system) over a round / requests, median of the rounds;
 * latency is measured by the client per request. The arms' responses are checked to be
 * byte-identical first; each request has its own x-request-id and the same caller token (as the
 * gateway reuses them). `--cpu-prof [DIR]` writes each child's V8 profile (on exit; start-up
 * included, a few % of the samples), by default into bench/results/profiles/.
 *
 * Options: [--requests N] [--rounds N] [--warmup N] [--concurrency 1,8] [--fetch a,b] [--cpu-prof [DIR]]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { signCallerToken, subgraphAudience } from '@pc/auth';
import { createDataSource, openDatabase } from '@pc/db';
import { DEMO_CABINETS, DEMO_PERSONAS, PATIENT_SCOPES } from '@pc/demo';
import { createLogger } from '@pc/logging';
import type { SubgraphDeps, SubgraphModule, SubgraphProcessConfig, SubgraphServer } from '@pc/server';
import { parseConfig } from '@pc/config';
import { openBenchDatabase } from '../seed/benchDatabase';

/** One GraphQL request body, as the gateway sends it to the subgraph. */
export interface BenchQuery {
  query: string;
  variables: Record<string, unknown>;
  operationName: string;
}

export interface AbBench<Arm extends string, Fetch extends string> {
  /** The script's own file (`__filename`): each arm's child process runs it with `--serve <arm>`. */
  script: string;
  /** The subgraph served (migrated and seeded with its demo data before the children start). */
  subgraph: SubgraphModule;
  /** The arms, the first being the baseline the others' CPU is compared with. */
  arms: readonly Arm[];
  labels: Record<Arm, string>;
  fetches: Record<Fetch, BenchQuery>;
  defaults: { requests: number; rounds: number; warmup: number; fetch: NoInfer<Fetch>[] };
  /** Text every answer must contain (with status 200 and no `errors`) to count as a success. */
  expect: string;
  /** Heading of the report; gets the rounds, requests and load average appended. */
  title: string;
  /** In the child: the arm's server, built but not listening. */
  server(arm: Arm, deps: SubgraphDeps & { config: SubgraphProcessConfig }, dataSource: DataSource): Pick<SubgraphServer, 'listen' | 'stop'>;
}

const arg = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

// ---------------------------------------------------------------- child: one subgraph process

async function serve<Arm extends string, Fetch extends string>(spec: AbBench<Arm, Fetch>, arm: Arm): Promise<void> {
  const { name, entities, migrations } = spec.subgraph;
  const log = createLogger({ service: name, level: 'error' });
  const dataSource = createDataSource({ url: process.env.DATABASE_URL!, schema: name, entities, migrations, poolSize: 5, log });
  await openDatabase(dataSource);
  const config = parseConfig(spec.subgraph.settings, { NODE_ENV: 'production', INTERNAL_TOKEN_SECRET: process.env.INTERNAL_TOKEN_SECRET });
  const deps = { dataSource, log, internalTokenSecret: config.INTERNAL_TOKEN_SECRET, nodeEnv: 'production', config } as const;
  const server = spec.server(arm, deps, dataSource);
  const { url } = await server.listen(0);
  process.on('message', (msg: string) => {
    if (msg === 'cpu') process.send!({ cpu: process.cpuUsage() });
    if (msg === 'stop')
      void server
        .stop()
        .then(() => dataSource.destroy())
        .then(() => process.exit(0));
  });
  process.send!({ url });
}

// ---------------------------------------------------------------- parent: load generator

interface Child {
  proc: ChildProcess;
  url: URL;
  cpu(): Promise<number>;
}

async function spawnChild(script: string, tag: string, arm: string, env: NodeJS.ProcessEnv, profileDir?: string): Promise<Child> {
  const execArgv = [
    '-r',
    '@swc-node/register',
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${tag}-${arm}-${Date.now()}.cpuprofile`] : []),
  ];
  const proc = fork(script, ['--serve', arm], { env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
      {
        agent,
        method: 'POST',
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers },
      },
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
async function load(target: URL, agent: http.Agent, n: number, concurrency: number, payload: Buffer, headers: () => Record<string, string>, expect: string) {
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
          if (r.status !== 200 || r.text.includes('"errors"') || !r.text.includes(expect)) errors.push(`${r.status} ${r.text.slice(0, 200)}`);
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

async function measure<Arm extends string, Fetch extends string>(spec: AbBench<Arm, Fetch>): Promise<void> {
  const { arms, subgraph } = spec;
  const requests = Number(arg('--requests') ?? spec.defaults.requests);
  const rounds = Number(arg('--rounds') ?? spec.defaults.rounds);
  const warmup = Number(arg('--warmup') ?? spec.defaults.warmup);
  const concurrencies = (arg('--concurrency') ?? '1,8').split(',').map(Number);
  const fetches = (arg('--fetch')?.split(',') ?? spec.defaults.fetch) as Fetch[];
  for (const f of fetches) if (!(f in spec.fetches)) throw new Error(`--fetch ${f}: one of ${Object.keys(spec.fetches).join(', ')}`);
  const profArg = arg('--cpu-prof');
  const profileDir = process.argv.includes('--cpu-prof')
    ? profArg && !profArg.startsWith('--')
      ? profArg
      : join(__dirname, '..', '..', 'results', 'profiles')
    : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const log = createLogger({ service: 'bench', level: 'info' });

  const db = await openBenchDatabase(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/pc_bench_http',
    !!process.env.DATABASE_URL,
    join(__dirname, '..', '..', '.data'),
    log,
  );
  {
    const ds = await openDatabase(
      createDataSource({ url: db.url, schema: subgraph.name, entities: subgraph.entities, migrations: subgraph.migrations, poolSize: 2, log }),
    );
    await subgraph.seedDemo?.(ds, log);
    await ds.destroy();
  }
  const secret = randomBytes(32).toString('hex');
  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: db.url, INTERNAL_TOKEN_SECRET: secret };
  const children = Object.fromEntries(
    await Promise.all(arms.map(async (a) => [a, await spawnChild(spec.script, subgraph.name, a, env, profileDir)] as const)),
  ) as Record<Arm, Child>;
  const token = await signCallerToken(
    { subject: DEMO_PERSONAS.patient.id, roles: ['PATIENT'], scopes: PATIENT_SCOPES, clientId: DEMO_CABINETS.state.id, tokenId: randomUUID() },
    { secret, audience: subgraphAudience(subgraph.name), ttlSeconds: 3600 },
  );
  const headers = () => ({ 'x-caller-token': token, 'x-request-id': randomUUID() });

  const rows: Record<string, string | number>[] = [];
  const ratios: string[] = [];
  const [base, ...others] = arms as [Arm, ...Arm[]];
  for (const fetchKind of fetches) {
    const payload = Buffer.from(JSON.stringify(spec.fetches[fetchKind]));
    {
      const agent = new http.Agent({ keepAlive: false });
      const answers = await Promise.all(arms.map((arm) => post(children[arm].url, agent, payload, headers())));
      if (answers.some((r) => r.status !== 200 || r.text !== answers[0]!.text))
        throw new Error(`the arms answer differently: ${answers.map((r) => `${r.status} ${r.text}`).join(' / ')}`);
    }
    for (const concurrency of concurrencies) {
      const agents = Object.fromEntries(arms.map((a) => [a, new http.Agent({ keepAlive: true, maxSockets: concurrency })])) as Record<Arm, http.Agent>;
      for (const a of arms) await load(children[a].url, agents[a], warmup, concurrency, payload, headers, spec.expect);
      const acc = Object.fromEntries(arms.map((a) => [a, { cpu: [] as number[], lat: [] as number[], rps: [] as number[], errors: [] as string[] }])) as Record<
        Arm,
        { cpu: number[]; lat: number[]; rps: number[]; errors: string[] }
      >;
      for (let r = 0; r < rounds; r++) {
        // a b c | c b a | a b c …: no arm always runs last.
        for (const a of r % 2 === 0 ? arms : [...arms].reverse()) {
          const before = await children[a].cpu();
          const run = await load(children[a].url, agents[a], requests, concurrency, payload, headers, spec.expect);
          acc[a].cpu.push(((await children[a].cpu()) - before) / requests);
          acc[a].lat.push(...run.latencies);
          acc[a].rps.push((requests * 1000) / run.wallMs);
          acc[a].errors.push(...run.errors);
        }
      }
      for (const a of arms) {
        const sorted = [...acc[a].lat].sort((x, y) => x - y);
        rows.push({
          fetch: fetchKind,
          connections: concurrency,
          arm: spec.labels[a],
          'CPU ms/req (median)': median(acc[a].cpu).toFixed(3),
          'CPU min–max': `${Math.min(...acc[a].cpu).toFixed(3)}–${Math.max(...acc[a].cpu).toFixed(3)}`,
          'p50 ms': pct(sorted, 50).toFixed(2),
          'p99 ms': pct(sorted, 99).toFixed(2),
          'req/s (median)': median(acc[a].rps).toFixed(0),
          errors: acc[a].errors.length,
        });
        if (acc[a].errors.length) console.log(a, 'first errors:', acc[a].errors.slice(0, 3));
      }
      // Paired: an arm's rounds ran next to the baseline's, so their ratio round by round is the least noisy figure.
      for (const a of others) {
        const paired = acc[a].cpu.map((c, i) => c / (acc[base].cpu[i] as number));
        ratios.push(
          `${fetchKind}, ${concurrency} connection(s): CPU ${a}/${base} ${(median(acc[a].cpu) / median(acc[base].cpu)).toFixed(2)} (medians), ${median(paired).toFixed(2)} (median of paired rounds)`,
        );
      }
      for (const ag of Object.values<http.Agent>(agents)) ag.destroy();
    }
  }
  console.log(
    `\n${spec.title}: ${rounds} alternating rounds × ${requests} requests per arm, fetch and concurrency, after ${warmup} warm-up requests; load average ${loadavg()[0]!.toFixed(1)}`,
  );
  console.table(rows);
  for (const line of ratios) console.log(line);
  await Promise.all(arms.map((a) => new Promise<void>((resolve) => (children[a].proc.once('exit', () => resolve()), children[a].proc.send('stop')))));
  if (profileDir) console.log(`CPU profiles in ${profileDir}`);
  await db.stop();
}

/** Runs the bench: the load generator, or (as a child, `--serve <arm>`) one arm's subgraph. */
export function runAbBench<Arm extends string, Fetch extends string>(spec: AbBench<Arm, Fetch>): void {
  const run = process.argv[2] === '--serve' ? serve(spec, process.argv[3] as Arm) : measure(spec);
  void run.catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
