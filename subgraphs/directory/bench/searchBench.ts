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
 * A baseline scenario (`doctor(id)`, one primary-key read) shows what any request costs on the
 * machine at that moment, which tells a slow search from a busy machine.
 *
 * Prints p50/p95/p99 per scenario; `--explain` also prints EXPLAIN ANALYZE of the page and count
 * statements of one input per scenario, captured from the same SQL builder the subgraph uses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { anonymousCaller, CALLER_TOKEN_HEADER, signCallerToken, subgraphAudience } from '@pc/auth';
import { createDataSource } from '@pc/db';
import { createRandom, type Random } from '@pc/fixtures';
import { loadConfig } from '../src/config';
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

const SPECIALITIES = ['FAMILY_DOCTOR', 'THERAPIST', 'PEDIATRICIAN'] as const;

interface Scenario {
  name: string;
  inputs: DoctorSearchFilterInput[];
  /** Another operation than the search (the baseline); its variables are `{ id }`. */
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
  const ids = (
    await db.query<{ doctor_id: string }>('SELECT doctor_id FROM directory.doctor_listing ORDER BY md5(doctor_id::text) LIMIT $1', [n])
  ).rows.map((r) => r.doctor_id);
  return [
    { name: 'baseline: doctor(id)', inputs: ids.map(() => ({})), query: BASELINE, ids },
    { name: 'name', inputs: names },
    { name: 'speciality + settlement', inputs: places.map((p) => ({ speciality: random.pick(SPECIALITIES), settlement: p.settlement })) },
    {
      name: 'radius',
      inputs: places.map((p, i) => ({ near: { latitude: p.latitude, longitude: p.longitude }, radiusKm: i % 2 ? 10 : 5 })),
    },
  ];
}

async function startSubgraph(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'subgraphs/directory/src/index.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', SEED_DEMO: 'false' },
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

async function run(url: string, token: string, scenario: Scenario, warmup: number): Promise<Result> {
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
  };
}

/** EXPLAIN ANALYZE of the statements the subgraph runs for `filter`, captured from DoctorSearch. */
async function explain(db: Client, ds: DataSource, filter: DoctorSearchFilterInput): Promise<string> {
  const captured: { sql: string; params: unknown[] }[] = [];
  const recorder = {
    query: async (sql: string, params: unknown[]) => {
      captured.push({ sql, params });
      return sql.includes('count(*)::int') ? [{ n: 0 }] : [];
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
    out.push(`-- ${sql.includes('count(*)::int') ? 'count' : 'page'}: ${JSON.stringify(filter)}`, ...plan.rows.map((r) => r['QUERY PLAN']), '');
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      port: { type: 'string', default: '4903' },
      requests: { type: 'string', default: '500' },
      warmup: { type: 'string', default: '50' },
      explain: { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required: the database holding the national data set');
  const db = new Client({ connectionString: config.DATABASE_URL });
  await db.connect();
  let child: ChildProcess | undefined;
  try {
    const scenarios = await sampleScenarios(db, Number(values.requests), createRandom(4003));
    const url = values.url ?? `http://127.0.0.1:${values.port}/graphql`;
    if (!values.url) child = await startSubgraph(config.DATABASE_URL, Number(values.port));
    const token = await signCallerToken(anonymousCaller('bench'), {
      secret: config.INTERNAL_TOKEN_SECRET,
      audience: subgraphAudience('directory'),
      ttlSeconds: 3600,
    });
    const [{ doctors }] = (await db.query<{ doctors: number }>('SELECT count(*)::int AS doctors FROM directory.doctor_listing')).rows;
    process.stdout.write(`searchDoctors(first: 20) over ${doctors} listed doctors, ${values.requests} sequential requests per scenario, latency in ms\n`);
    const results: Result[] = [];
    for (const s of scenarios) results.push(await run(url, token, s, Number(values.warmup)));
    console.table(results);
    if (values.explain) {
      // Entity metadata only (the SQL builder reads the doctor's columns); no migrations run.
      const ds = createDataSource({ url: config.DATABASE_URL, schema: subgraph.name, entities: subgraph.entities, migrations: [], poolSize: 1 });
      await ds.initialize();
      try {
        for (const s of scenarios) if (!s.query) process.stdout.write(`\n${await explain(db, ds, s.inputs[0])}`);
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
