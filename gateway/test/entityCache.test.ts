/**
 * EntityCache (gateway/src/entityCache/EntityCache.ts) between the gateway's planner and a
 * subgraph: which representations it answers, which it sends, how it merges and renumbers, what
 * it stores and for how long. `send` stands for the data source's own path (HTTP and failed-fetch
 * handling, tested elsewhere) and records what would have gone to the subgraph.
 */
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { parse, type GraphQLFormattedError } from 'graphql';
import { EntityCache } from '../src/entityCache/EntityCache';

const SHOP = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@composeDirective"])
    @link(url: "https://myspecs.dev/cacheControl/v1.0", import: ["@cacheControl"]) @composeDirective(name: "@cacheControl")
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query { product(upc: ID!): Product }
  type Product @key(fields: "upc") @cacheControl(maxAge: 60) { upc: ID! name: String label(lang: String): String secret: String @cacheControl(maxAge: 0) }`;
const SUPERGRAPH = composeServices([{ name: 'shop', url: 'http://shop.invalid', typeDefs: parse(SHOP) }]).supergraphSdl!;

const CACHEABLE = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name } } }';
const WITH_ARG = 'query($representations: [_Any!]!, $lang: String) { _entities(representations: $representations) { ... on Product { label(lang: $lang) } } }';
const NOT_CACHEABLE = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name secret } } }';

type Reply = { data?: { _entities: unknown[] } | null; errors?: GraphQLFormattedError[] };

/** A subgraph stand-in: answers `{ upc, name }` per representation unless `reply` says otherwise; records what it was sent. */
function subgraph(reply?: (upcs: string[]) => Reply) {
  const sent: string[][] = [];
  const send = async (options: GraphQLDataSourceProcessOptions) => {
    const upcs = (options.request.variables!.representations as { upc: string }[]).map((r) => r.upc);
    sent.push(upcs);
    return reply ? reply(upcs) : { data: { _entities: upcs.map((upc) => (upc === 'gone' ? null : { name: `name of ${upc}` })) } };
  };
  return { sent, send };
}

function fetchOf(query: string, upcs: string[], variables: Record<string, unknown> = {}): GraphQLDataSourceProcessOptions {
  return { request: { query, variables: { ...variables, representations: upcs.map((upc) => ({ __typename: 'Product', upc })) } }, context: {} } as never;
}

function cacheOn(maxEntries = 100): EntityCache {
  const cache = new EntityCache({ supergraphSdl: SUPERGRAPH, maxEntries });
  cache.enable();
  return cache;
}

describe('EntityCache', () => {
  it('answers a second identical fetch without sending it, with fresh objects each time', async () => {
    const cache = cacheOn();
    const s = subgraph();
    const first = await cache.process('shop', fetchOf(CACHEABLE, ['1', '2']), s.send);
    const second = await cache.process('shop', fetchOf(CACHEABLE, ['1', '2']), s.send);
    expect(second).toEqual(first);
    expect(s.sent).toEqual([['1', '2']]);
    // The gateway merges later fetches into what it receives: a hit must not share objects.
    ((second.data as { _entities: Record<string, unknown>[] })._entities[0] as Record<string, unknown>).price = 1;
    const third = await cache.process('shop', fetchOf(CACHEABLE, ['1', '2']), s.send);
    expect(third).toEqual(first);
    expect(cache.stats.get('shop')).toEqual({ hits: 4, misses: 2 });
  });

  it('sends only the misses and merges them in the representations order', async () => {
    const cache = cacheOn();
    const s = subgraph();
    await cache.process('shop', fetchOf(CACHEABLE, ['1', '3']), s.send);
    const r = await cache.process('shop', fetchOf(CACHEABLE, ['1', '2', '3', '4']), s.send);
    expect(s.sent).toEqual([
      ['1', '3'],
      ['2', '4'],
    ]);
    expect(r.data).toEqual({ _entities: ['1', '2', '3', '4'].map((upc) => ({ name: `name of ${upc}` })) });
  });

  it('does not store nulls or entities with an error under them; renumbers the errors of a partial fetch', async () => {
    const cache = cacheOn();
    await cache.process('shop', fetchOf(CACHEABLE, ['1']), subgraph().send);
    const s = subgraph((upcs) => ({
      data: { _entities: upcs.map((upc) => (upc === 'gone' ? null : { name: upc === 'bad' ? null : upc })) },
      errors: [{ message: 'boom', path: ['_entities', upcs.indexOf('bad'), 'name'] }],
    }));
    const r = await cache.process('shop', fetchOf(CACHEABLE, ['gone', '1', 'bad', '2']), s.send);
    expect(s.sent).toEqual([['gone', 'bad', '2']]);
    expect(r).toEqual({
      data: { _entities: [null, { name: 'name of 1' }, { name: null }, { name: '2' }] },
      errors: [{ message: 'boom', path: ['_entities', 2, 'name'] }],
    });
    const again = subgraph();
    await cache.process('shop', fetchOf(CACHEABLE, ['gone', '1', 'bad', '2']), again.send);
    expect(again.sent).toEqual([['gone', 'bad']]);
  });

  it('stores nothing from an answer with an error that names no entity', async () => {
    const cache = cacheOn();
    const s = subgraph((upcs) => ({ data: { _entities: upcs.map((upc) => ({ name: upc })) }, errors: [{ message: 'somewhere' }] }));
    await cache.process('shop', fetchOf(CACHEABLE, ['1']), s.send);
    await cache.process('shop', fetchOf(CACHEABLE, ['1']), s.send);
    expect(s.sent).toEqual([['1'], ['1']]);
  });

  it('a failed partial fetch: the hits keep their data, the misses are null with their errors renumbered', async () => {
    const cache = cacheOn();
    await cache.process('shop', fetchOf(CACHEABLE, ['1']), subgraph().send);
    const down = subgraph((upcs) => ({
      errors: upcs.map((_, j) => ({ message: 'unavailable', path: ['_entities', j, 'name'], extensions: { code: 'DEPENDENCY_UNAVAILABLE' } })),
    }));
    const r = await cache.process('shop', fetchOf(CACHEABLE, ['2', '1', '3']), down.send);
    expect(r).toEqual({
      data: { _entities: [null, { name: 'name of 1' }, null] },
      errors: [0, 2].map((i) => ({ message: 'unavailable', path: ['_entities', i, 'name'], extensions: { code: 'DEPENDENCY_UNAVAILABLE' } })),
    });
    // A fetch with no hit at all is the subgraph's answer as it came.
    const whole = await cache.process('shop', fetchOf(CACHEABLE, ['2']), down.send);
    expect(whole).toEqual({ errors: [{ message: 'unavailable', path: ['_entities', 0, 'name'], extensions: { code: 'DEPENDENCY_UNAVAILABLE' } }] });
  });

  it('keys entries by the other variables too; sends fetches that are not cacheable every time', async () => {
    const cache = cacheOn();
    const s = subgraph();
    await cache.process('shop', fetchOf(WITH_ARG, ['1'], { lang: 'uk' }), s.send);
    await cache.process('shop', fetchOf(WITH_ARG, ['1'], { lang: 'en' }), s.send);
    await cache.process('shop', fetchOf(WITH_ARG, ['1'], { lang: 'uk' }), s.send);
    await cache.process('shop', fetchOf(NOT_CACHEABLE, ['1']), s.send);
    await cache.process('shop', fetchOf(NOT_CACHEABLE, ['1']), s.send);
    await cache.process('other', fetchOf(CACHEABLE, ['1']), s.send);
    await cache.process('other', fetchOf(CACHEABLE, ['1']), s.send);
    expect(s.sent).toEqual([['1'], ['1'], ['1'], ['1'], ['1'], ['1']]);
  });

  it('off until enabled and after disable (emptied); clear() drops a subgraph; a fetch under way during a clear stores nothing', async () => {
    const cache = new EntityCache({ supergraphSdl: SUPERGRAPH, maxEntries: 100 });
    const s = subgraph();
    await cache.process('shop', fetchOf(CACHEABLE, ['1']), s.send);
    await cache.process('shop', fetchOf(CACHEABLE, ['1']), s.send);
    expect(s.sent).toHaveLength(2);
    cache.enable();
    await cache.process('shop', fetchOf(CACHEABLE, ['1']), s.send);
    expect(cache.size).toBe(1);
    cache.disable();
    expect(cache.size).toBe(0);
    await cache.process('shop', fetchOf(CACHEABLE, ['1']), s.send);
    expect(s.sent).toHaveLength(4);
    cache.enable();
    await cache.process('shop', fetchOf(CACHEABLE, ['1']), s.send);
    cache.clear('other');
    expect(cache.size).toBe(1);
    cache.clear('shop');
    expect(cache.size).toBe(0);
    // A change notification that arrives while a fetch is on its way: what it brings may be older.
    const slow = subgraph();
    const racing = cache.process('shop', fetchOf(CACHEABLE, ['1']), async (o) => {
      cache.clear('shop');
      return slow.send(o);
    });
    await racing;
    expect(cache.size).toBe(0);
  });

  it('keeps entries for the maxAge of the fetch and at most maxEntries of them', async () => {
    const short = composeServices([{ name: 'shop', url: 'http://shop.invalid', typeDefs: parse(SHOP.replace('maxAge: 60', 'maxAge: 1')) }]).supergraphSdl!;
    const cache = new EntityCache({ supergraphSdl: short, maxEntries: 2 });
    cache.enable();
    const s = subgraph();
    await cache.process('shop', fetchOf(CACHEABLE, ['1', '2', '3']), s.send);
    expect(cache.size).toBe(2);
    await cache.process('shop', fetchOf(CACHEABLE, ['2', '3']), s.send);
    expect(s.sent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100));
    await cache.process('shop', fetchOf(CACHEABLE, ['2', '3']), s.send);
    expect(s.sent).toEqual([
      ['1', '2', '3'],
      ['2', '3'],
    ]);
  });
});
