/**
 * `npm run bench [-- --quick]`: seeds the national data set when missing, starts the system in
 * production mode on the bench's own ports with Hive Gateway beside it, drives each scenario
 * with autocannon, and writes `bench/results/<timestamp>.json` plus a table on stdout.
 * docs/performance.md explains the method and keeps the numbers.
 *
 * @packageDocumentation
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { signCallerToken, subgraphAudience, CALLER_TOKEN_HEADER, type Caller } from '@pc/auth';
import { DEMO_CABINETS, PATIENT_SCOPES } from '@pc/demo';
import { createLogger } from '@pc/logging';
import { composeSupergraph, nextFreePort, readSubgraphList, repoRoot, type SubgraphEntry } from '@pc/schema';
import type { SubgraphModule } from '@pc/server';
import { startBenchIssuer } from './auth/benchIssuer';
import { executePlan, planOperation } from './load/directPlan';
import { mergeResults, runAutocannon, runClosedLoop, type LoadResult } from './load/measure';
import { postJson } from './load/postJson';
import { SCENARIOS, SCENARIO_TITLES, loadFixtures, scenarioSteps, type Fixtures, type ScenarioId } from './load/scenarios';
import { parseBenchOptions } from './options';
import { formatTable, summariseProfile, type RunRecord } from './report/report';
import { openBenchDatabase, openSubgraphDataSources } from './seed/benchDatabase';
import { seedDataset, selectPool, type DatasetReport } from './seed/seedDataset';
import { MemorySampler, cpuBetween, cpuOfPids, cpuSnapshot, pidsNamed, statementSnapshot, type Service } from './system/processes';
import { benchPorts } from './system/benchPorts';
import { redisReachable } from './system/redisReachable';
import { startBenchSystem, type BenchSystem } from './system/startBenchSystem';

/** Scenarios the peer gateway runs too (the issue's 1 and 2, and "my prescriptions"). */
const PEER_SCENARIOS: ScenarioId[] = ['cabinet-home', 'search-name', 'search-radius', 'my-prescriptions'];
/** Scenarios measured at one connection as well (through our gateway). */
const SINGLE_CONNECTION_SCENARIOS: ScenarioId[] = ['search-name', 'search-radius'];

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const startLoad = loadavg().map((v) => Math.round(v * 10) / 10);
  const o = parseBenchOptions(process.argv.slice(2));
  const log = createLogger({ service: 'bench', level: 'warn' });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = join(o.dataDir, 'runs', stamp);
  const probeDir = join(runDir, 'probe');
  mkdirSync(probeDir, { recursive: true });

  say(
    `bench: ${o.quick ? 'quick' : 'full'} run; data set ${o.dataset.persons.toLocaleString('en')} persons, ${o.dataset.doctors.toLocaleString('en')} doctors`,
  );
  const db = await openBenchDatabase(o.databaseUrl, o.databaseGiven, o.dataDir, log);
  say(`database: ${db.kind} ${db.url.replace(/\/\/[^@]*@/, '//')}`);
  // Every subgraph of the composition list (plus, with --compose, every other folder), by name.
  const { subgraphs, supergraphPath } = supergraphToServe(o.compose, runDir);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- subgraph modules are loaded by their registry name at run time
  const modules = subgraphs.map((e) => (require(`@pc/${e.name}`) as { subgraph: SubgraphModule }).subgraph);
  const sources = await openSubgraphDataSources(db.url, modules, log);
  const dataset = await seedDataset(sources, modules, o.dataset, log, (line) => say(`  seed: ${line}`));
  const poolIds = await selectPool(sources.declarations, o.dataset.tokenPool);
  await Promise.all(Object.values(sources).map((s) => s.destroy()));
  say(`data set: ${formatDataset(dataset)}`);
  if (o.seedOnly) {
    await db.stop();
    return;
  }

  if (o.compose) say(`composed ${subgraphs.map((e) => e.name).join(', ')} into ${supergraphPath} (--compose)`);
  const issuer = await startBenchIssuer(benchPorts(o.portBase, subgraphs).jwks);
  const cpuProfDir = o.cpuProf ? join(o.resultsDir, 'profiles', stamp) : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  const systemStartedAt = Date.now();
  // Production runs the gateway with Redis (rate-limit counters, APQ): so does the bench, when a
  // server answers at BENCH_REDIS_URL.
  const redisUrl = o.redisUrl && (await redisReachable(o.redisUrl)) ? o.redisUrl : undefined;
  const system = await startBenchSystem({
    redisUrl,
    databaseUrl: db.url,
    issuer,
    portBase: o.portBase,
    dataDir: runDir,
    probeDir,
    logDir: join(runDir, 'logs'),
    cpuProfDir,
    withPeer: !o.skipPeer,
    subgraphs,
    supergraphPath,
  });
  say(
    `system up in ${((Date.now() - started) / 1000).toFixed(0)} s: gateway ${system.gateway.url}${system.peer ? `, hive ${system.peer.url}` : ''}; logs in ${join(runDir, 'logs')}`,
  );
  say(
    `redis: ${redisUrl ? `on (${redisUrl}; rate-limit counters and APQ, as in production)` : `off (${o.redisUrl ? `nothing answers at ${o.redisUrl}` : 'BENCH_REDIS_URL=off'}): in memory`}`,
  );

  const pgPool = new Pool({ connectionString: db.url, max: 2 });
  let loadStartedAt = Date.now();
  const runs: RunRecord[] = [];
  let profiles: Record<string, ReturnType<typeof summariseProfile>> = {};
  try {
    const fixtures = await loadFixtures(pgPool, poolIds, issuer, o.quick ? 100 : 400);
    loadStartedAt = Date.now();
    // The Redis server the gateway uses counts too (it serves nothing else during a bench).
    const redisPids = redisUrl ? pidsNamed('redis-server') : [];
    // PostgreSQL backends of the bench database (pooled, so stable during a run) count as a service too.
    const backends = async () =>
      (await pgPool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name])).rows.map(
        (r) => r.pid,
      );
    const measure = (scenario: string, target: RunRecord['target'], driver: RunRecord['driver'], connections: number, run: () => Promise<LoadResult>) =>
      measured(system, probeDir, backends, redisPids, { scenario, target, driver, connections }, run);

    // First visits: every virtual user's CabinetHome once, measured like a scenario. It is what a
    // person signing in costs (bearer token verified, grant and representations read, caller tokens
    // signed, their doctor's entities fetched), and it leaves the system in the steady state the
    // scenarios then measure: users coming back about one pool pass later, shared caches warm.
    if (!o.only || o.only.includes('cabinet-home')) {
      say(`\n0. first visits: each of the ${fixtures.stateTokens.length.toLocaleString('en')} virtual users' CabinetHome once`);
      const steps = scenarioSteps('cabinet-home', fixtures, 'persisted');
      const rec = await measure('first-visit', 'gateway', 'autocannon', o.connections, () =>
        runAutocannon(system.gateway.url, steps, o.connections, 0, fixtures.stateTokens.length),
      );
      runs.push(rec);
      say(oneLine(rec));
    }

    // Federation tax: CabinetHome through the gateway vs the same plan fetched straight from the
    // subgraphs (closed loop). Measured right after the cabinet-home scenario, on the same returning
    // users in the same state (the gateway's steady-state overhead), and once more at the end.
    const wantsTax = !o.only || o.only.includes('federation-tax');
    let taxMeasured = false;
    let tax: ReturnType<typeof federationTax> | undefined;
    const federationTaxRuns = async (scenario: 'fed-tax' | 'fed-tax-cold', connectionsList: number[]) => {
      say(
        `\n${scenario === 'fed-tax' ? 'federation tax' : 'federation tax, users last seen minutes ago'}: CabinetHome through the gateway vs the same plan fetched straight from the subgraphs (closed loop)`,
      );
      try {
        tax ??= federationTax(system, fixtures, readFileSync(supergraphPath, 'utf8'));
      } catch (err) {
        say(`  skipped: the plan of CabinetHome cannot be made over this supergraph (${(err as Error).message})`);
        return;
      }
      for (const connections of connectionsList) {
        for (const target of ['gateway', 'direct'] as const) {
          const op = tax[target];
          // Cold runs are not warmed up: the warm-up would make the users it visits warm again.
          if (scenario === 'fed-tax') await runClosedLoop(op, connections, o.warmupSeconds);
          const rec = await measure(scenario, target, 'closed-loop', connections, () => runClosedLoop(op, connections, o.durationSeconds));
          runs.push(rec);
          say(oneLine(rec));
        }
      }
      taxMeasured = true;
    };

    for (const id of SCENARIOS) {
      if (o.only && !o.only.includes(id)) continue;
      say(`\n${SCENARIO_TITLES[id]}`);
      const targets: { target: 'gateway' | 'hive'; service: Service }[] = [{ target: 'gateway', service: system.gateway }];
      if (system.peer && PEER_SCENARIOS.includes(id)) targets.push({ target: 'hive', service: system.peer });
      // Warm every target up first, then measure in rounds of alternating order (A B, B A, …):
      // neither gateway is always the one that meets a colder database cache or a busier machine.
      const prepared = targets.map((t) => ({ ...t, steps: scenarioSteps(id, fixtures, t.target === 'gateway' ? 'persisted' : 'text') }));
      for (const t of prepared) await runAutocannon(t.service.url, t.steps, o.connections, o.warmupSeconds);
      const rounds = targets.length > 1 ? o.rounds : 1;
      const parts = new Map<string, RunRecord[]>();
      for (let round = 0; round < rounds; round++) {
        for (const t of round % 2 === 0 ? prepared : [...prepared].reverse()) {
          const rec = await measure(id, t.target, 'autocannon', o.connections, () =>
            runAutocannon(t.service.url, t.steps, o.connections, o.durationSeconds / rounds),
          );
          parts.set(t.target, [...(parts.get(t.target) ?? []), rec]);
        }
      }
      for (const t of prepared) {
        const rec = mergeRecords(parts.get(t.target)!);
        runs.push(rec);
        say(oneLine(rec));
      }
      // Searches also at one connection: the latency a person sees when the machine is not
      // saturated (the issue's p95 target), with their CPU per search.
      if (SINGLE_CONNECTION_SCENARIOS.includes(id) && o.connections > 1) {
        const steps = prepared[0].steps;
        await runAutocannon(system.gateway.url, steps, 1, Math.min(o.warmupSeconds, 2));
        const rec = await measure(id, 'gateway', 'autocannon', 1, () => runAutocannon(system.gateway.url, steps, 1, o.durationSeconds));
        runs.push(rec);
        say(oneLine(rec));
      }
      if (id === 'cabinet-home' && wantsTax) await federationTaxRuns('fed-tax', [1, o.connections]);
    }

    if (wantsTax && !taxMeasured) await federationTaxRuns('fed-tax', [1, o.connections]);
    // The same comparison at one connection once every virtual user was last seen minutes ago
    // (grant checks, verified bearer tokens and caller tokens expired, the entity cache cold):
    // what the gateway adds to a patient's first request of a visit.
    if (wantsTax && !o.only) await federationTaxRuns('fed-tax-cold', [1]);
  } finally {
    await pgPool.end();
    await system.stop();
    await issuer.stop();
    await db.stop();
  }
  if (cpuProfDir) profiles = summariseProfiles(cpuProfDir, system, loadStartedAt - systemStartedAt);

  const results = {
    startedAt: new Date(started).toISOString(),
    wallSeconds: Math.round((Date.now() - started) / 1000),
    machine: { ...machine(), loadAverageAtStart: startLoad },
    supergraph: o.compose ? 'composed by the bench from every subgraph folder (--compose)' : 'schema/supergraph.graphql',
    options: { ...o, dataset: undefined },
    redis: redisUrl ?? 'off',
    dataset: { size: o.dataset, ...dataset },
    runs: runs.map((r) => ({ ...r, result: { ...r.result, latencies: undefined } })),
    ratios: ratios(runs),
    profiles,
  };
  mkdirSync(o.resultsDir, { recursive: true });
  const file = join(o.resultsDir, `${stamp}${o.quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  rmSync(probeDir, { recursive: true, force: true });

  say(
    `\nResults (${o.quick ? 'quick' : 'full'}; ${o.connections} connections, ${o.durationSeconds} s per run after ${o.warmupSeconds} s warm-up; latency in ms):`,
  );
  say(formatTable(runs));
  say('');
  for (const line of formatRatios(results.ratios)) say(line);
  for (const r of runs.filter((x) => x.result.sampleError)) say(`  first error in ${r.scenario}/${r.target}: ${r.result.sampleError}`);
  say(`\nwritten ${file.replace(`${repoRoot}/`, '')} in ${results.wallSeconds} s`);
}

/** Runs `run` while sampling memory and counting statements of every service. */
async function measured(
  system: BenchSystem,
  probeDir: string,
  backends: () => Promise<number[]>,
  redisPids: number[],
  meta: Pick<RunRecord, 'scenario' | 'target' | 'driver' | 'connections'>,
  run: () => Promise<LoadResult>,
): Promise<RunRecord> {
  const ours = system.services.filter((s) => s.role !== 'peer');
  const watched = meta.target === 'hive' ? system.services.filter((s) => s.role !== 'gateway') : ours;
  const before = await statementSnapshot(watched, probeDir);
  const sampler = new MemorySampler(watched);
  sampler.start();
  const pgBefore = cpuOfPids(await backends());
  const redisBefore = cpuOfPids(redisPids);
  const clientBefore = process.cpuUsage();
  const cpuBefore: Record<string, number> = cpuSnapshot(watched);
  const result = await run();
  const cpuAfter: Record<string, number> = cpuSnapshot(watched);
  const client = process.cpuUsage(clientBefore);
  cpuAfter.postgres = cpuBetween(pgBefore, cpuOfPids(await backends()));
  cpuBefore.postgres = 0;
  const redisMs = cpuBetween(redisBefore, cpuOfPids(redisPids));
  const peakRssMb = sampler.stop();
  const after = await statementSnapshot(watched, probeDir);
  const perRequest = (ms: number) => Math.round((ms / Math.max(1, result.requests)) * 100) / 100;
  const cpuMsPerRequest: Record<string, number> = Object.fromEntries(
    [...watched.map((s) => s.name), 'postgres'].map((name) => [name, perRequest((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0))]),
  );
  // The load generator shares the 2 cores; its cost is part of what one request costs here.
  cpuMsPerRequest.client = perRequest((client.user + client.system) / 1000);
  if (redisPids.length && meta.target !== 'hive') cpuMsPerRequest.redis = perRequest(redisMs);
  const sqlByService: Record<string, number> = {};
  let total = 0;
  for (const s of watched) {
    const d = (after[s.name]?.statements ?? 0) - (before[s.name]?.statements ?? 0);
    total += d;
    if (d > 0) sqlByService[s.name] = Math.round((d / Math.max(1, result.requests)) * 100) / 100;
  }
  return {
    ...meta,
    load1: Math.round(loadavg()[0] * 10) / 10,
    result,
    cpuMsPerRequest,
    sqlPerRequest: result.requests > 0 ? Math.round((total / result.requests) * 100) / 100 : null,
    sqlByService,
    peakRssMb,
  };
}

/** Several rounds of one scenario and target as one record (request-weighted averages, peak of peaks). */
function mergeRecords(parts: RunRecord[]): RunRecord {
  if (parts.length === 1) return parts[0];
  const requests = parts.reduce((a, p) => a + p.result.requests, 0) || 1;
  const weighted = (pick: (p: RunRecord) => number) => Math.round((parts.reduce((a, p) => a + pick(p) * p.result.requests, 0) / requests) * 100) / 100;
  const keys = (pick: (p: RunRecord) => Record<string, number>) => [...new Set(parts.flatMap((p) => Object.keys(pick(p))))];
  return {
    ...parts[0],
    result: mergeResults(parts.map((p) => p.result)),
    sqlPerRequest: weighted((p) => p.sqlPerRequest ?? 0),
    sqlByService: Object.fromEntries(keys((p) => p.sqlByService).map((k) => [k, weighted((p) => p.sqlByService[k] ?? 0)])),
    cpuMsPerRequest: Object.fromEntries(keys((p) => p.cpuMsPerRequest).map((k) => [k, weighted((p) => p.cpuMsPerRequest[k] ?? 0)])),
    peakRssMb: Object.fromEntries(keys((p) => p.peakRssMb).map((k) => [k, Math.max(...parts.map((p) => p.peakRssMb[k] ?? 0))])),
    load1: Math.round((parts.reduce((a, p) => a + p.load1, 0) / parts.length) * 10) / 10,
    rounds: parts.length,
  };
}

/** The two sides of the federation tax for CabinetHome, one person of the pool per operation. */
function federationTax(system: BenchSystem, f: Fixtures, supergraphSdl: string): Record<'gateway' | 'direct', () => Promise<void>> {
  const { plan } = planOperation(supergraphSdl, f.ops.cabinetHome.body, 'CabinetHome');
  const urls = Object.fromEntries(Object.entries(system.subgraphUrls).map(([k, v]) => [k, new URL(v)]));
  const gatewayUrl = new URL(system.gateway.url);
  let i = 0;
  const next = () => i++ % f.poolIds.length;
  // Caller tokens are signed once per person and subgraph (valid 60 s): the direct side then
  // costs what the subgraphs cost, not what signing costs; the gateway signs per fetch.
  const tokens = new Map<string, { token: string; at: number }>();
  const callerToken = async (person: string, subgraph: string) => {
    const key = `${person}/${subgraph}`;
    const hit = tokens.get(key);
    if (hit && Date.now() - hit.at < 45_000) return hit.token;
    const caller: Caller = {
      subject: person,
      roles: ['PATIENT'],
      scopes: PATIENT_SCOPES,
      clientId: DEMO_CABINETS.state.id,
      tokenId: null,
      requestId: 'bench-direct',
    };
    const token = await signCallerToken(caller, { secret: system.internalTokenSecret, audience: subgraphAudience(subgraph) });
    tokens.set(key, { token, at: Date.now() });
    return token;
  };
  return {
    gateway: async () => {
      const n = next();
      const res = await postJson(
        gatewayUrl,
        { operationName: 'CabinetHome', extensions: { persistedQuery: { version: 1, sha256Hash: f.ops.cabinetHome.id } } },
        { authorization: `Bearer ${f.stateTokens[n]}` },
      );
      if (res.status !== 200 || res.body.errors?.length) throw new Error(`gateway: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    },
    direct: async () => {
      const person = f.poolIds[next()];
      await executePlan(plan, { urls, headers: async (sg) => ({ [CALLER_TOKEN_HEADER]: await callerToken(person, sg) }) });
    },
  };
}

