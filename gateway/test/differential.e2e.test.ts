/**
 * Differential test: our gateway (createGatewayServer: CallerDataSource with caller tokens, the
 * keep-alive node:http fetcher, failed-fetch errors, operationInputPlugin, operation limits,
 * formatGatewayError) against vanilla `ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) })`
 * over the same supergraph and the same test subgraphs (gateway/test/differential/), on real HTTP.
 *
 * Same operations to both; `data` must be identical (JSON, key order included) and errors
 * identical in message, path, extensions.code and the other extensions, except for the
 * documented, intended differences (docs/edge.md, "Differential test against vanilla
 * @apollo/gateway"):
 *   1. a failed subgraph fetch: DEPENDENCY_UNAVAILABLE errors with paths where vanilla gives one
 *      path-less error per fetch (asserted explicitly below);
 *   2. production mode: uncoded/internal errors masked, serviceName and addresses dropped;
 *   3. variables or operation name that do not coerce: 400 BAD_USER_INPUT before planning;
 *   and never `extensions.response` or a stack trace from our gateway.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse, type GraphQLSchema } from 'graphql';
import { createLogger } from '@pc/logging';
import { createDevIssuer, type DevIssuer } from '../src/auth/devIssuer';
import { createTokenVerifier } from '../src/auth/verifyUserToken';
import { createGatewayServer, type GatewayServer } from '../src/createGatewayServer';
import { operationLimitsPlugin } from '../src/edge/operationLimits';
import { DEPENDENCY_UNAVAILABLE_MESSAGE } from '../src/failedFetch';
import { compare, leaks, normError, productionView, type Mismatch, type WireError, type WireResponse } from './differential/compare';
import { generateOperations } from './differential/generate';
import {
  BAD_VARIABLE_OPERATIONS,
  FAILURE_OPERATIONS,
  INTROSPECTION,
  RESET_OPERATIONS,
  OPERATIONS,
  OVER_COST_LIMIT,
  UNKNOWN_OPERATION_NAME,
  type DiffOperation,
} from './differential/operations';
import { SUBGRAPH_DEFINITIONS, deadUrl, startBroken, startTestSubgraph, type Broken, type SubgraphName, type TestSubgraph } from './differential/subgraphs';

const NAMES = Object.keys(SUBGRAPH_DEFINITIONS) as SubgraphName[];
const SECRET = randomBytes(32).toString('hex');
const GENERATED = 60;

function compose(urls: Record<SubgraphName, string>): string {
  const result = composeServices(NAMES.map((name) => ({ name, url: urls[name], typeDefs: parse(SUBGRAPH_DEFINITIONS[name].typeDefs) })));
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.supergraphSdl;
}

interface Endpoint {
  url: string;
  stop(): Promise<void>;
}

async function startVanilla(supergraphSdl: string, onSchema?: (s: GraphQLSchema) => void): Promise<Endpoint> {
  const gateway = new ApolloGateway({ supergraphSdl, logger: createLogger({ service: 'vanilla', level: 'silent' }) });
  if (onSchema) gateway.onSchemaLoadOrUpdate(({ apiSchema }) => onSchema(apiSchema));
  const server = new ApolloServer({ gateway, stopOnTerminationSignals: false });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

async function startOurs(supergraphSdl: string, urls: Record<string, string>, nodeEnv: 'test' | 'production', issuer: DevIssuer): Promise<Endpoint> {
  const server: GatewayServer = createGatewayServer({
    supergraphSdl,
    subgraphUrls: urls,
    verifyToken: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, publicKey: issuer.publicKey }),
    internalTokenSecret: SECRET,
    log: createLogger({ service: 'gateway', level: 'silent' }),
    nodeEnv,
    plugins: [operationLimitsPlugin()],
  });
  const { url } = await server.listen(0);
  return { url, stop: () => server.stop() };
}

async function send(url: string, op: DiffOperation, token?: string): Promise<WireResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: op.query, variables: op.variables, operationName: op.operationName }),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as WireResponse['body'] };
  } catch {
    return { status: res.status, body: { errors: [{ message: `non-JSON body: ${text.slice(0, 200)}` }] } };
  }
}

/** The mismatches as JSON (also appended to the file named by DIFF_REPORT, for a readable look at many). */
function report(mismatches: Mismatch[]): string {
  const json = JSON.stringify(mismatches, null, 1);
  if (process.env.DIFF_REPORT && mismatches.length) appendFileSync(process.env.DIFF_REPORT, `${json}\n`);
  return json;
}

