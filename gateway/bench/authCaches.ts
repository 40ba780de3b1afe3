/**
 * A/B of the gateway's auth caches (verified bearer tokens, reused caller tokens), back to back
 * in one process: two whole systems in production mode (`startSystem({ production: true })`:
 * JWKS-verified ES256 tokens, random internal secret, grant checks, persisted lists), one with
 * both caches off and one with the defaults, then `CabinetHome` by persisted id at one
 * connection, alternating rounds (off, on, on, off, …) so that neither arm meets a warmer JIT
 * or database.
 *
 *   npm run bench:auth -w @pc/gateway -- [--requests 300] [--rounds 4] [--warmup 100] [--profile] [--out file.json]
 *
 * Everything runs in this one process (gateway, four subgraphs, the client), so its CPU time is
 * not the gateway's alone. Three measures, from the most to the least direct:
 *
 * 1. **Auth work per request, timed function by function**: the verifier and the caller-token
 *    source are counted per request during the rounds (full checks vs cache hits, signatures vs
 *    reuses), and each kind of call is timed on its own afterwards (process CPU over a few
 *    thousand sequential calls, nothing else running). Gateway auth CPU per request = Σ count ×
 *    unit cost.
 * 2. **CPU profile** (`--profile`, node:inspector per arm and round): milliseconds per request of
 *    samples with a jose frame on the stack — the gateway's ES256 checks and HS256 signatures,
 *    plus the subgraphs' HS256 checks of caller tokens, which are the same in both arms.
 * 3. **Process CPU per request** (`process.cpuUsage`): everything in-process; the subgraphs'
 *    and the client's share is the same in both arms, so the difference is the gateway's saving
 *    (noisy on a shared machine).
 *
 * Latency: each request's wall time at the client (node:http keep-alive, one at a time).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensurePgliteTemplate } from '@pc/db';
import { DEMO_PERSONAS } from '@pc/demo';
import { readManifests } from '@pc/schema';
import { CallerTokenCache } from '../src/auth/callerTokenCache';
import { createTokenVerifier, type TokenVerifier } from '../src/auth/verifyUserToken';
import { startSystem, type RunningSystem } from '@pc/e2e';

type Arm = 'off' | 'on';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const REQUESTS = opt('requests', 300);
const ROUNDS = opt('rounds', 4);
const WARMUP = opt('warmup', 100);
const PROFILE = args.includes('--profile');
const outIdx = args.indexOf('--out');
const OUT = outIdx >= 0 ? args[outIdx + 1] : undefined;

/** Counts of auth calls per arm, taken while the rounds run. */
const counts: Record<Arm, { checks: number; hits: number; signed: number; reused: number }> = {
  off: { checks: 0, hits: 0, signed: 0, reused: 0 },
  on: { checks: 0, hits: 0, signed: 0, reused: 0 },
};
let counting: Arm | undefined;

// Caller tokens: count signatures and reuses of whichever arm is being measured (each arm's
// gateway has its own CallerTokenCache; the one with caching off has no entries).
const originalToken = CallerTokenCache.prototype.token;
CallerTokenCache.prototype.token = function (this: CallerTokenCache, ...a: Parameters<CallerTokenCache['token']>) {
  const before = this.stats.signed;
  const p = originalToken.apply(this, a);
  if (counting) {
    if (this.stats.signed > before) counts[counting].signed++;
    else counts[counting].reused++;
  }
  return p;
};

interface System {
  arm: Arm;
  sys: RunningSystem;
  token: string;
  url: URL;
}

async function start(arm: Arm): Promise<System> {
  let verify: TokenVerifier & { cache?: { hits: number; misses: number } } = () => Promise.reject(new Error('not ready'));
  const sys = await startSystem({
    production: true,
    // A load test of one person is not a test of the rate limiter.
    edge: { rateLimit: { points: 1e9, cabinetPoints: 1e9, durationSeconds: 60 } },
    gateway: {
      verifyToken: async (t) => {
        const before = verify.cache ? verify.cache.hits : 0;
        const caller = await verify(t);
        if (counting) {
          if (verify.cache && verify.cache.hits > before) counts[counting].hits++;
          else counts[counting].checks++;
        }
        return caller;
      },
      ...(arm === 'off' ? { callerTokenCache: false as const } : {}),
    },
  });
  verify = createTokenVerifier({
    issuer: sys.issuer.issuer,
    audience: sys.issuer.audience,
    jwksUrl: sys.jwksUrl,
    ...(arm === 'off' ? { cache: false as const } : {}),
  });
  return { arm, sys, token: await sys.token('patient'), url: new URL(sys.gatewayUrl) };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const cabinetHome = readManifests().state.operations.find((o) => o.name === 'CabinetHome')!;
const body = Buffer.from(
  JSON.stringify({ operationName: 'CabinetHome', variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash: cabinetHome.id } } }),
);