/**
 * The committed composition, or with `--compose` one made now from every subgraph folder (a
 * folder not in the list gets the next free port; the bench serves each subgraph on a port of its
 * own range anyway, see benchPorts).
 */
function supergraphToServe(compose: boolean, runDir: string): { subgraphs: SubgraphEntry[]; supergraphPath: string } {
  const listed = readSubgraphList();
  if (!compose) return { subgraphs: listed, supergraphPath: join(repoRoot, 'schema', 'supergraph.graphql') };
  const subgraphs = [...listed];
  for (const name of readdirSync(join(repoRoot, 'subgraphs'))) {
    if (subgraphs.some((e) => e.name === name) || !existsSync(join(repoRoot, 'subgraphs', name, 'schema.graphql'))) continue;
    subgraphs.push({ name, port: nextFreePort(subgraphs) });
  }
  const supergraphPath = join(runDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composeSupergraph(subgraphs));
  return { subgraphs, supergraphPath };
}

interface Ratios {
  /** Our req/s over Hive's, per scenario (> 1: ours is faster). */
  oursOverHive: Record<string, number>;
  /** Hive's gateway CPU per request over ours (> 1: ours costs less CPU per request). */
  hiveCpuOverOurs: Record<string, number>;
  /** Gateway p50 minus direct p50 at one connection (ms): the gateway's own time per operation. */
  gatewayOverheadP50Ms?: number;
  /** The same for users last seen minutes ago (`fed-tax-cold`, full runs): bearer token, grant and caller tokens not cached. */
  coldGatewayOverheadP50Ms?: number;
  /** Direct req/s over gateway req/s at N connections: how much throughput the gateway costs. */
  directOverGatewayThroughput?: number;
}