describe('differential: our gateway vs vanilla @apollo/gateway over the same subgraphs', () => {
  const subgraphs = {} as Record<SubgraphName, TestSubgraph>;
  const stops: (() => Promise<void>)[] = [];
  let urls: Record<SubgraphName, string>;
  let issuer: DevIssuer;
  let token: string;
  let apiSchema: GraphQLSchema | undefined;
  let vanilla: Endpoint;
  let oursTest: Endpoint;
  let oursProd: Endpoint;

  beforeAll(async () => {
    for (const name of NAMES) {
      subgraphs[name] = await startTestSubgraph(name, SECRET);
      stops.push(subgraphs[name].stop);
    }
    urls = Object.fromEntries(NAMES.map((n) => [n, subgraphs[n].url])) as Record<SubgraphName, string>;
    const supergraph = compose(urls);
    issuer = await createDevIssuer('pc-dev-issuer', 'patient-cabinet');
    token = await issuer.mint({ sub: 'person-1', roles: ['PATIENT'], scopes: ['profile:read'], clientId: 'cabinet-1' });
    vanilla = await startVanilla(supergraph, (s) => (apiSchema = s));
    stops.push(vanilla.stop);
    oursTest = await startOurs(supergraph, urls, 'test', issuer);
    stops.push(oursTest.stop);
    oursProd = await startOurs(supergraph, urls, 'production', issuer);
    stops.push(oursProd.stop);
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  });

  /** What vanilla answered to a batch: the comparison is worth something only if it saw data and errors. */
  interface Seen {
    withData: number;
    withErrors: number;
    dataAndErrors: number;
    status400: number;
  }

  /** Runs `ops` against vanilla and the three configurations of ours; returns every mismatch. */
  async function differential(ops: DiffOperation[]): Promise<{ mismatches: Mismatch[]; seen: Seen }> {
    const out: Mismatch[] = [];
    const seen: Seen = { withData: 0, withErrors: 0, dataAndErrors: 0, status400: 0 };
    for (const op of ops) {
      const v = await send(vanilla.url, op);
      const hasData = v.body.data !== undefined && v.body.data !== null;
      const hasErrors = (v.body.errors?.length ?? 0) > 0;
      seen.withData += Number(hasData);
      seen.withErrors += Number(hasErrors);
      seen.dataAndErrors += Number(hasData && hasErrors);
      seen.status400 += Number(v.status === 400);
      // Mutations one after the other (each run must see the state the previous left); queries at once.
      const [t, tt, p] = isMutation(op)
        ? [await send(oursTest.url, op), await send(oursTest.url, op, token), await send(oursProd.url, op)]
        : await Promise.all([send(oursTest.url, op), send(oursTest.url, op, token), send(oursProd.url, op)]);
      out.push(...compare(op.name, 'test', v, t, (e) => e));
      out.push(...compare(op.name, 'test+token', v, tt, (e) => e));
      out.push(...compare(op.name, 'production', v, p, productionView));
      out.push(...leaks(op.name, 'test', t, false), ...leaks(op.name, 'production', p, true));
    }
    return { mismatches: out, seen };
  }

  it(`gives identical responses to ${OPERATIONS.length} hand-written operations (test mode, with and without a token; production with masking)`, async () => {
    const before = Object.fromEntries(NAMES.map((n) => [n, subgraphs[n].tokens.length]));
    const { mismatches, seen } = await differential(OPERATIONS);
    expect(report(mismatches)).toBe('[]');
    expect(seen).toEqual({ withData: 43, withErrors: 20, dataAndErrors: 12, status400: 3 });
    // The plans with two fetches to accounts in one parallel stage went as batched calls of two (three runs of ours each).
    expect(subgraphs.accounts.batches.filter((n) => n === 2).length).toBeGreaterThanOrEqual(6);
    // Every fetch of ours carried a caller token the subgraph verified (vanilla's carried none).
    const tokens = NAMES.flatMap((n) => subgraphs[n].tokens.slice(before[n]));
    expect(tokens.filter((s) => s === 'invalid')).toEqual([]);
    expect(tokens.filter((s) => s === 'valid').length).toBeGreaterThan(OPERATIONS.length);
    // Three runs of ours per vanilla run, each fetch of ours with a token, none of vanilla's: the same fetches.
    expect(tokens.filter((s) => s === 'valid').length).toBe(3 * tokens.filter((s) => s === 'none').length);
  });

  it(`gives identical responses to ${GENERATED} operations generated from the API schema`, async () => {
    expect(apiSchema).toBeDefined();
    const ops = generateOperations(apiSchema!, GENERATED, 20261130);
    expect(ops).toHaveLength(GENERATED);
    const { mismatches, seen } = await differential(ops);
    expect(report(mismatches)).toBe('[]');
    // All valid, about half with errors (coded, uncoded, non-null propagation).
    expect(seen.status400).toBe(0);
    expect(seen.withData).toBeGreaterThanOrEqual(45);
    expect(seen.withErrors).toBeGreaterThanOrEqual(20);
  });

  it('gives the same answers to all hand-written queries sent at once (keep-alive sockets, token cache, fetch results not mixed up)', async () => {
    const queries = OPERATIONS.filter((op) => !isMutation(op));
    const expected: WireResponse[] = [];
    for (const op of queries) expected.push(await send(vanilla.url, op));
    const [anonymous, withToken] = await Promise.all([
      Promise.all(queries.map((op) => send(oursTest.url, op))),
      Promise.all(queries.map((op) => send(oursTest.url, op, token))),
    ]);
    const mismatches = queries.flatMap((op, i) => [
      ...compare(op.name, 'concurrent', expected[i], anonymous[i], (e) => e),
      ...compare(op.name, 'concurrent+token', expected[i], withToken[i], (e) => e),
    ]);
    expect(report(mismatches)).toBe('[]');
  });

  describe('variables that do not coerce', () => {
    it(`${BAD_VARIABLE_OPERATIONS.length} operations: both 400 BAD_USER_INPUT, ours with vanilla's first message, nothing planned`, async () => {
      for (const op of BAD_VARIABLE_OPERATIONS) {
        const v = await send(vanilla.url, op);
        for (const ours of [oursTest, oursProd]) {
          const o = await send(ours.url, op);
          expect({ op: op.name, status: o.status, data: o.body.data }).toEqual({ op: op.name, status: v.status, data: v.body.data });
          expect(v.status).toBe(400);
          const strip = (e: WireError) => ({ message: e.message, code: e.extensions?.code });
          expect(o.body.errors?.map(strip)).toHaveLength(1);
          expect(v.body.errors?.map(strip)).toContainEqual(o.body.errors?.map(strip)[0]);
        }
      }
    });
    /**
     * UNINTENDED difference found by this test: operationInputPlugin
     * (gateway/src/pipeline/operationInput.ts) answers with graphql-js's first variable error
     * (its locations included since), where vanilla (@apollo/gateway's validateIncomingRequest)
     * returns every bad variable. `it.failing` until fixed (docs/edge.md).
     */
    it.failing('ours answers exactly like vanilla, locations and every error included (fails today)', async () => {
      const mismatches: Mismatch[] = [];
      for (const op of BAD_VARIABLE_OPERATIONS) {
        const v = await send(vanilla.url, op);
        mismatches.push(...compare(op.name, 'test', v, await send(oursTest.url, op), (e) => e));
      }
      expect(mismatches).toEqual([]);
    });
  });

  it('differs on purpose: unknown operation name, cost limit, introspection and masking in production (intended differences 2-5)', async () => {
    // 3. An unknown operationName: vanilla lets @apollo/gateway fail (500 INVALID_GRAPHQL); ours is the client's 400 BAD_USER_INPUT.
    const v = await send(vanilla.url, UNKNOWN_OPERATION_NAME);
    expect({ status: v.status, errors: v.body.errors?.map((e) => normError(e)) }).toEqual({
      status: 500,
      errors: [{ message: 'Unknown operation named "Nope".', path: null, code: 'INVALID_GRAPHQL', locations: null, extensions: {} }],
    });
    for (const ours of [oursTest, oursProd]) {
      const o = await send(ours.url, UNKNOWN_OPERATION_NAME);
      expect({ status: o.status, data: o.body.data, errors: o.body.errors?.map((e) => normError(e)) }).toEqual({
        status: 400,
        data: undefined,
        errors: [{ message: 'Unknown operation named "Nope".', path: null, code: 'BAD_USER_INPUT', locations: null, extensions: {} }],
      });
    }
    // 4. Operation limits (operationLimitsPlugin, docs/edge.md): vanilla runs what ours refuses before planning.
    const vc = await send(vanilla.url, OVER_COST_LIMIT);
    expect(vc.status).toBe(200);
    expect(vc.body.errors).toBeUndefined();
    for (const ours of [oursTest, oursProd]) {
      const o = await send(ours.url, OVER_COST_LIMIT);
      expect({ status: o.status, codes: o.body.errors?.map((e) => e.extensions?.code), data: o.body.data }).toEqual({
        status: 400,
        codes: ['COST_LIMIT_EXCEEDED'],
        data: undefined,
      });
    }
    // 5. Introspection: the same as vanilla in test mode, off in production.
    const vi = await send(vanilla.url, INTROSPECTION);
    const ti = await send(oursTest.url, INTROSPECTION);
    expect(compare(INTROSPECTION.name, 'test', vi, ti, (e) => e)).toEqual([]);
    expect(vi.body.data).toEqual({ __type: { kind: 'INTERFACE', possibleTypes: [{ name: 'BusinessAccount' }, { name: 'PersonalAccount' }] } });
    const pi = await send(oursProd.url, INTROSPECTION);
    expect({ status: pi.status, codes: pi.body.errors?.map((e) => e.extensions?.code) }).toEqual({ status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] });
    // Production masking, the parts the healthy runs compare through productionView: hints and addresses.
    const misspelt = OPERATIONS.find((o) => o.query === '{ me { usernam } }')!;
    const [vm, pm] = [await send(vanilla.url, misspelt), await send(oursProd.url, misspelt)];
    expect(vm.body.errors?.[0].message).toBe('Cannot query field "usernam" on type "User". Did you mean "username"?');
    expect(pm.body.errors?.[0].message).toBe('Cannot query field "usernam" on type "User".');
    const secret = OPERATIONS.find((o) => o.query === '{ me { id secret } }')!;
    const [vs, ps] = [await send(vanilla.url, secret), await send(oursProd.url, secret)];
    expect(vs.body.errors?.[0].message).toBe('The secret is not yours (see https://policy.example.test/secrets or 10.1.2.3:8443).');
    expect(ps.body.errors?.[0]).toEqual({
      message: 'The secret is not yours (see [internal address] or [internal address]).',
      path: ['me', 'secret'],
      extensions: { code: 'FORBIDDEN', reason: 'policy' },
    });
  });

  /** Vanilla and ours (test and production) over `urls` with some subgraphs replaced by broken endpoints. */
  async function degradedPair(
    broken: Partial<Record<SubgraphName, Broken | 'refused' | string>>,
  ): Promise<{ vanilla: Endpoint; ours: [mode: 'test' | 'production', Endpoint][] }> {
    const degraded = { ...urls };
    for (const [name, how] of Object.entries(broken) as [SubgraphName, Broken | 'refused' | string][]) {
      if (how === 'refused') degraded[name] = await deadUrl();
      else if (typeof how === 'string') degraded[name] = how;
      else {
        const endpoint = await startBroken(how);
        stops.push(endpoint.stop);
        degraded[name] = endpoint.url;
      }
    }
    const supergraph = compose(degraded);
    const v = await startVanilla(supergraph);
    const t = await startOurs(supergraph, degraded, 'test', issuer);
    const p = await startOurs(supergraph, degraded, 'production', issuer);
    stops.push(v.stop, t.stop, p.stop);
    return {
      vanilla: v,
      ours: [
        ['test', t],
        ['production', p],
      ],
    };
  }

  /**
   * Intended difference 1, asserted: the same data; where vanilla has one path-less error per
   * failed fetch (with the subgraph's address, status or body), ours has DEPENDENCY_UNAVAILABLE
   * at the path of every field the fetch would have filled, and nothing else differs.
   */
  async function expectFailedFetchDifference(
    pair: Awaited<ReturnType<typeof degradedPair>>,
    op: DiffOperation,
    expectedPaths: (string | number)[][],
    failure = { code: 'DEPENDENCY_UNAVAILABLE', message: DEPENDENCY_UNAVAILABLE_MESSAGE },
  ): Promise<void> {
    const v = await send(pair.vanilla.url, op);
    for (const [mode, ours] of pair.ours) {
      const o = await send(ours.url, op);
      expect(o.status).toBe(v.status);
      expect(JSON.stringify(o.body.data)).toBe(JSON.stringify(v.body.data));
      const fetchErrorsVanilla = (v.body.errors ?? []).filter(isVanillaFetchError);
      const otherVanilla = (v.body.errors ?? []).filter((e) => !isVanillaFetchError(e));
      const fetchErrorsOurs = (o.body.errors ?? []).filter((e) => e.extensions?.code === failure.code && e.message === failure.message);
      const otherOurs = (o.body.errors ?? []).filter((e) => !fetchErrorsOurs.includes(e));
      // Vanilla: one error per failed fetch, no path, the subgraph's address or status in the message.
      expect(fetchErrorsVanilla.length).toBeGreaterThan(0);
      for (const e of fetchErrorsVanilla) expect(e.path).toBeUndefined();
      // Ours: every failed field named by its path in the client's response, one message, no internals.
      expect(fetchErrorsOurs.length).toBeGreaterThanOrEqual(fetchErrorsVanilla.length);
      for (const e of fetchErrorsOurs) {
        expect(Array.isArray(e.path) && e.path.length > 0).toBe(true);
        expect(e.path!.includes('_entities')).toBe(false);
        expect(valueAt(o.body.data, e.path!)).toBeNull();
        // Test mode adds the subgraph's name and a stack trace (as for any subgraph error); production only the code.
        if (mode === 'production') expect(Object.keys(e.extensions ?? {})).toEqual(['code']);
        else expect(Object.keys(e.extensions ?? {}).filter((k) => !['code', 'serviceName', 'stacktrace'].includes(k))).toEqual([]);
      }
      expect(JSON.stringify(fetchErrorsOurs.map((e) => e.path))).toBe(JSON.stringify(expectedPaths));
      // Errors that are not about the failed fetches are the same as vanilla's (as in the healthy runs).
      const expectOther = otherVanilla.map((e) => (mode === 'production' ? productionView(normError(e)) : normError(e)));
      expect(otherOurs.map((e) => normError(e))).toEqual(expectOther);
      expect(leaks(op.name, mode, o, mode === 'production')).toEqual([]);
    }
  }

  describe('inventory refuses connections, reviews is behind a 502 HTML page — intended difference 1', () => {
    let pair: Awaited<ReturnType<typeof degradedPair>>;
    beforeAll(async () => {
      pair = await degradedPair({ inventory: 'refused', reviews: { kind: 'html502' } });
    });
    it.each(FAILURE_OPERATIONS.map((op) => [op.name, op] as const))(
      '%s: same data; ours DEPENDENCY_UNAVAILABLE with paths, vanilla path-less',
      async (_name, op) => {
        await expectFailedFetchDifference(pair, op, EXPECTED_DOWN_PATHS[op.name]);
      },
    );
  });

  describe('accounts resets connections, products answers 200 with an HTML page — intended difference 1', () => {
    let pair: Awaited<ReturnType<typeof degradedPair>>;
    beforeAll(async () => {
      pair = await degradedPair({ accounts: { kind: 'reset' }, products: { kind: 'html200' } });
    });
    it.each(RESET_OPERATIONS.map((op) => [op.name, op] as const))('%s', async (_name, op) => {
      await expectFailedFetchDifference(pair, op, EXPECTED_RESET_PATHS[op.name]);
    });
  });

  describe('reviews deployed out of step with the supergraph (no Product.averageRating): subgraph answers 400 — intended difference 1', () => {
    let pair: Awaited<ReturnType<typeof degradedPair>>;
    beforeAll(async () => {
      const old = await startTestSubgraph('reviews', SECRET, { withoutField: ['Product', 'averageRating'] });
      stops.push(old.stop);
      pair = await degradedPair({ reviews: old.url });
    });
    it('ours: INTERNAL_SERVER_ERROR "Internal server error" at each field of the refused fetch; vanilla: one path-less "400: Bad Request"', async () => {
      const op: DiffOperation = {
        name: 'skewed entity fetch',
        covers: ['down'],
        query: '{ topProducts(first: 2) { upc name averageRating } review(id: "r1") { id body } }',
      };
      await expectFailedFetchDifference(
        pair,
        op,
        [0, 1].map((i) => ['topProducts', i, 'averageRating']),
        { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' },
      );
      // The fetches the old subgraph can still serve are served.
      const o = await send(pair.ours[0][1].url, op);
      expect(o.body.data).toEqual({
        topProducts: [
          { upc: 'p1', name: 'Table', averageRating: null },
          { upc: 'p2', name: 'Couch', averageRating: null },
        ],
        review: { id: 'r1', body: 'Love it!' },
      });
    });
  });

  /**
   * Intended difference 6 (found by this test, then decided): a subgraph URL that answers with a
   * redirect is followed by vanilla's fetch, not by our node:http fetcher
   * (gateway/src/subgraphFetcher.ts). Subgraph URLs are configuration, and every call carries a
   * caller token: following a `Location` would send that token wherever a subgraph (or whatever
   * answers at its address) points. Ours answers INTERNAL_SERVER_ERROR at the fields of that
   * fetch and logs the redirect; fix the URL instead (docs/edge.md).
   */
  describe('products behind a 308 redirect to its real URL', () => {
    let pair: Awaited<ReturnType<typeof degradedPair>>;
    beforeAll(async () => {
      pair = await degradedPair({ products: { kind: 'redirect', to: subgraphs.products.url } });
    });
    const op = OPERATIONS.find((o) => o.name.startsWith('compound key with nested field'))!;
    it('vanilla follows the redirect and answers as over the direct URL', async () => {
      const v = await send(pair.vanilla.url, op);
      const direct = await send(vanilla.url, op);
      expect(compare(op.name, 'vanilla direct', direct, v, (e) => e)).toEqual([]);
    });
    it('ours does not follow it: the fields of that fetch are INTERNAL_SERVER_ERROR, with paths', async () => {
      for (const [, ours] of pair.ours) {
        const o = await send(ours.url, op);
        expect(o.body.errors?.length).toBeGreaterThan(0);
        for (const e of o.body.errors ?? []) {
          expect(e.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
          expect(e.path?.length).toBeGreaterThan(0);
        }
      }
    });
  });
});

const isMutation = (op: DiffOperation) => /^\s*mutation\b/.test(op.query);

/** Vanilla's error for a fetch that failed below GraphQL: connection refused, or an HTTP error status. */
function isVanillaFetchError(e: { message: string; path?: unknown }): boolean {
  return e.path === undefined && /ECONNREFUSED|^502: Bad Gateway|^400: Bad Request|request to .* failed|Expected JSON response body/.test(e.message);
}

/** The value at `path` in `data`, or null where the path runs through a null (a nulled ancestor). */
function valueAt(data: unknown, path: (string | number)[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || v === undefined) return null;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v ?? null;
}

/** Paths of the DEPENDENCY_UNAVAILABLE errors ours gives, per operation of the accounts-reset / products-HTML scenario. */
const EXPECTED_RESET_PATHS: Record<string, (string | number)[][]> = {
  'root fetches: connection reset and a 200 HTML page': [['me'], ['topProducts']],
  'two entity fetches to a subgraph that resets connections, in one parallel stage (one batched call)': [
    ['latestReview', 'author', 'nickname'],
    ['review', 'author', 'email'],
  ],
  'entity fetch to a subgraph that resets connections': [0, 1, 2, 3, 4].flatMap((i) => [
    ['reviews', i, 'author', 'email'],
    ['reviews', i, 'author', 'nickname'],
  ]),
  'entity fetch to a subgraph answering a 200 HTML page': [0, 1, 2, 3, 4].flatMap((i) => [
    ['reviews', i, 'product', 'price'],
    ['reviews', i, 'product', 'name'],
  ]),
  'root list of a value interface from a subgraph answering HTML': [['media']],
};

/** Paths of the DEPENDENCY_UNAVAILABLE errors ours gives, per failure operation. */
const EXPECTED_DOWN_PATHS: Record<string, (string | number)[][]> = {
  'root fetch to a down subgraph': [['reviews'], ['latestReview']],
  'two entity fetches to the subgraph behind a 502 page, in one parallel stage (one batched call)': [
    ['topProducts', 0, 'reviews'],
    ['topProducts', 1, 'reviews'],
    ['product', 'averageRating'],
  ],
  'entity fetch to a down subgraph (list)': [0, 1, 2, 3].flatMap((i) => [
    ['topProducts', i, 'inStock'],
    ['topProducts', i, 'shippingEstimate'],
  ]),
  'entity fetch to a down subgraph (nested lists)': [
    ['productGrid', 0, 0, 'inStock'],
    ['productGrid', 0, 1, 'inStock'],
    ['productGrid', 2, 0, 'inStock'],
    ['productGrid', 2, 1, 'inStock'],
    ['productGrid', 2, 2, 'inStock'],
  ],
  // Aliases: the response names, one fetch per failed subgraph (inventory refused, reviews 502).
  'entity fetch with aliases': [
    ['product', 'stock'],
    ['product', 'rating'],
  ],
  'interfaceObject field on down subgraph': [0, 1, 2].map((i) => ['accounts', i, 'reviewScore']),
  'non-null entity field on down subgraph': [0, 1, 2].map((i) => ['users', i, 'reviewCount']),
};
