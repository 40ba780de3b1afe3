/**
 * `DATABASE_URL=postgres://… npm run bench:search -w @pc/directory [-- --requests 500 --explain]`
 *
 * Latency of doctor search as the gateway sees it: sequential GraphQL requests over HTTP to a
 * running directory subgraph (started here from src/index.ts unless `--url` names one), each
 * with a caller token, on the data set of DATABASE_URL (load it with `npm run seed:directory`).
 * Three scenarios, inputs sampled from the data so that every search finds something:
 *
 * - name: a last-name prefix, "last first", or a last name with one letter dropped (a typo);
 * - speciality + settlement: a speciality in a settlement that has listed doctors;
 * - radius: 5 or 10 km around a division.
 *
 * - name + speciality: a three-letter last-name prefix with the doctor's speciality, and radius
 *   10 km in the densest settlement: the two searches of the full bench (`npm run bench`), with
 *   what its FindDoctor operation selects from the directory.
 *
 * A baseline scenario (`doctor(id)`, one primary-key read) shows what any request costs on the
 * machine at that moment, which tells a slow search from a busy machine.
 *
 * Before measuring it prints whether autovacuum is on and the planner's view of the directory's
 * tables (rows it believes, live and dead rows, when last analysed), then runs ANALYZE on them
 * (`--skip-analyze` measures the tables as they are). Prints p50/p95/p99 per scenario, and, for
 * a subgraph it started, PostgreSQL CPU per search (user + system time of the backends serving
 * the subgraph, from /proc), the subgraph's own CPU and SQL statements per search (a preloaded
 * probe). `--explain` also prints EXPLAIN (ANALYZE, BUFFERS) of the page and count statements of
 * one input per scenario, captured from the same SQL builder the subgraph uses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { anonymousCaller, CALLER_TOKEN_HEADER, signCallerToken, subgraphAudience } from '@pc/auth';
import { createDataSource } from '@pc/db';
import { createRandom, type Random } from '@pc/fixtures';
import { parseConfig } from '@pc/config';
import { directorySpec } from '../src/config';
import { parseSearchArgs, type DoctorSearchFilterInput } from '../src/domain/searchArgs';
import { DoctorSearch } from '../src/services/DoctorSearch';
import { subgraph } from '../src/subgraph';

const QUERY = `query Bench($f: DoctorSearchFilter) {
  searchDoctors(filter: $f, first: 20) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id fullName speciality
      divisions { id name address { settlement } location { latitude longitude } }
      legalEntity { id name edrpou } } }
  }
}`;

// What the state cabinet's FindDoctor (schema/persisted-queries/state.json) asks of the directory,
// the operation of the full bench's two search scenarios (acceptingNewPatients comes from the
// declarations subgraph, which @requires declarationLimit from here).
const FIND_DOCTOR = `query FindDoctor($f: DoctorSearchFilter) {
  searchDoctors(filter: $f, first: 20) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id fullName speciality declarationLimit divisions { id name location { latitude longitude } } } }
  }
}`;

const SPECIALITIES = ['FAMILY_DOCTOR', 'THERAPIST', 'PEDIATRICIAN'] as const;

interface Scenario {
  name: string;
  inputs: DoctorSearchFilterInput[];
  /** Another operation than {@link QUERY}: FindDoctor, or the baseline (whose variables are `{ id }`). */
  query?: string;
  ids?: string[];
}

// The fixed cost of a request on this machine at this moment (HTTP, caller token, GraphQL, one
// primary-key read): what the search scenarios pay before any search work.
const BASELINE = 'query Baseline($id: ID!) { doctor(id: $id) { id fullName } }';

