import { parse } from 'graphql';
import { ConfigError, num, str } from '@pc/config';
import { createSubgraphServer, subgraphSettings, type SubgraphConfig, type SubgraphModule } from '@pc/server';
import { startSubgraph, startTestDatabase, type TestDatabase } from '../src';

/** A module whose settings spec has one number and one string of its own, and remembers the config it was built with. */
const settings = subgraphSettings(4999, { PROBE_LIMIT: num({ default: 7 }), PROBE_ZONE: str({ default: 'Europe/Kyiv' }) });
const seen: SubgraphConfig<typeof settings>[] = [];
const probe: SubgraphModule<typeof settings> = {
  name: 'probe',
  settings,
  entities: [],
  migrations: [],
  create(deps) {
    seen.push(deps.config);
    const typeDefs = parse('type Query { limit: Int! }');
    return {
      server: createSubgraphServer({ name: 'probe', typeDefs, resolvers: { Query: { limit: () => deps.config.PROBE_LIMIT } }, createContext: (b) => b }, deps),
    };
  },
};

describe('startSubgraph parses a module’s settings as the process does (one spec, one parser)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await startTestDatabase();
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('gives the module its own settings with their declared defaults, and overrides as the environment would', async () => {
    seen.length = 0;
    const a = await startSubgraph(probe, { databaseUrl: db.url, seed: false });
    await a.stop();
    const b = await startSubgraph(probe, { databaseUrl: db.url, seed: false, config: { PROBE_LIMIT: 3 } });
    await b.stop();
    expect(seen.map((c) => [c.PROBE_LIMIT, c.PROBE_ZONE])).toEqual([
      [7, 'Europe/Kyiv'],
      [3, 'Europe/Kyiv'],
    ]);
    // The common settings are parsed too, not re-stated by the harness.
    expect(seen[0]).toMatchObject({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: 4999, SHUTDOWN_DELAY_MS: 5000, SEED_DEMO: false, DATABASE_URL: db.url });
  });

  it('refuses a malformed override with the parser’s message, before it opens the database', async () => {
    const started = startSubgraph(probe, { databaseUrl: 'postgres://nobody@127.0.0.1:1/none', config: { PROBE_LIMIT: 'many' } });
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(/PROBE_LIMIT/);
  });

  it('holds production to the production rules of the parser (a weak internal secret is refused)', async () => {
    await expect(startSubgraph(probe, { databaseUrl: db.url, nodeEnv: 'production', internalTokenSecret: 'short' })).rejects.toThrow(/INTERNAL_TOKEN_SECRET/);
  });
});