function ratios(runs: RunRecord[]): Ratios {
  const find = (scenario: string, target: string, connections?: number) =>
    runs.find((r) => r.scenario === scenario && r.target === target && (connections === undefined || r.connections === connections));
  const out: Ratios = { oursOverHive: {}, hiveCpuOverOurs: {} };
  for (const s of PEER_SCENARIOS) {
    const a = runs.find((r) => r.scenario === s && r.target === 'gateway' && r.connections > 1);
    const b = find(s, 'hive');
    if (a && b && b.result.rps > 0) out.oursOverHive[s] = Math.round((a.result.rps / b.result.rps) * 100) / 100;
    if (a?.cpuMsPerRequest.gateway && b?.cpuMsPerRequest.hive)
      out.hiveCpuOverOurs[s] = Math.round((b.cpuMsPerRequest.hive / a.cpuMsPerRequest.gateway) * 100) / 100;
  }
  const g1 = find('fed-tax', 'gateway', 1);
  const d1 = find('fed-tax', 'direct', 1);
  if (g1 && d1) out.gatewayOverheadP50Ms = Math.round((g1.result.latencyMs.p50 - d1.result.latencyMs.p50) * 100) / 100;
  const gc = find('fed-tax-cold', 'gateway', 1);
  const dc = find('fed-tax-cold', 'direct', 1);
  if (gc && dc) out.coldGatewayOverheadP50Ms = Math.round((gc.result.latencyMs.p50 - dc.result.latencyMs.p50) * 100) / 100;
  const gN = runs.filter((r) => r.scenario === 'fed-tax' && r.target === 'gateway' && r.connections > 1).pop();
  const dN = runs.filter((r) => r.scenario === 'fed-tax' && r.target === 'direct' && r.connections > 1).pop();
  if (gN && dN && gN.result.rps > 0) out.directOverGatewayThroughput = Math.round((dN.result.rps / gN.result.rps) * 100) / 100;
  return out;
}

