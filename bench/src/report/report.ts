import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { LoadResult } from '../load/measure';

/** One measured run in the results file and the printed table. */
export interface RunRecord {
  scenario: string;
  /** `gateway` (ours), `hive` (the peer), `direct` (subgraphs without a gateway). */
  target: 'gateway' | 'hive' | 'direct';
  /** `autocannon` or the closed loop used for the federation tax. */
  driver: 'autocannon' | 'closed-loop';
  connections: number;
  result: LoadResult;
  /** SQL statements (transaction control excluded) per completed request, all services together. */
  sqlPerRequest: number | null;
  /** The same, by service. */
  sqlByService: Record<string, number>;
  /**
   * CPU milliseconds (user + system) each service spent per completed request. Unlike req/s this
   * hardly depends on what else runs on the machine, so it is the fair ground for comparing
   * gateways on a shared box.
   */
  cpuMsPerRequest: Record<string, number>;
  /** Peak resident memory (MiB) of each service during the run (child processes summed). */
  peakRssMb: Record<string, number>;
  /**
   * The machine's 1-minute load average at the end of the run. Everything shares 2 cores; a value
   * far above what the bench itself causes (~2–3) means other work ran and the numbers are low.
   */
  load1: number;
  /** Rounds merged into this record (scenarios compared with the peer alternate A B, B A). */
  rounds?: number;
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

/** The results table as printed by `npm run bench` (fixed-width text). */
export function formatTable(runs: RunRecord[]): string {
  const head = [
    'scenario',
    'target',
    'conns',
    'req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'errors',
    'SQL/req',
    'CPU ms/req gw',
    'subgraphs',
    'postgres',
    'capacity',
    'load',
    'peak RSS MiB (gw | subgraphs)',
  ];
  const widths = [16, 17, 5, 7, 7, 7, 7, 7, 7, 13, 9, 8, 8, 5, 30];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], i >= 2 && i <= 13)).join('  ');
  const rows = runs.map((r) => {
    const gw = r.peakRssMb[r.target === 'hive' ? 'hive' : 'gateway'];
    const sub = Object.entries(r.peakRssMb)
      .filter(([k]) => k !== 'gateway' && k !== 'hive')
      .map(([, v]) => v);
    return line([
      r.scenario,
      `${r.target}${r.driver === 'closed-loop' ? ' (loop)' : ''}`,
      String(r.connections),
      String(r.result.rps),
      r.result.latencyMs.p50.toFixed(2),
      r.result.latencyMs.p95.toFixed(2),
      r.result.latencyMs.p99.toFixed(2),
      String(r.result.errors),
      r.sqlPerRequest === null ? '-' : r.sqlPerRequest.toFixed(2),
      r.target === 'direct' ? '-' : (r.cpuMsPerRequest[r.target === 'hive' ? 'hive' : 'gateway'] ?? 0).toFixed(2),
      Object.entries(r.cpuMsPerRequest)
        .filter(([k]) => !['gateway', 'hive', 'postgres', 'client', 'redis'].includes(k))
        .reduce((a, [, v]) => a + v, 0)
        .toFixed(2),
      (r.cpuMsPerRequest.postgres ?? 0).toFixed(2),
      String(capacity(r)),
      r.load1.toFixed(1),
      `${r.target === 'direct' ? '-' : (gw ?? '-')} | ${sub.join(' ')}`,
    ]);
  });
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows].join('\n');
}

/**
 * Requests per second the machine could serve if this run had it to itself: its cores' time
 * divided by the CPU all processes (gateway, subgraphs, PostgreSQL backends, Redis when the gateway uses it, load generator)
 * spent per request. An estimate that shared machines cannot spoil, and an upper bound for req/s.
 */
export function capacity(r: RunRecord, cores = cpus().length): number {
  const total = Object.values(r.cpuMsPerRequest).reduce((a, b) => a + b, 0);
  return total > 0 ? Math.round((cores * 1000) / total) : 0;
}

/** A function's share of a CPU profile. */
export interface ProfileEntry {
  fn: string;
  selfPercent: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Options of {@link summariseProfile}. */
export interface SummariseOptions {
  /** Rows per table; default 15. */
  top?: number;
  /** Ignore the first milliseconds of the profile (start-up: compiling TypeScript, loading modules). */
  skipMs?: number;
}

/**
 * The functions with the most self time in a `--cpu-prof` profile, and the share of time spent
 * in each package (node_modules/<pkg>, node internals, our code) — enough to say where a
 * gateway's CPU goes without opening DevTools.
 */
export function summariseProfile(file: string, { top = 15, skipMs = 0 }: SummariseOptions = {}): { functions: ProfileEntry[]; packages: ProfileEntry[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at >= skipMs * 1000) self.set(id, (self.get(id) ?? 0) + dt);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, t] of self) {
    const f = byId.get(id)!.callFrame;
    const where = f.url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '');
    const key = `${f.functionName || '(anonymous)'} ${where ? `${where}:${f.lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + t);
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
    const pkg = m
      ? m[1]
      : where.startsWith('node:') || !where
        ? `(${f.functionName || 'node'})`.replace(/^\((idle|program|garbage collector)\)$/, '($1)')
        : 'our code';
    const bucket = ['(idle)', '(program)', '(garbage collector)'].includes(pkg) ? pkg : pkg.startsWith('(') ? '(node internals)' : pkg;
    pkgs.set(bucket, (pkgs.get(bucket) ?? 0) + t);
  }
  const toEntries = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([fn, t]) => ({ fn, selfPercent: Math.round((t / total) * 1000) / 10 }));
  return { functions: toEntries(fns, top), packages: toEntries(pkgs, top) };
}