interface Result {
  scenario: string;
  requests: number;
  errors: number;
  emptyResults: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  meanTotalCount: number;
  /** PostgreSQL CPU (user + system) of the subgraph's backends per request, ms. */
  pgCpuMs?: number;
  /** The subgraph process's CPU per request, ms. */
  subgraphCpuMs?: number;
  /** SQL statements the subgraph sent per request (BEGIN/COMMIT not counted). */
  sqlPerRequest?: number;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function sampleScenarios(db: Client, n: number, random: Random): Promise<Scenario[]> {
  // md5 of the id gives a fixed pseudo-random sample, the same on every run.
  const people = (
    await db.query<{ last_name: string; first_name: string }>(
      `SELECT d.last_name, d.first_name FROM directory.doctor_listing l JOIN directory.doctor d ON d.id = l.doctor_id
       ORDER BY md5(d.id::text) LIMIT $1`,
      [n],
    )
  ).rows;
  const names = people.map((p, i): DoctorSearchFilterInput => {
    switch (i % 3) {
      case 0:
        return { name: p.last_name.slice(0, random.int(3, 5)) };
      case 1:
        return { name: `${p.last_name} ${p.first_name}` };
      default: {
        const at = random.int(1, p.last_name.length - 2);
        return { name: p.last_name.slice(0, at) + p.last_name.slice(at + 1) };
      }
    }
  });
  const places = (
    await db.query<{ settlement: string; latitude: number; longitude: number }>(
      `SELECT v.settlement, v.latitude, v.longitude FROM directory.doctor_listing_place pl
       JOIN directory.division v ON v.id = pl.division_id
       WHERE v.latitude IS NOT NULL ORDER BY md5(pl.doctor_id::text || pl.division_id::text) LIMIT $1`,
      [n],
    )
  ).rows;
  const ids = (await db.query<{ doctor_id: string }>('SELECT doctor_id FROM directory.doctor_listing ORDER BY md5(doctor_id::text) LIMIT $1', [n])).rows.map(
    (r) => r.doctor_id,
  );
  // As the full bench picks them (bench/src/load/scenarios.ts): a three-letter last-name prefix
  // with the doctor's speciality; radius 10 km around divisions of the densest settlement.
  const prefixes = (
    await db.query<{ name: string; speciality: (typeof SPECIALITIES)[number] }>(
      `SELECT name, speciality FROM (
         SELECT DISTINCT ON (lower(left(d.last_name, 3)), l.speciality) left(d.last_name, 3) AS name, l.speciality
         FROM directory.doctor_listing l JOIN directory.doctor d ON d.id = l.doctor_id
         ORDER BY lower(left(d.last_name, 3)), l.speciality) s
       ORDER BY md5(name || speciality) LIMIT $1`,
      [n],
    )
  ).rows;
  const dense = (
    await db.query<{ latitude: number; longitude: number }>(
      `WITH densest AS (SELECT settlement_key FROM directory.doctor_listing_place GROUP BY settlement_key ORDER BY count(*) DESC LIMIT 1)
       SELECT DISTINCT v.latitude, v.longitude FROM directory.doctor_listing_place pl
       JOIN directory.division v ON v.id = pl.division_id
       WHERE pl.settlement_key = (SELECT settlement_key FROM densest) AND v.latitude IS NOT NULL`,
    )
  ).rows;
  return [
    { name: 'baseline: doctor(id)', inputs: ids.map(() => ({})), query: BASELINE, ids },
    { name: 'name', inputs: names },
    { name: 'speciality + settlement', inputs: places.map((p) => ({ speciality: random.pick(SPECIALITIES), settlement: p.settlement })) },
    {
      name: 'radius',
      inputs: places.map((p, i) => ({ near: { latitude: p.latitude, longitude: p.longitude }, radiusKm: i % 2 ? 10 : 5 })),
    },
    { name: 'name(3) + speciality', query: FIND_DOCTOR, inputs: Array.from({ length: n }, (_, i) => prefixes[i % prefixes.length]) },
    {
      name: 'radius 10 km, densest city',
      query: FIND_DOCTOR,
      inputs: Array.from({ length: n }, (_, i) => ({ near: dense[(i * 7919) % dense.length], radiusKm: 10 })),
    },
  ];
}

async function startSubgraph(databaseUrl: string, port: number, probe: string, entry: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-r', './subgraphs/directory/bench/statementProbe.ts', entry], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', SEED_DEMO: 'false', SEARCH_BENCH_PROBE: probe },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error('the directory subgraph exited before it was ready');
    if (Date.now() > deadline) throw new Error('the directory subgraph was not ready within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** CPU time (ms) of processes, from /proc/<pid>/stat: utime + stime, fields 14 and 15, in 1/100 s. */
function cpuMs(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // gone, or PostgreSQL runs elsewhere
    }
  }
  return out;
}

/** What a scenario costs beyond latency: PostgreSQL backends' CPU, the subgraph's CPU, its statements. */
interface Meter {
  start(): Promise<void>;
  stop(requests: number): Promise<Pick<Result, 'pgCpuMs' | 'subgraphCpuMs' | 'sqlPerRequest'>>;
}