function formatRatios(r: Ratios): string[] {
  const lines = Object.entries(r.oursOverHive).map(
    ([s, v]) => `  ours / hive throughput, ${s}: ${v.toFixed(2)}; hive / ours gateway CPU per request: ${r.hiveCpuOverOurs[s]?.toFixed(2) ?? '-'}`,
  );
  if (r.gatewayOverheadP50Ms !== undefined)
    lines.push(`  gateway overhead at 1 connection (p50 through gateway - p50 direct): ${r.gatewayOverheadP50Ms.toFixed(2)} ms`);
  if (r.coldGatewayOverheadP50Ms !== undefined)
    lines.push(`  the same for users last seen minutes ago (fed-tax-cold): ${r.coldGatewayOverheadP50Ms.toFixed(2)} ms`);
  if (r.directOverGatewayThroughput !== undefined)
    lines.push(`  direct / gateway throughput (federation tax under load): ${r.directOverGatewayThroughput.toFixed(2)}x`);
  return lines;
}

function oneLine(r: RunRecord): string {
  const l = r.result.latencyMs;
  const gw = r.target === 'direct' ? '' : `  gw CPU ${(r.cpuMsPerRequest[r.target === 'hive' ? 'hive' : 'gateway'] ?? 0).toFixed(2)} ms/req`;
  const load = `${gw}  load ${loadavg()[0].toFixed(1)}`;
  const first = r.result.sampleError ? `\n           first error: ${r.result.sampleError.slice(0, 160)}` : '';
  return `  ${r.target.padEnd(8)} ${String(r.connections).padStart(3)} conns  ${String(r.result.rps).padStart(6)} req/s  p50 ${l.p50} ms  p95 ${l.p95} ms  p99 ${l.p99} ms  errors ${r.result.errors}  SQL/req ${r.sqlPerRequest ?? '-'}${load}${first}`;
}