function post(s: System): Promise<{ status: number; json: { data?: { me?: { id?: string } }; errors?: unknown[] } }> {
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
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function once(s: System): Promise<number> {
  const t = performance.now();
  const r = await post(s);
  const ms = performance.now() - t;
  if (r.status !== 200 || r.json.errors || r.json.data?.me?.id !== DEMO_PERSONAS.patient.id) {
    throw new Error(`${s.arm}: unexpected response ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  }
  return ms;
}

interface Profile {
  nodes: { id: number; callFrame: { url: string; functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Milliseconds of samples with a jose frame on the stack, and of all non-idle samples. */
function summarise(p: Profile, leaves: Map<string, number>): { joseMs: number; busyMs: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const inJose = new Map<number, boolean>();
  const idle = new Set<number>();
  const walk = (id: number, jose: boolean) => {
    const n = byId.get(id)!;
    const here = jose || n.callFrame.url.includes('/node_modules/jose/');
    inJose.set(id, here);
    if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') idle.add(id);
    for (const c of n.children ?? []) walk(c, here);
  };
  walk(p.nodes[0].id, false);
  let joseUs = 0;
  let busyUs = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    if (!idle.has(id)) busyUs += dt;
    if (inJose.get(id)) {
      joseUs += dt;
      // Where the jose time goes: the sampled (leaf) function and its file.
      const f = byId.get(id)!.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^node:internal\//, 'node:')}`;
      leaves.set(name, (leaves.get(name) ?? 0) + dt / 1000);
    }
  });
  return { joseMs: joseUs / 1000, busyMs: busyUs / 1000 };
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** CPU ms per call of `fn`, over `n` sequential calls (after a short warm-up). */
async function unitCost(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn();
  const c = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000 / n;
}

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) await ensurePgliteTemplate();
  const t0 = Date.now();
  const systems: Record<Arm, System> = { off: await start('off'), on: await start('on') };
  process.stderr.write(`systems up in ${Date.now() - t0} ms\n`);
  const session = PROFILE ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
  }
  try {
    for (const arm of ['off', 'on'] as Arm[]) for (let i = 0; i < WARMUP; i++) await once(systems[arm]);
    const results: Record<
      Arm,
      {
        latencies: number[];
        roundP50: number[];
        roundCpu: number[];
        cpuMs: number;
        joseMs: number;
        busyMs: number;
        requests: number;
        joseLeaves: Map<string, number>;
      }
    > = {
      off: { latencies: [], roundP50: [], roundCpu: [], cpuMs: 0, joseMs: 0, busyMs: 0, requests: 0, joseLeaves: new Map() },
      on: { latencies: [], roundP50: [], roundCpu: [], cpuMs: 0, joseMs: 0, busyMs: 0, requests: 0, joseLeaves: new Map() },
    };
    for (let round = 0; round < ROUNDS; round++) {
      const order: Arm[] = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const arm of order) {
        const res = results[arm];
        if (session) await session.post('Profiler.start');
        counting = arm;
        const c = process.cpuUsage();
        for (let i = 0; i < REQUESTS; i++) res.latencies.push(await once(systems[arm]));
        const d = process.cpuUsage(c);
        counting = undefined;
        res.cpuMs += (d.user + d.system) / 1000;
        res.roundCpu.push((d.user + d.system) / 1000 / REQUESTS);
        res.roundP50.push(pct(res.latencies.slice(-REQUESTS), 0.5));
        res.requests += REQUESTS;
        if (session) {
          const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
          const s = summarise(profile, res.joseLeaves);
          res.joseMs += s.joseMs;
          res.busyMs += s.busyMs;
        }
        process.stderr.write(`round ${round + 1} ${arm}: p50 ${r2(pct(res.latencies.slice(-REQUESTS), 0.5))} ms\n`);
      }
    }

    // Unit costs of each kind of auth call, timed alone in this process.
    const on = systems.on;
    const issuer = { issuer: on.sys.issuer.issuer, audience: on.sys.issuer.audience, jwksUrl: on.sys.jwksUrl };
    const full = createTokenVerifier({ ...issuer, cache: false });
    const cached = createTokenVerifier(issuer);
    const caller = {
      subject: DEMO_PERSONAS.patient.id,
      roles: ['PATIENT' as const],
      scopes: ['person:read', 'declaration:read', 'access:read'],
      clientId: 'c',
      tokenId: randomUUID(),
    };
    const secret = 'x'.repeat(43);
    const signing = new CallerTokenCache({ secret, maxEntries: 0 });
    const reusing = new CallerTokenCache({ secret });
    const unit = {
      bearerCheckMs: await unitCost(2000, () => full(on.token)),
      bearerHitMs: await unitCost(20000, () => cached(on.token)),
      callerSignMs: await unitCost(5000, () => signing.token(caller, 'identity')),
      callerReuseMs: await unitCost(20000, () => reusing.token(caller, 'identity')),
    };

    const report = (['off', 'on'] as Arm[]).map((arm) => {
      const res = results[arm];
      const n = res.requests;
      const k = counts[arm];
      const authMs = (k.checks * unit.bearerCheckMs + k.hits * unit.bearerHitMs + k.signed * unit.callerSignMs + k.reused * unit.callerReuseMs) / n;
      return {
        arm: arm === 'off' ? 'caches off' : 'caches on',
        requests: n,
        p50: r2(pct(res.latencies, 0.5)),
        p95: r2(pct(res.latencies, 0.95)),
        mean: r2(res.latencies.reduce((a, b) => a + b, 0) / n),
        bearerChecksPerReq: r3(k.checks / n),
        bearerHitsPerReq: r3(k.hits / n),
        callerSignaturesPerReq: r3(k.signed / n),
        callerReusesPerReq: r3(k.reused / n),
        gatewayAuthCpuMsPerReq: r3(authMs),
        processCpuMsPerReq: r2(res.cpuMs / n),
        ...(PROFILE ? { profileJoseMsPerReq: r3(res.joseMs / n), profileBusyMsPerReq: r2(res.busyMs / n) } : {}),
      };
    });
    // Rounds come in pairs run back to back (off/on, then on/off): the median of the pairs'
    // differences is the least disturbed by neighbours' load changing between pairs.
    const median = (xs: number[]) => pct(xs, 0.5);
    const paired = {
      p50SavedMs: r2(median(results.off.roundP50.map((x, i) => x - results.on.roundP50[i]))),
      processCpuSavedMsPerReq: r2(median(results.off.roundCpu.map((x, i) => x - results.on.roundCpu[i]))),
      roundP50: { off: results.off.roundP50.map(r2), on: results.on.roundP50.map(r2) },
      roundProcessCpuMsPerReq: { off: results.off.roundCpu.map(r2), on: results.on.roundCpu.map(r2) },
    };
    const out = {
      at: new Date().toISOString(),
      node: process.version,
      database: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite',
      load: (await import('node:os')).loadavg().map(r2),
      settings: { requests: REQUESTS, rounds: ROUNDS, warmup: WARMUP, profile: PROFILE },
      unitCostMs: Object.fromEntries(Object.entries(unit).map(([k, v]) => [k, r3(v)])),
      arms: report,
      paired,
      ...(PROFILE
        ? {
            /** µs per request of the top sampled functions with a jose frame on the stack. */
            profileJoseTopUsPerReq: Object.fromEntries(
              (['off', 'on'] as Arm[]).map((arm) => [
                arm,
                Object.fromEntries(
                  [...results[arm].joseLeaves.entries()]
                    .sort((a, b) => b[1] - a[1])
                    .slice(0, 8)
                    .map(([k, ms]) => [k, Math.round((ms / results[arm].requests) * 1000)]),
                ),
              ]),
            ),
          }
        : {}),
    };
    console.table(report);
    console.log(JSON.stringify(out, null, 2));
    if (OUT) writeFileSync(OUT.startsWith('/') ? OUT : join(process.cwd(), OUT), JSON.stringify(out, null, 2) + '\n');
  } finally {
    session?.disconnect();
    agent.destroy();
    await systems.off.sys.stop();
    await systems.on.sys.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
