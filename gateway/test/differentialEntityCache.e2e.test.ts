/**
 * Differential test of the entity cache (gateway/src/entityCache/): vanilla
 * `ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) })` and our gateway with the
 * cache on, over the same supergraph and the same test subgraphs (gateway/test/differential/),
 * on real HTTP. The supergraph is composed with `@cacheControl` hints on what the products and
 * inventory subgraphs serve (their data never changes; the mutations of the operation set change
 * accounts' and reviews' data, which carry no hints), so entity fetches to those two are answered
 * from the cache after the first run: every operation is sent to ours twice (cold, then warm)
 * and both answers must equal vanilla's — data byte for byte, errors as in the main differential
 * test — with fewer subgraph fetches on the warm run. Errors and nulls the subgraphs produce
 * (Product.label for p3, warehouse for COUCH, unknown keys) pass through the cache's partial
 * fetches and renumbering.
 */
import { randomBytes } from 'node:crypto';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse, print, visit, type GraphQLSchema, type ObjectTypeDefinitionNode } from 'graphql';
import { createLogger } from '@pc/logging';
import { createDevIssuer } from '../src/auth/devIssuer';
import { createTokenVerifier } from '../src/auth/verifyUserToken';
import { createGatewayServer, type GatewayServer } from '../src/createGatewayServer';
import { compare, type Mismatch, type WireResponse } from './differential/compare';
import { generateOperations } from './differential/generate';
import { OPERATIONS, type DiffOperation } from './differential/operations';
import { SUBGRAPH_DEFINITIONS, startTestSubgraph, type SubgraphName, type TestSubgraph } from './differential/subgraphs';

const NAMES = Object.keys(SUBGRAPH_DEFINITIONS) as SubgraphName[];
const SECRET = randomBytes(32).toString('hex');
/** The subgraphs whose types get hints in the supergraph, and those types. */
const HINTED: Partial<Record<SubgraphName, string[]>> = {
  products: ['Product', 'Variation', 'Dimensions', 'Book', 'Movie'],
  inventory: ['Product', 'Variation', 'Dimensions'],
};

/** A subgraph's SDL with the cacheControl directive declared and `types` hinted for 60 s (composition only: the running subgraphs serve the plain SDL). */
function withHints(typeDefs: string, types: string[]): string {
  let sdl = typeDefs.replace(
    '"@interfaceObject"])',
    '"@interfaceObject", "@composeDirective"]) @link(url: "https://myspecs.dev/cacheControl/v1.0", import: ["@cacheControl"]) @composeDirective(name: "@cacheControl")',
  );
  const hint = parse('type T @cacheControl(maxAge: 60)').definitions[0] as ObjectTypeDefinitionNode;
  sdl = print(
    visit(parse(sdl), {
      ObjectTypeDefinition: (node) =>
        types.includes(node.name.value) ? { ...node, directives: [...(node.directives ?? []), ...hint.directives!] } : undefined,
    }),
  );
  return `${sdl}
    enum CacheControlScope { PUBLIC PRIVATE }
    directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION`;
}