function formatDataset(d: DatasetReport): string {
  const seeded = Object.entries(d.seededMs)
    .filter(([k]) => k !== 'grants' && k !== 'vacuum')
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`);
  return (
    `${d.persons.toLocaleString('en')} persons, ${d.doctors.toLocaleString('en')} doctors (${d.listedDoctors.toLocaleString('en')} listed), ` +
    `${d.divisions.toLocaleString('en')} divisions, ${d.declarations.toLocaleString('en')} declarations (${d.activeDeclarations.toLocaleString('en')} active), ` +
    `${d.grants.toLocaleString('en')} grants${seeded.length ? `; seeded now: ${seeded.join(', ')}` : '; already seeded'}; ` +
    `autovacuum ${d.autovacuum}, VACUUM (ANALYZE) by the bench in ${((d.seededMs.vacuum ?? 0) / 1000).toFixed(1)} s`
  );
}

function machine() {
  const c = cpus();
  return { cpu: c[0]?.model, cores: c.length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, kernel: release() };
}

/** Profiles land as CPU.<date>.<pid>.….cpuprofile; match them to services by pid. */
function summariseProfiles(dir: string, system: BenchSystem, skipMs: number): Record<string, ReturnType<typeof summariseProfile>> {
  const out: Record<string, ReturnType<typeof summariseProfile>> = {};
  const names = new Map<number, string>();
  for (const s of system.services) if (s.child.pid) names.set(s.child.pid, s.name);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const pid = Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1]);
    const name = names.get(pid) ?? `worker-${pid}`;
    // Start-up (compiling TypeScript, loading modules) is left out: only the time under load counts.
    out[name] = summariseProfile(join(dir, file), { skipMs });
  }
  return out;
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
