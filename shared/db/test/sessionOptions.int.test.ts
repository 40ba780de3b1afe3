/**
 * Every connection of ours runs with JIT off (sessionOptions.ts): the subgraphs' data sources and
 * the gateway's pools. On a real server only — PGlite has no JIT and ignores startup options.
 */
import { startTestDatabase, testDatabaseServer, type TestDatabase } from '@pc/testing';
import { createDataSource, createPgPool, openDatabase } from '../src';

const onServer = testDatabaseServer() ? describe : describe.skip;

onServer('session options', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await startTestDatabase();
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('a subgraph data source has JIT off on every pooled connection', async () => {
    const ds = await openDatabase(createDataSource({ url: db.url, schema: 'session_options_test', entities: [], migrations: [], poolSize: 3 }));
    try {
      const settings = await Promise.all([1, 2, 3].map(() => ds.query("SELECT current_setting('jit') AS jit, pg_sleep(0.05)")));
      expect(settings.map((r) => r[0].jit)).toEqual(['off', 'off', 'off']);
    } finally {
      await ds.destroy();
    }
  });

  it('a gateway pool has JIT off', async () => {
    const pool = createPgPool({ connectionString: db.url, max: 2 });
    try {
      expect((await pool.query('SHOW jit')).rows[0].jit).toBe('off');
    } finally {
      await pool.end();
    }
  });
});
