import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pc/schema';

/** A process the bench started: a subgraph, a gateway or the peer gateway. */
export interface Service {
  name: string;
  role: 'subgraph' | 'gateway' | 'peer';
  child: ChildProcess;
  /** GraphQL endpoint. */
  url: string;
  logFile: string;
}

/** How to start one service process. */
export interface SpawnOptions {
  name: string;
  role: Service['role'];
  /** TypeScript entry, relative to the repository root. */
  entry: string;
  env: Record<string, string>;
  url: string;
  logDir: string;
  probeDir: string;
  /** Directory for `--cpu-prof` output; no profiling when absent. */
  cpuProfDir?: string;
}

const PROBE = join(__dirname, 'statementProbe.ts');

/**
 * Starts a service as its own Node process from the repository root (so the root tsconfig
 * drives @swc-node/register, as under `npm start`), with the statement probe preloaded and
 * its output in `<logDir>/<name>.log`.
 */
export function spawnService(o: SpawnOptions): Service {
  mkdirSync(o.logDir, { recursive: true });
  const logFile = join(o.logDir, `${o.name}.log`);
  const out = createWriteStream(logFile);
  const profile = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  const child = spawn(process.execPath, [...profile, '-r', '@swc-node/register', '-r', PROBE, o.entry], {
    cwd: repoRoot,
    env: { ...process.env, ...o.env, BENCH_PROBE_DIR: o.probeDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { name: o.name, role: o.role, child, url: o.url, logFile };
}

/** Waits until `url` answers 200, or fails with the end of the service's log. */
export async function waitReady(service: Service, readyUrl: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`${service.name} exited (${service.child.exitCode ?? service.child.signalCode}) before it was ready:\n${tail(service.logFile)}`);
    }
    try {
      const res = await fetch(readyUrl);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${service.name} not ready after ${timeoutMs / 1000} s:\n${tail(service.logFile)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The last lines of a log file. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Stops services with SIGTERM (they drain and exit; profiles are written then), SIGKILL after 10 s. */
export async function stopServices(services: Service[]): Promise<void> {
  await Promise.all(
    services.map(
      (s) =>
        new Promise<void>((done) => {
          if (s.child.exitCode !== null || s.child.signalCode !== null) return done();
          const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
          s.child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          s.child.kill('SIGTERM');
        }),
    ),
  );
}

/** The process and all its descendants, from /proc. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      const children = readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').trim();
      if (children) out.push(...children.split(/\s+/).map(Number));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Resident memory now and its peak (VmRSS, VmHWM) in MiB, from /proc/<pid>/status. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU time (user + system) consumed so far by each service's process tree, in milliseconds. */
export function cpuSnapshot(services: Service[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of services) {
    if (s.child.pid === undefined) continue;
    out[s.name] = processTree(s.child.pid).reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  }
  return out;
}

/** CPU milliseconds of each of a set of processes (not trees), e.g. the PostgreSQL backends of the bench database. */
/** The processes whose command name (`/proc/<pid>/comm`) is `name`, e.g. the Redis server the gateway uses. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export function cpuOfPids(pids: number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, cpuMsOf(pid)]));
}

/**
 * CPU spent between two {@link cpuOfPids} readings: backends that appeared meanwhile count in
 * full (a pool opened a connection), backends that ended are lost (their last slice is small).
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += Math.max(0, ms - (before.get(pid) ?? 0));
  return sum;
}

// /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Statements counted by the probe in each process of a tree. */
export interface StatementCounts {
  statements: number;
  transactionControl: number;
}

/**
 * Asks every process of the services' trees for its statement count (SIGUSR2) and sums them per
 * service. Waits until each answered (or 2 s).
 */
export async function statementSnapshot(services: Service[], probeDir: string): Promise<Record<string, StatementCounts>> {
  const sentAt = Date.now();
  const byPid = new Map<number, string>();
  for (const s of services) {
    if (s.child.pid === undefined) continue;
    for (const pid of processTree(s.child.pid)) {
      byPid.set(pid, s.name);
      try {
        process.kill(pid, 'SIGUSR2');
      } catch {
        // exited
      }
    }
  }
  const out: Record<string, StatementCounts> = Object.fromEntries(services.map((s) => [s.name, { statements: 0, transactionControl: 0 }]));
  const pending = new Set(byPid.keys());
  const deadline = Date.now() + 2_000;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const pid of [...pending]) {
      const file = join(probeDir, `${pid}.json`);
      if (!existsSync(file)) continue;
      try {
        const c = JSON.parse(readFileSync(file, 'utf8')) as StatementCounts & { at: number };
        if (c.at < sentAt) continue;
        const sum = out[byPid.get(pid)!];
        sum.statements += c.statements;
        sum.transactionControl += c.transactionControl;
        pending.delete(pid);
      } catch {
        // being written
      }
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 20));
  }
  return out;
}

/** Peak resident memory per service (all processes of its tree summed) while sampling ran. */
export class MemorySampler {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly services: Service[]) {}

  /** Samples every `intervalMs` until {@link stop}. */
  start(intervalMs = 200): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Stops and returns the peak RSS (MiB) of each service. */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return Object.fromEntries([...this.peaks].map(([k, v]) => [k, Math.round(v)]));
  }

  private sample(): void {
    for (const s of this.services) {
      if (s.child.pid === undefined) continue;
      const rss = processTree(s.child.pid).reduce((sum, pid) => sum + (memoryOf(pid)?.rssMb ?? 0), 0);
      this.peaks.set(s.name, Math.max(this.peaks.get(s.name) ?? 0, rss));
    }
  }
}
