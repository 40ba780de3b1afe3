import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse, print, visit, type DocumentNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import type { SubgraphModule } from '@pc/server';
import { serviceCaller } from './callers';
import { startSubgraph, type RunningSubgraph } from './startSubgraph';
import { startTestDatabase, type TestDatabase } from './testDatabase';

/** Entity types this subgraph can resolve by `@key(fields: "id")` (not `resolvable: false`). */
export function resolvableEntities(sdl: DocumentNode): string[] {
  const out: string[] = [];
  for (const def of sdl.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const node = def as ObjectTypeDefinitionNode | ObjectTypeExtensionNode;
    for (const d of node.directives ?? []) {
      if (d.name.value !== 'key') continue;
      const fields = d.arguments?.find((a) => a.name.value === 'fields');
      const resolvable = d.arguments?.find((a) => a.name.value === 'resolvable');
      const isId = fields?.value.kind === Kind.STRING && fields.value.value.trim() === 'id';
      const off = resolvable?.value.kind === Kind.BOOLEAN && resolvable.value.value === false;
      if (isId && !off && !out.includes(node.name.value)) out.push(node.name.value);
    }
  }
  return out;
}

/** Each named type definition of a document, printed without descriptions. */
function typeDefinitions(doc: DocumentNode): Map<string, string> {
  const bare = visit(doc, {
    // `_entities` and `_service` are added by buildSubgraphSchema, not written in the file.
    enter: (node) => {
      if (node.kind === Kind.FIELD_DEFINITION && (node.name.value === '_entities' || node.name.value === '_service')) return null;
      return 'description' in node && node.description ? { ...node, description: undefined } : undefined;
    },
  });
  const out = new Map<string, string>();
  for (const def of bare.definitions) {
    if ('name' in def && def.name && def.kind !== Kind.DIRECTIVE_DEFINITION) out.set(`${def.kind}:${def.name.value}`, print(def));
  }
  return out;
}

/**
 * The contract every subgraph keeps, run by one test file over the whole composition list so a
 * new domain gets it for free:
 * - the SDL it serves (`_service { sdl }`) is its `schema.graphql`;
 * - a request without a caller token, or with one signed for another subgraph, gets no data;
 * - resolving 5 or 50 references of each entity type costs the same number of SQL statements
 *   (references go through DataLoaders);
 * - `/healthz`, `/readyz` and `/metrics` answer.
 */
export function describeSubgraphContract(mod: SubgraphModule, schemaPath: string): void {
  describe(`subgraph contract: ${mod.name}`, () => {
    let db: TestDatabase;
    let sg: RunningSubgraph;
    const sdl = readFileSync(schemaPath, 'utf8');

    beforeAll(async () => {
      db = await startTestDatabase();
      // No background jobs: the statement counts below are of the requests alone.
      sg = await startSubgraph(mod, { databaseUrl: db.url, seed: false, jobs: false });
    });
    afterAll(async () => {
      await sg?.stop();
      await db?.stop();
    });

    it('serves the SDL of its schema.graphql', async () => {
      const r = await sg.call<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, serviceCaller('contract'));
      expect(r.errors).toBeUndefined();
      // Federation adds its own definitions to the served SDL; every type of the file must be
      // served exactly as written (descriptions aside, which differ only in quoting style).
      const served = typeDefinitions(parse(r.data!._service.sdl));
      const declared = typeDefinitions(parse(sdl));
      for (const [name, def] of declared) expect(served.get(name)).toBe(def);
    });

    it('refuses requests that did not come through the gateway', async () => {
      const none = await sg.call('{ _service { sdl } }');
      expect(none.data).toBeUndefined();
      expect(none.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const res = await fetch(sg.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-caller-token': 'not-a-token' },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      expect(res.status).toBe(401);
    });

    const entities = resolvableEntities(parse(sdl));
    (entities.length ? it.each(entities) : it.skip.each(['(none)']))('resolves %s references in a constant number of statements', async (typename) => {
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`;
      const count = async (n: number) => {
        const refs = Array.from({ length: n }, () => ({ __typename: typename, id: randomUUID() }));
        sg.counter.reset();
        await sg.call(query, { r: refs }, serviceCaller('contract'));
        return sg.counter.count;
      };
      const few = await count(5);
      const many = await count(50);
      expect(many).toBe(few);
      expect(many).toBeLessThanOrEqual(3);
    });

    it('answers health, readiness and metrics', async () => {
      const base = sg.url.replace(/\/graphql$/, '');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${base}/metrics`)).text()).toContain('# TYPE');
    });
  });
}
