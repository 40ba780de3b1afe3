/**
 * The robustness run: a production-mode system, callers of every kind, N generated hostile
 * requests sent with bounded concurrency, every response classified (see classify.ts).
 *
 * Used by the CLI (`npm run fuzz`, the full run) and by gateway/test/robustness.e2e.test.ts (a
 * seeded sample in `npm test`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CABINETS, DEMO_PERSONAS, DOCTOR_SCOPES, PATIENT_SCOPES } from '@pc/demo';
import { apiSchemaOf, readCabinetFolders, readManifests, repoRoot } from '@pc/schema';
import { createDevIssuer } from '../../src/lib';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { classify, ReportBuilder, type FuzzReport } from './classify';
import { generateRequest, inputLeafTypes, listedOperations, type FuzzTarget } from './generate';
import { createSender } from './send';

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** How many requests. */
  count: number;
  seed: number;
  /** Requests in flight at once (keep-alive connections). Default 8. */
  concurrency?: number;
  /** Distinct failing examples kept. Default 20. */
  examples?: number;
  /** Only these request indexes (replaying examples). */
  only?: number[];
  /** Progress lines (CLI). */
  progress?: (line: string) => void;
}

/** A Redis URL on its own logical database, so the run's counters and APQ entries stay apart. */
function isolatedRedis(url: string): string {
  const u = new URL(url);
  if (!u.pathname || u.pathname === '/') u.pathname = '/9';
  return u.toString();
}

/**
 * The system under test: production mode (JWKS tokens, every cabinet held to its list, Redis
 * from TEST_REDIS_URL on a logical database of its own), with the rate limit raised so the run
 * measures the gateway rather than 429s. `freeForm` lets first-party callers (state cabinet,
 * doctors, anonymous) send free-form documents, which production refuses before parsing.
 */
export function startFuzzSystem(opts: { freeForm?: boolean } = {}): Promise<RunningSystem> {
  const redis = process.env.TEST_REDIS_URL;
  return startSystem({
    production: true,
    edge: {
      // Defence in depth (not a production setting): first-party callers may send free-form text,
      // so generated documents reach parsing, validation, limits and planning.
      ...(opts.freeForm ? { stateFreeForm: true } : {}),
      rateLimit: { points: 1_000_000_000, cabinetPoints: 1_000_000_000, durationSeconds: 60, keyPrefix: `pc-fuzz-${process.pid}` },
      ...(redis ? { redisUrl: isolatedRedis(redis) } : {}),
    },
  });
}

/** Callers, bad tokens, the API schema and the lists, as the generator needs them. */
export async function prepareTarget(sys: RunningSystem): Promise<FuzzTarget> {
  const schema = apiSchemaOf(readFileSync(join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8'));
  const lists = listedOperations(schema, readManifests());
  const tokens: Record<string, string> = {
    anonymous: '',
    'state:patient': await sys.token('patient'),
    'state:teen': await sys.token('teen'),
    'state:represented': await sys.token('represented'),
    'state:doctor': await sys.token('doctor'),
    'zdorovia:doctor': await sys.token({ sub: DEMO_PERSONAS.doctor.id, roles: ['DOCTOR'], scopes: DOCTOR_SCOPES, clientId: DEMO_CABINETS.zdorovia.id }),
    'zdorovia:patient': await sys.token({ clientId: DEMO_CABINETS.zdorovia.id }),
    'medcard:other': await sys.token({ sub: DEMO_PERSONAS.other.id, clientId: DEMO_CABINETS.medcard.id }),
  };
  // Which list each caller is held to (schema/operations/cabinets.json: a cabinet's client id,
  // "role:DOCTOR" or "anonymous"); without a doctors' or anonymous list, the cabinet's.
  const folders = Object.entries(readCabinetFolders());
  const folderOf = (value: string) => folders.find(([, v]) => v === value)?.[0];
  const callerLists: Record<string, string | undefined> = {};
  for (const caller of Object.keys(tokens)) {
    const [cabinet, persona] = caller.split(':');
    callerLists[caller] = caller === 'anonymous' ? folderOf('anonymous') : ((persona === 'doctor' ? folderOf('role:DOCTOR') : undefined) ?? cabinet);
  }
  const claims = { sub: DEMO_PERSONAS.patient.id, roles: ['PATIENT'], scopes: PATIENT_SCOPES, clientId: DEMO_CABINETS.state.id };
  const stranger = await createDevIssuer(sys.issuer.issuer, sys.issuer.audience);
  const badTokens: Record<string, string> = {
    'bad:expired': await sys.issuer.mint({ ...claims, ttlSeconds: -120 }),
    'bad:foreign-key': await stranger.mint(claims),
    'bad:wrong-audience': await sys.issuer.mint({ ...claims, audience: 'someone-else' }),
    'bad:wrong-issuer': await sys.issuer.mint({ ...claims, issuer: 'https://evil.invalid' }),
    'bad:no-roles': await sys.issuer.mint({ ...claims, roles: [], scopes: [] }),
    'bad:unknown-cabinet': await sys.token({ clientId: 'f0f0f0f0-0000-4000-8000-000000000000' }),
    'bad:unknown-person': await sys.token({ sub: 'f0f0f0f0-0000-4000-8000-000000000001' }),
    'bad:no-consent': await sys.token({ sub: DEMO_PERSONAS.represented.id, clientId: DEMO_CABINETS.medcard.id }, { consent: false }),
  };
  return { schema, lists, tokens, callerLists, badTokens, path: new URL(sys.gatewayUrl).pathname, coverage: { listed: new Set(), documents: new Set() } };
}

/** Sends `count` generated requests and classifies every response. */
export async function runFuzz(sys: RunningSystem, opts: FuzzOptions): Promise<FuzzReport> {
  const target = await prepareTarget(sys);
  const concurrency = opts.concurrency ?? 8;
  const sender = createSender(sys.gatewayUrl, { concurrency });
  const report = new ReportBuilder(opts.seed, opts.examples ?? 20);
  const indexes = opts.only ?? Array.from({ length: opts.count }, (_, i) => i);
  const started = Date.now();
  let next = 0;
  let done = 0;
  const step = Math.max(1000, Math.ceil(indexes.length / 10));
  async function worker(): Promise<void> {
    while (next < indexes.length) {
      const req = generateRequest(opts.seed, indexes[next++], target);
      const res = await sender.send(req);
      report.add(req, res, classify(req, res));
      if (++done % step === 0) opts.progress?.(`  ${done}/${indexes.length} sent, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, () => worker()));
  } finally {
    sender.close();
  }
  const ms = Date.now() - started;
  // The gateway must still serve a listed operation normally after the run.
  let healthy = false;
  try {
    const r = await sys.persisted('state', 'CabinetHome', {}, target.tokens['state:patient']);
    healthy = r.status === 200 && !r.errors && r.data != null;
  } catch {
    healthy = false;
  }
  const all = inputLeafTypes(target.schema);
  const listed = all.filter((n) => target.coverage!.listed.has(n));
  const documents = all.filter((n) => target.coverage!.documents.has(n));
  report.setCoverage({
    inputLeafTypes: all.length,
    inListedVariables: listed,
    inDocumentsOnly: documents.filter((n) => !listed.includes(n)),
    notReached: all.filter((n) => !listed.includes(n) && !documents.includes(n)),
  });
  return report.finish(ms, healthy);
}
