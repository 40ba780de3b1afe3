import { resolve } from 'node:path';
import { num, parseConfig, str } from '@pc/config';
import { repoRoot } from '@pc/schema';

/** Sizes of a benchmark data set. */
export interface DatasetSize {
  /** People in the identity register. */
  persons: number;
  /** Medical providers, their divisions and their doctors in the directory. */
  legalEntities: number;
  divisions: number;
  doctors: number;
  /** Persons that get tokens (an active grant to the state and a partner cabinet each). */
  tokenPool: number;
  /** Seed of the generated directory (persons always use {@link PERSON_SEED}). */
  directorySeed: number;
}

/** Seed of the generated people: every data set holds a prefix of the same sequence. */
export const PERSON_SEED = 8_080_001;

/**
 * The national scale (docs/performance.md): about the population of a large oblast's declarations
 * and the whole country's primary-care doctors. Declarations are derived: ~90% of people hold an
 * active one and ~10% also a terminated one, ~1,000,000 rows in all.
 */
export const NATIONAL: DatasetSize = {
  persons: 1_000_000,
  legalEntities: 1_700,
  divisions: 6_800,
  doctors: 30_000,
  tokenPool: 10_000,
  directorySeed: 8_080_002,
};
/** What `--quick` seeds on a fresh machine in well under a minute. */
export const QUICK: DatasetSize = { persons: 20_000, legalEntities: 60, divisions: 200, doctors: 1_000, tokenPool: 500, directorySeed: 8_080_003 };

/** Everything one run is told, from the command line and the environment. */
export interface BenchOptions {
  quick: boolean;
  dataset: DatasetSize;
  /** PostgreSQL server URL with the database to use (created when missing). */
  databaseUrl: string;
  /** Whether DATABASE_URL was given (otherwise the default server, or PGlite when it is down). */
  databaseGiven: boolean;
  /** Seconds of measurement per scenario, and of warm-up before it. */
  durationSeconds: number;
  warmupSeconds: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** Rounds, alternating the order, that a scenario run against both gateways is split into. */
  rounds: number;
  /** Only these scenarios (ids), or all. */
  only: string[] | null;
  /** Seed and stop (no load). */
  seedOnly: boolean;
  /**
   * Compose a supergraph of every subgraph folder (also those not yet in schema/subgraphs.json)
   * instead of serving the committed one: for measuring a domain before it joins the composition.
   */
  compose: boolean;
  /** Skip the Hive Gateway comparison. */
  skipPeer: boolean;
  /** Write CPU profiles of the gateways (`--cpu-prof`) into the results folder. */
  cpuProf: boolean;
  /** First of the ports the bench binds (gateway, subgraphs, peer, JWKS). */
  portBase: number;
  /**
   * The gateway's Redis (rate-limit counters, APQ), as in production: BENCH_REDIS_URL, default the
   * local server's logical database 11; `off` runs the gateway without Redis (in-memory). Used only
   * when it answers (see `redisReachable`).
   */
  redisUrl: string | null;
  resultsDir: string;
  dataDir: string;
}

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432';

/**
 * Reads the options: `--quick`, `--duration s`, `--warmup s`, `--connections n`,
 * `--only a,b`, `--no-peer`, `--cpu-prof`, `--rounds n`, `--compose`, `--seed-only`; and DATABASE_URL,
 * BENCH_PORT_BASE from the environment.
 */
export function parseBenchOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}" (see bench/README in docs/performance.md)`);
    const [k, inline] = a.slice(2).split('=', 2);
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(k, inline);
    else if (next !== undefined && !next.startsWith('--') && ['duration', 'warmup', 'connections', 'only', 'persons', 'rounds'].includes(k)) {
      flags.set(k, next);
      i++;
    } else flags.set(k, true);
  }
  const known = ['rounds', 'compose', 'seed-only', 'quick', 'duration', 'warmup', 'connections', 'only', 'no-peer', 'cpu-prof', 'persons'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new Error(`unknown option --${k}; known: ${known.map((x) => `--${x}`).join(' ')}`);
  const cfg = parseConfig(
    {
      NODE_ENV: str({ default: 'development' }),
      DATABASE_URL: str({ default: '' }),
      BENCH_PORT_BASE: num({ default: 5100 }),
      BENCH_REDIS_URL: str({ default: 'redis://127.0.0.1:6379/11' }),
    },
    env,
  );
  const quick = flags.has('quick');
  const numFlag = (k: string, d: number) => {
    const v = flags.get(k);
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${k} needs a number, got ${String(v)}`);
    return n;
  };
  const dataset = { ...(quick ? QUICK : NATIONAL) };
  if (flags.has('persons')) dataset.persons = numFlag('persons', dataset.persons);
  const only = flags.get('only');
  return {
    quick,
    dataset,
    databaseUrl: cfg.DATABASE_URL || `${DEFAULT_SERVER}/${quick ? 'pc_bench_quick' : 'pc_bench'}`,
    databaseGiven: Boolean(cfg.DATABASE_URL),
    durationSeconds: numFlag('duration', quick ? 3 : 20),
    // CPU per request is a steady-state figure. The processes start fresh for every bench, and
    // with 2 s of warm-up the first scenario measured JIT compilation and cold caches: CabinetHome
    // 10.0 ms CPU/req at 2 s vs 5.75 at 6 s, back to back (docs/performance.md, 2026-11-30).
    warmupSeconds: numFlag('warmup', 6),
    connections: numFlag('connections', 20),
    rounds: Math.max(1, Math.round(numFlag('rounds', quick ? 1 : 4))),
    only:
      typeof only === 'string'
        ? only
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : null,
    seedOnly: flags.has('seed-only'),
    compose: flags.has('compose'),
    skipPeer: flags.has('no-peer'),
    cpuProf: flags.has('cpu-prof'),
    portBase: cfg.BENCH_PORT_BASE,
    redisUrl: cfg.BENCH_REDIS_URL === 'off' ? null : cfg.BENCH_REDIS_URL,
    resultsDir: resolve(repoRoot, 'bench', 'results'),
    dataDir: resolve(repoRoot, 'bench', '.data'),
  };
}
