/**
 * The entity cache's cacheability analysis (gateway/src/entityCache/cacheHints.ts): which
 * `_entities` fetches the query planner makes may be answered from the cache, and for how long,
 * read from the `@cacheControl` hints the supergraph carries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import { parse } from 'graphql';
import { entityFetchPolicy, readCacheHints } from '../src/entityCache/cacheHints';

const SUPERGRAPH = readFileSync(join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8');

/** The fetches the gateway's planner makes for `query` over `supergraphSdl`. */
function fetchesOf(supergraphSdl: string, query: string): FetchNode[] {
  // Planning only: the SECURITY features (@requiresScopes, @authenticated) are enforced by the gateway's authorization plugin.
  const supergraph = Supergraph.build(supergraphSdl, { supportedFeatures: null });
  const plan = new QueryPlanner(supergraph).buildQueryPlan(operationFromDocument(supergraph.apiSchema(), parse(query)));
  const out: FetchNode[] = [];
  const walk = (node: PlanNode | undefined): void => {
    if (!node) return;
    if (node.kind === 'Fetch') out.push(node);
    else if (node.kind === 'Flatten') walk(node.node);
    else if (node.kind === 'Sequence' || node.kind === 'Parallel') node.nodes.forEach(walk);
    else throw new Error(`unexpected plan node ${node.kind}`);
  };
  walk(plan.node as PlanNode | undefined);
  return out;
}

/** Policy of every fetch: `subgraph` or `subgraph:maxAge` for the entity fetches that may be cached. */
function policies(supergraphSdl: string, query: string): string[] {
  const hints = readCacheHints(supergraphSdl);
  return fetchesOf(supergraphSdl, query).map((f) => {
    const p = entityFetchPolicy(hints, f.serviceName, parse(f.operation));
    return p ? `${f.serviceName}:${p.maxAge}` : f.serviceName;
  });
}

describe('cache hints of the committed supergraph', () => {
  const hints = readCacheHints(SUPERGRAPH);

  it('trust the hints for the directory alone: the only subgraph that declares them', () => {
    expect(hints.directive).toBe('cacheControl');
    expect([...hints.participants]).toEqual(['directory']);
  });

  it('CabinetHome: both directory entity fetches (the doctor, the division) are cacheable for 300 s, nothing else', () => {
    const query = readFileSync(join(__dirname, '..', '..', 'schema', 'operations', 'state', 'CabinetHome.graphql'), 'utf8');
    expect(policies(SUPERGRAPH, query).sort()).toEqual(['access', 'declarations', 'directory:300', 'directory:300', 'identity']);
  });

  it('a field the declarations subgraph adds to the hinted Doctor (acceptingNewPatients) is never cached; the directory fetch it requires is', () => {
    const fetches = policies(SUPERGRAPH, '{ me { activeDeclaration { doctor { fullName acceptingNewPatients divisions { name address { settlement } } } } } }');
    expect(fetches.filter((f) => f.startsWith('declarations'))).toEqual(['declarations', 'declarations']);
    expect(fetches.filter((f) => f.startsWith('directory'))).toEqual(['directory:300']);
  });

  it('root fetches to the directory (doctor(id), searchDoctors) are not cached: only entity fetches are', () => {
    expect(policies(SUPERGRAPH, '{ doctor(id: "x") { id fullName } searchDoctors { totalCount } }')).toEqual(['directory']);
  });
});

