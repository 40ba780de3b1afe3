import type { SubgraphModule } from '@pc/server';
import { startSubgraph, type RunningSubgraph, type StartSubgraphOptions } from './startSubgraph';
import { startTestDatabase, type TestDatabase } from './testDatabase';

/**
 * Registers jest hooks that start `mod` on a fresh test database before the file's tests and
 * stop both afterwards, and returns the running subgraph. The returned object forwards to the
 * subgraph started in `beforeAll`, so tests use it like a plain `RunningSubgraph`.
 */
export function useSubgraph(mod: SubgraphModule, opts: Omit<StartSubgraphOptions, 'databaseUrl'> = {}): RunningSubgraph & { readonly database: TestDatabase } {
  let db: TestDatabase | undefined;
  let sg: RunningSubgraph | undefined;
  beforeAll(async () => {
    db = await startTestDatabase();
    sg = await startSubgraph(mod, { ...opts, databaseUrl: db.url });
  });
  afterAll(async () => {
    await sg?.stop();
    await db?.stop();
  });
  return new Proxy({} as RunningSubgraph & { readonly database: TestDatabase }, {
    get(_target, prop) {
      if (prop === 'database') return db;
      if (!sg) throw new Error(`useSubgraph(${mod.name}): used before beforeAll ran`);
      const value = (sg as unknown as Record<string | symbol, unknown>)[prop];
      return typeof value === 'function' ? value.bind(sg) : value;
    },
  });
}