function meter(db: Client, child: ChildProcess | undefined, probe: string): Meter {
  const backends = async () =>
    (await db.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'directory'")).rows.map(
      (r) => r.pid,
    );
  const readProbe = async (): Promise<{ statements: number; cpu: { user: number; system: number } } | null> => {
    if (!child?.pid) return null;
    rmSync(probe, { force: true });
    process.kill(child.pid, 'SIGUSR2');
    for (let i = 0; i < 50 && !existsSync(probe); i++) await new Promise((r) => setTimeout(r, 20));
    return existsSync(probe) ? (JSON.parse(readFileSync(probe, 'utf8')) as { statements: number; cpu: { user: number; system: number } }) : null;
  };
  let pg0 = new Map<number, number>();
  let probe0: Awaited<ReturnType<typeof readProbe>> = null;
  return {
    async start() {
      pg0 = cpuMs(await backends());
      probe0 = await readProbe();
    },
    async stop(requests) {
      const pg1 = cpuMs(await backends());
      const probe1 = await readProbe();
      let pgMs = 0;
      for (const [pid, ms] of pg1) pgMs += ms - (pg0.get(pid) ?? 0);
      const round = (x: number) => Math.round(x * 100) / 100;
      return {
        pgCpuMs: pg1.size ? round(pgMs / requests) : undefined,
        subgraphCpuMs: probe0 && probe1 ? round((probe1.cpu.user + probe1.cpu.system - probe0.cpu.user - probe0.cpu.system) / 1000 / requests) : undefined,
        sqlPerRequest: probe0 && probe1 ? round((probe1.statements - probe0.statements) / requests) : undefined,
      };
    },
  };
}

async function run(url: string, token: string, scenario: Scenario, warmup: number, m: Meter): Promise<Result> {
  const post = async (i: number) => {
    const variables = scenario.ids ? { id: scenario.ids[i] } : { f: scenario.inputs[i] };
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CALLER_TOKEN_HEADER]: token },
      body: JSON.stringify({ query: scenario.query ?? QUERY, variables }),
    });
    return (await res.json()) as { data?: { searchDoctors?: { totalCount: number }; doctor?: unknown }; errors?: unknown[] };
  };
  for (let i = 0; i < warmup; i++) await post(i % scenario.inputs.length);
  await m.start();
  const times: number[] = [];
  let errors = 0;
  let empty = 0;
  let total = 0;
  for (let i = 0; i < scenario.inputs.length; i++) {
    const t0 = performance.now();
    const body = await post(i);
    times.push(performance.now() - t0);
    if (body.errors || !body.data) {
      errors++;
      continue;
    }
    const found = body.data.searchDoctors?.totalCount ?? (body.data.doctor ? 1 : 0);
    total += found;
    if (found === 0) empty++;
  }
  const costs = await m.stop(times.length);
  const sorted = [...times].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    scenario: scenario.name,
    requests: times.length,
    errors,
    emptyResults: empty,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
    mean: round(times.reduce((a, b) => a + b, 0) / times.length),
    meanTotalCount: Math.round(total / Math.max(1, times.length - errors)),
    ...costs,
  };
}

/** EXPLAIN ANALYZE of the statements the subgraph runs for `filter`, captured from DoctorSearch. */
async function explain(db: Client, ds: DataSource, filter: DoctorSearchFilterInput): Promise<string> {
  const captured: { sql: string; params: unknown[] }[] = [];
  // Counts end in `AS n`; a page gets one empty row that reads as "walk exhausted", so a distance
  // page does not walk again (the real walk lengths show in the plan's rows).
  const isCount = (sql: string) => /\bAS n$/.test(sql);
  const recorder = {
    query: async (sql: string, params: unknown[]) => {
      // The prepared-statement path asks which server this is; "PGlite" keeps it on this recorder.
      if (sql.startsWith('SELECT version()')) return [{ v: 'PGlite (recorder)' }];
      captured.push({ sql, params });
      return isCount(sql) ? [{ n: 0 }] : [{ id: null, walked: 0, far: null, total: 0 }];
    },
    getMetadata: ds.getMetadata.bind(ds),
  } as unknown as DataSource;
  const search = new DoctorSearch(recorder);
  const q = parseSearchArgs({ filter, first: 20 });
  // As the resolver does: a separate count only when the page query did not count.
  if ((await search.page(q)).total === null) await search.count(q);
  const out: string[] = [];
  for (const { sql, params } of captured) {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    out.push(`-- ${isCount(sql) ? 'count' : 'page'}: ${JSON.stringify(filter)}`, ...plan.rows.map((r) => r['QUERY PLAN']), '');
  }
  return out.join('\n');
}