describe('cache hint rules (a small supergraph)', () => {
  const FED = (imports: string) =>
    `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@composeDirective"${imports}])`;
  const HINTS = `
    @link(url: "https://myspecs.dev/cacheControl/v1.0", import: ["@cacheControl"]) @composeDirective(name: "@cacheControl")
    enum CacheControlScope { PUBLIC PRIVATE }
    directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION`;
  const shop = (body: string, head = `${FED('')}${HINTS}`) => `${head}\n${body}`;
  const OTHER = `${FED('')}
    type Query { top: [Product!]! }
    type Product @key(fields: "upc") { upc: ID! stock: Int }`;
  function supergraph(shopSdl: string): string {
    const r = composeServices([
      { name: 'shop', url: 'http://shop.invalid', typeDefs: parse(shopSdl) },
      { name: 'other', url: 'http://other.invalid', typeDefs: parse(OTHER) },
    ]);
    if (r.errors) throw new Error(r.errors.map((e) => e.message).join('\n'));
    return r.supergraphSdl;
  }
  const BASE = `
    type Query { product(upc: ID!): Product }
    type Product @key(fields: "upc") @cacheControl(maxAge: 60) { upc: ID! name: String price: Int maker: Maker tags: [Tag!]! }
    type Maker @cacheControl(maxAge: 30) { name: String }
    type Tag { label: String }`;
  const Q = '{ top { upc name stock } }';

  it('the smallest maxAge of the entity type, the fields and the types they return', () => {
    expect(policies(supergraph(shop(BASE)), Q)).toEqual(['other', 'shop:60']);
    expect(policies(supergraph(shop(BASE)), '{ top { maker { name } } }')).toEqual(['other', 'shop:30']);
    const fieldHint = BASE.replace('price: Int', 'price: Int @cacheControl(maxAge: 5)');
    expect(policies(supergraph(shop(fieldHint)), '{ top { name price } }')).toEqual(['other', 'shop:5']);
    // A longer hint of a field does not outlast the entity's own (as `_entities` takes the type's hint in Apollo Server).
    const longer = BASE.replace('price: Int', 'price: Int @cacheControl(maxAge: 600)');
    expect(policies(supergraph(shop(longer)), '{ top { price } }')).toEqual(['other', 'shop:60']);
  });

  it('not cached: a type without a hint, a PRIVATE scope, maxAge 0, a hint without maxAge', () => {
    expect(policies(supergraph(shop(BASE)), '{ top { tags { label } } }')).toEqual(['other', 'shop']);
    const priv = BASE.replace('name: String price', 'name: String @cacheControl(maxAge: 60, scope: PRIVATE) price');
    expect(policies(supergraph(shop(priv)), '{ top { name } }')).toEqual(['other', 'shop']);
    expect(policies(supergraph(shop(priv)), '{ top { price } }')).toEqual(['other', 'shop:60']);
    const privType = BASE.replace('@cacheControl(maxAge: 30)', '@cacheControl(maxAge: 30, scope: PRIVATE)');
    expect(policies(supergraph(shop(privType)), '{ top { maker { name } } }')).toEqual(['other', 'shop']);
    const zero = BASE.replace('price: Int', 'price: Int @cacheControl(maxAge: 0)');
    expect(policies(supergraph(shop(zero)), '{ top { price } }')).toEqual(['other', 'shop']);
    const noAge = BASE.replace('@key(fields: "upc") @cacheControl(maxAge: 60)', '@key(fields: "upc") @cacheControl(scope: PUBLIC)');
    expect(policies(supergraph(shop(noAge)), '{ top { name } }')).toEqual(['other', 'shop']);
    // inheritMaxAge: the parent type's maxAge instead of its own.
    const inherit = BASE.replace('price: Int', 'price: Int @cacheControl(inheritMaxAge: true)');
    expect(policies(supergraph(shop(inherit)), '{ top { price } }')).toEqual(['other', 'shop:60']);
  });

  it('a subgraph that does not declare the hints is never cached, whatever the supergraph type carries (fields it adds to a hinted entity)', () => {
    const hints = readCacheHints(supergraph(shop(BASE)));
    expect([...hints.participants]).toEqual(['shop']);
    expect(policies(supergraph(shop(BASE)), '{ product(upc: "1") { name stock } }')).toEqual(['shop', 'other']);
  });

  it('an import under another name is followed; a supergraph without the spec has no hints', () => {
    const head = `${FED('')}
      @link(url: "https://myspecs.dev/cacheControl/v1.0", import: [{ name: "@cacheControl", as: "@cc" }]) @composeDirective(name: "@cc")
      enum CacheControlScope { PUBLIC PRIVATE }
      directive @cc(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION`;
    const renamed = shop(BASE.replace(/@cacheControl\(/g, '@cc('), head);
    expect(readCacheHints(supergraph(renamed)).directive).toBe('cc');
    expect(policies(supergraph(renamed), Q)).toEqual(['other', 'shop:60']);
    const none = readCacheHints(composeServices([{ name: 'other', url: 'http://other.invalid', typeDefs: parse(OTHER) }]).supergraphSdl!);
    expect(none).toEqual({ directive: null, participants: new Set(), types: expect.any(Map) });
  });

  it('anything but one _entities field of a query is not an entity fetch', () => {
    const hints = readCacheHints(supergraph(shop(BASE)));
    const policy = (q: string) => entityFetchPolicy(hints, 'shop', parse(q));
    expect(policy('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } } }')).toEqual({ maxAge: 60 });
    expect(policy('query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { __typename name } } }')).toEqual({ maxAge: 60 });
    expect(policy('query($r: [_Any!]!) { _entities(representations: $r) { ...P } } fragment P on Product { name }')).toEqual({ maxAge: 60 });
    expect(policy('query($r: [_Any!]!) { e: _entities(representations: $r) { ... on Product { name } } }')).toBeNull();
    expect(policy('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } } product(upc: "1") { name } }')).toBeNull();
    expect(policy('mutation($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } } }')).toBeNull();
    expect(policy('{ product(upc: "1") { name } }')).toBeNull();
    expect(policy('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { nope } } }')).toBeNull();
    expect(entityFetchPolicy(hints, 'other', parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } } }'))).toBeNull();
  });
});