function compose(urls: Record<SubgraphName, string>): string {
  const result = composeServices(
    NAMES.map((name) => {
      const plain = SUBGRAPH_DEFINITIONS[name].typeDefs;
      return { name, url: urls[name], typeDefs: parse(HINTED[name] ? withHints(plain, HINTED[name]) : plain) };
    }),
  );
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.supergraphSdl;
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

const isMutation = (op: DiffOperation) => /^\s*mutation\b/.test(op.query);

describe('differential: our gateway with the entity cache vs vanilla @apollo/gateway', () => {
  const subgraphs = {} as Record<SubgraphName, TestSubgraph>;
  const stops: (() => Promise<void>)[] = [];
  let vanillaUrl: string;
  let ours: GatewayServer;
  let oursUrl: string;
  let token: string;
  let apiSchema: GraphQLSchema | undefined;

  beforeAll(async () => {
    for (const name of NAMES) {
      subgraphs[name] = await startTestSubgraph(name, SECRET);
      stops.push(subgraphs[name].stop);
    }
    const urls = Object.fromEntries(NAMES.map((n) => [n, subgraphs[n].url])) as Record<SubgraphName, string>;
    const supergraphSdl = compose(urls);
    const gateway = new ApolloGateway({ supergraphSdl, logger: createLogger({ service: 'vanilla', level: 'silent' }) });
    gateway.onSchemaLoadOrUpdate(({ apiSchema: s }) => (apiSchema = s));
    const vanilla = new ApolloServer({ gateway, stopOnTerminationSignals: false });
    vanillaUrl = (await startStandaloneServer(vanilla, { listen: { port: 0, host: '127.0.0.1' } })).url;
    stops.push(() => vanilla.stop());
    const issuer = await createDevIssuer('pc-dev-issuer', 'patient-cabinet');
    token = await issuer.mint({ sub: 'person-1', roles: ['PATIENT'], scopes: ['profile:read'], clientId: 'cabinet-1' });
    ours = createGatewayServer({
      supergraphSdl,
      subgraphUrls: urls,
      verifyToken: createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, publicKey: issuer.publicKey }),
      internalTokenSecret: SECRET,
      log: createLogger({ service: 'gateway', level: 'silent' }),
      nodeEnv: 'test',
      // No database: on from the start, entries live their maxAge (the test subgraphs' data does not change).
      entityCache: { maxEntries: 10_000 },
    });
    oursUrl = (await ours.listen(0)).url;
    stops.push(() => ours.stop());
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  });

  /** Requests the products and inventory subgraphs received from ours so far (vanilla sends no caller token). */
  const cachedSubgraphFetches = () => (['products', 'inventory'] as const).reduce((n, s) => n + subgraphs[s].tokens.filter((t) => t === 'valid').length, 0);

  /** Each operation to vanilla once and to ours cold then warm (with a token on the warm run: the cache is shared by callers); mismatches and fetch counts. */
  async function run(ops: DiffOperation[]): Promise<{ mismatches: Mismatch[]; cold: number; warm: number; withData: number }> {
    const mismatches: Mismatch[] = [];
    let cold = 0;
    let warm = 0;
    let withData = 0;
    for (const op of ops) {
      const v = await send(vanillaUrl, op);
      withData += Number(v.body.data !== undefined && v.body.data !== null);
      let before = cachedSubgraphFetches();
      const first = await send(oursUrl, op);
      cold += cachedSubgraphFetches() - before;
      before = cachedSubgraphFetches();
      const second = await send(oursUrl, op, token);
      warm += cachedSubgraphFetches() - before;
      mismatches.push(...compare(op.name, 'cold', v, first, (e) => e), ...compare(op.name, 'warm', v, second, (e) => e));
    }
    return { mismatches, cold, warm, withData };
  }

  it(`gives vanilla's responses to ${OPERATIONS.length} hand-written operations, cold and warm, and the warm runs fetch less`, async () => {
    const { mismatches, cold, warm, withData } = await run(OPERATIONS);
    expect(JSON.stringify(mismatches, null, 1)).toBe('[]');
    expect(withData).toBeGreaterThan(30);
    expect(cold).toBeGreaterThan(0);
    // Root fetches (topProducts, media…) are never cached; the entity fetches to products and inventory are, on the warm run.
    expect(warm).toBeLessThan(cold);
    const lookups = await ours.metrics.registry.getSingleMetric('gateway_entity_cache_lookups_total')!.get();
    const hits = lookups.values.filter((v) => v.labels.result === 'hit');
    expect(new Set(hits.map((v) => v.labels.subgraph))).toEqual(new Set(['products', 'inventory']));
  });

  it('gives vanilla its responses to 60 operations generated from the API schema, cold and warm', async () => {
    expect(apiSchema).toBeDefined();
    const ops = generateOperations(apiSchema!, 60, 20261201);
    const { mismatches } = await run(ops);
    expect(JSON.stringify(mismatches, null, 1)).toBe('[]');
  });

  it('gives the same answers to all hand-written queries sent at once on a warm cache', async () => {
    const queries = OPERATIONS.filter((op) => !isMutation(op));
    const expected: WireResponse[] = [];
    for (const op of queries) expected.push(await send(vanillaUrl, op));
    const got = await Promise.all(queries.map((op, i) => send(oursUrl, op, i % 2 ? token : undefined)));
    const mismatches = queries.flatMap((op, i) => compare(op.name, 'concurrent', expected[i], got[i], (e) => e));
    expect(JSON.stringify(mismatches, null, 1)).toBe('[]');
  });
});
