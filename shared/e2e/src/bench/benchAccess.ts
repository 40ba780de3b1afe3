/**
 * `node -r @swc-node/register shared/e2e/src/bench/benchAccess.ts [requests] [concurrency]`
 * (set TEST_DATABASE_URL for PostgreSQL; PGlite otherwise). Measures what access management
 * costs and how fast a revocation spreads, for docs/access.md:
 * 1. latency and throughput of `{ me { id } }` through the gateway with and without the grant
 *    check + access log (two systems, same data);
 * 2. time until a second gateway instance refuses a revoked cabinet (20 revocations);
 * 3. how many INSERT statements the access log needed for those requests;
 * 4. the CPU cost per request of the guard (cached check) and of classifying + recording the
 *    log entries, in isolation (throughput on a shared machine is too noisy to show it).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envFrom } from '@pc/config';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { createLogger } from '@pc/logging';
import { repoRoot } from '@pc/schema';
import { serviceCaller } from '@pc/testing';
import { buildGateway, classifyAccess, createTokenVerifier, loadGatewayConfig, type AccessGuard } from '@pc/gateway';
import { accessRulesFrom } from '@pc/gateway/src/access/classifyAccess';
import type { GuardRequest } from '@pc/gateway/src/pipeline/guards';
import { supergraphDirectives } from '@pc/schema/src/supergraphDirectives';
import { startSystem, type RunningSystem } from '../startSystem';
import { Kind, buildASTSchema, parse, type OperationDefinitionNode } from 'graphql';

const requests = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 10);
// The edge's per-cabinet rate limit would otherwise cut the load off at 600 requests.
const noRateLimit = { rateLimit: { points: 1_000_000, durationSeconds: 60 } };

async function load(sys: RunningSystem, token: string): Promise<{ rps: number; p50: number; p99: number }> {
  const times: number[] = [];
  let next = 0;
  const body = JSON.stringify({ query: 'query BenchMe { me { id } }' });
  const one = async () => {
    while (next++ < requests) {
      const t = process.hrtime.bigint();
      const res = await fetch(sys.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      const json = (await res.json()) as { data?: { me?: { id: string } } };
      if (!json.data?.me?.id) throw new Error(`unexpected response ${JSON.stringify(json)}`);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  // Warm-up: plans cached, connections open.
  for (let i = 0; i < 50; i++)
    await fetch(sys.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const start = Date.now();
  await Promise.all(Array.from({ length: concurrency }, one));
  const secs = (Date.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return {
    rps: Math.round(times.length / secs),
    p50: +times[Math.floor(times.length * 0.5)].toFixed(1),
    p99: +times[Math.floor(times.length * 0.99)].toFixed(1),
  };
}

async function propagation(sys: RunningSystem): Promise<number[]> {
  // A second gateway instance over the same database, composed as the process composes it.
  const gw = await buildGateway(
    loadGatewayConfig(
      envFrom({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: sys.database.url,
        SUBGRAPH_URLS: Object.values(sys.subgraphs)
          .map((s) => `${s.name}=${s.url}`)
          .join(','),
        ACCESS_LOG_SPOOL: false,
        ENTITY_CACHE_SIZE: 0,
        RATE_LIMIT_POINTS: 1_000_000,
      }),
    ),
    { verifyToken: createTokenVerifier({ issuer: sys.issuer.issuer, audience: sys.issuer.audience, publicKey: sys.issuer.publicKey }) },
  );
  const access = gw.access!;
  const { url } = await gw.listen(0, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 3000)); // let the listener prove notifications (or give up)
  const person = DEMO_PERSONAS.other.id;
  const cabinet = DEMO_CABINETS.medcard.id;
  let token = '';
  const ask = async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    return ((await res.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
  };
  const out: number[] = [];
  for (let i = 0; i < 20; i++) {
    // Sign in again: consent afresh and a new token (one from before the revocation stays refused).
    token = await sys.token({ sub: person, clientId: cabinet, scopes: ['person:read'] });
    while ((await ask()) === 'UNAUTHENTICATED') await new Promise((r) => setTimeout(r, 10));
    const [{ id }] = await sys.subgraphs.access.dataSource.query('SELECT id FROM access.access_grant WHERE person_id = $1 AND cabinet_id = $2', [
      person,
      cabinet,
    ]);
    const t0 = Date.now();
    await sys.subgraphs.access.call(`mutation { revokeAccessGrant(input: { id: "${id}" }) { userErrors { code } } }`, {}, serviceCaller('bench'));
    while ((await ask()) !== 'UNAUTHENTICATED') await new Promise((r) => setTimeout(r, 2));
    out.push(Date.now() - t0);
  }
  process.stdout.write(`  second instance mode: ${access.mode}\n`);
  await gw.stop();
  return out.sort((a, b) => a - b);
}

/** Microseconds per call of the guard (cache hit) and of classify + record, averaged over 20,000 calls. */
async function perRequestCost(access: AccessGuard, token: string): Promise<{ guardUs: number; logUs: number }> {
  const claims = {
    subject: DEMO_PERSONAS.patient.id,
    roles: ['PATIENT' as const],
    scopes: ['person:read', 'access:read'],
    clientId: DEMO_CABINETS.state.id,
    tokenId: 't',
    requestId: 'r',
  };
  const req = { headers: { authorization: `Bearer ${token}` } } as unknown as GuardRequest;
  const log = createLogger({ service: 'bench', level: 'silent' });
  const n = 20_000;
  await access.guard({ caller: claims, body: {}, req, log });
  let t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await access.guard({ caller: claims, body: {}, req, log });
  const guardUs = Number(process.hrtime.bigint() - t) / 1e3 / n;
  const supergraphSdl = readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8');
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  // The access log's rules, as the gateway derives them from the supergraph's @accessLog directives.
  const rules = accessRulesFrom(supergraphDirectives(supergraphSdl));
  const op = parse('query Home { me { id firstName activeDeclaration { id } accessGrants { id cabinet { name } } } }').definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const data = {
    me: {
      id: '1',
      firstName: 'x',
      activeDeclaration: { id: 'd' },
      accessGrants: [
        { id: 'g', cabinet: { name: 'c' } },
        { id: 'h', cabinet: { name: 'd' } },
      ],
    },
  };
  t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const touched = classifyAccess(schema, op, {}, data, rules);
    access.writer.record(
      touched.map((x) => ({
        id: randomUUID(),
        at: new Date(),
        personId: claims.subject,
        cabinetId: claims.clientId,
        actor: claims.subject,
        actorRole: 'PATIENT',
        action: x.action,
        resource: x.resource,
        operationName: 'Home',
        requestId: 'r',
        tokenId: 't',
      })),
    );
  }
  const logUs = Number(process.hrtime.bigint() - t) / 1e3 / n;
  return { guardUs: +guardUs.toFixed(1), logUs: +logUs.toFixed(1) };
}