const TABLES = ['legal_entity', 'division', 'doctor', 'doctor_division', 'doctor_listing', 'doctor_listing_word', 'name_word', 'doctor_listing_place'];

/**
 * Prints whether autovacuum is on and what the planner knows of the directory's tables (a
 * table never analysed has reltuples -1, and the planner guesses), then ANALYZEs them unless told
 * not to: a benchmark of plans made from guesses measures the guesses.
 */
async function reportStatistics(db: Client, analyze: boolean): Promise<void> {
  const [{ autovacuum }] = (await db.query<{ autovacuum: string }>('SHOW autovacuum')).rows;
  const stats = await db.query(
    `SELECT s.relname AS table, c.reltuples::bigint AS reltuples, s.n_live_tup AS live, s.n_dead_tup AS dead,
            coalesce(greatest(s.last_analyze, s.last_autoanalyze)::text, 'never') AS analysed
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.schemaname = 'directory' AND s.relname = ANY($1) ORDER BY s.relname`,
    [TABLES],
  );
  process.stdout.write(`autovacuum: ${autovacuum}${autovacuum === 'on' ? '' : ' (statistics are only as fresh as the last explicit ANALYZE)'}
`);
  console.table(stats.rows);
  if (analyze) {
    const t = performance.now();
    for (const table of TABLES) await db.query(`ANALYZE directory.${table}`);
    process.stdout.write(`ANALYZE of the directory tables: ${Math.round(performance.now() - t)} ms (--skip-analyze to measure without)\n`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      port: { type: 'string', default: '4903' },
      requests: { type: 'string', default: '500' },
      warmup: { type: 'string', default: '50' },
      explain: { type: 'boolean', default: false },
      'skip-analyze': { type: 'boolean', default: false },
      only: { type: 'string' },
      // Another copy of the subgraph's source (e.g. an older commit's, extracted with git archive), for A/B runs.
      entry: { type: 'string', default: 'subgraphs/directory/src/index.ts' },
    },
  });
  const config = parseConfig(directorySpec);
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required: the database holding the national data set');
  const db = new Client({ connectionString: config.DATABASE_URL });
  await db.connect();
  let child: ChildProcess | undefined;
  try {
    const url = values.url ?? `http://127.0.0.1:${values.port}/graphql`;
    const probe = join(tmpdir(), `search-bench-probe-${process.pid}.json`);
    // Started first: its migrations may change the tables (and their statistics) reported next.
    if (!values.url) child = await startSubgraph(config.DATABASE_URL, Number(values.port), probe, values.entry);
    await reportStatistics(db, !values['skip-analyze']);
    const only = values.only?.split(',').map((x) => x.trim());
    const scenarios = (await sampleScenarios(db, Number(values.requests), createRandom(4003))).filter(
      (s) => !only || s.ids || only.some((o) => s.name.startsWith(o)),
    );
    const token = await signCallerToken(anonymousCaller('bench'), {
      secret: config.INTERNAL_TOKEN_SECRET,
      audience: subgraphAudience('directory'),
      ttlSeconds: 3600,
    });
    const [{ doctors }] = (await db.query<{ doctors: number }>('SELECT count(*)::int AS doctors FROM directory.doctor_listing')).rows;
    process.stdout.write(`searchDoctors(first: 20) over ${doctors} listed doctors, ${values.requests} sequential requests per scenario, latency in ms\n`);
    const results: Result[] = [];
    const m = meter(db, child, probe);
    for (const s of scenarios) results.push(await run(url, token, s, Number(values.warmup), m));
    console.table(results);
    if (values.explain) {
      // Entity metadata only (the SQL builder reads the doctor's columns); no migrations run.
      const ds = createDataSource({ url: config.DATABASE_URL, schema: subgraph.name, entities: subgraph.entities, migrations: [], poolSize: 1 });
      await ds.initialize();
      try {
        for (const s of scenarios) if (!s.ids) process.stdout.write(`\n${await explain(db, ds, s.inputs[0])}`);
      } finally {
        await ds.destroy();
      }
    }
  } finally {
    child?.kill('SIGTERM');
    await db.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:search failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