async function main(): Promise<void> {
  const without = await startSystem({ access: false, edge: noRateLimit });
  const sys = await startSystem({ edge: noRateLimit });
  const plain = await without.token('patient');
  const token = await sys.token('patient');
  const before = sys.access!.writer.stats.statements;
  const writtenBefore = sys.access!.writer.stats.written;
  // Alternating rounds: on a shared machine the load of others (and warm-up) shifts over time.
  const rounds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const a = await load(sys, token);
    const b = await load(without, plain);
    rounds.push(`  round ${i + 1}: with guard ${a.rps} req/s p50 ${a.p50} ms p99 ${a.p99} ms | without ${b.rps} req/s p50 ${b.p50} ms p99 ${b.p99} ms`);
  }
  await without.stop();
  await sys.access!.writer.flush();
  const statements = sys.access!.writer.stats.statements - before;
  process.stdout.write(`database: ${sys.database.kind}; ${requests} requests a round, concurrency ${concurrency}\n${rounds.join('\n')}\n`);
  process.stdout.write(
    `  access log: ${sys.access!.writer.stats.written - writtenBefore} entries in ${statements} INSERT statements; grant cache ${sys.access!.cache.stats.hits} hits / ${sys.access!.cache.stats.loads} loads\n`,
  );
  const cost = await perRequestCost(sys.access!, token);
  process.stdout.write(
    `  CPU per request: guard (cached check, iat decode, scope intersection) ${cost.guardUs} µs; classify + record 3 log entries ${cost.logUs} µs (no spool)\n`,
  );
  await sys.access!.writer.flush();
  const p = await propagation(sys);
  process.stdout.write(`  revocation → second instance refuses: median ${p[10]} ms, max ${p[19]} ms (20 runs)\n`);
  await sys.stop();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
