/**
 * Every connection of ours runs with JIT off (sessionOptions.ts): the subgraphs' data sources and
 * the gateway's pools. On a real server only — PGlite has no JIT and ignores startup options.
 */
import { startTestDatabase, testDatabaseServer, type TestDatabase } from '@pc/testing';
import { createDataSource, createPgPool, hotPoolQuery, hotStatementName, openDatabase } from '../src';

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
      const settings = await Promise.all(
        [1, 2, 3].map(() => ds.query("SELECT current_setting('jit') AS jit, current_setting('plan_cache_mode') AS mode, pg_sleep(0.05)")),
      );
      expect(settings.map((r) => [r[0].jit, r[0].mode])).toEqual(Array(3).fill(['off', 'force_generic_plan']));
    } finally {
      await ds.destroy();
    }
  });

  it('a gateway pool has JIT off', async () => {
    const pool = createPgPool({ connectionString: db.url, max: 2 });
    try {
      const { rows } = await pool.query("SELECT current_setting('jit') AS jit, current_setting('plan_cache_mode') AS mode");
      expect(rows[0]).toEqual({ jit: 'off', mode: 'force_generic_plan' });
    } finally {
      await pool.end();
    }
  });
  it('a hot read on a gateway pool is a named statement run with a generic plan from the first execution', async () => {
    const pool = createPgPool({ connectionString: db.url, max: 1 });
    try {
      const text = 'SELECT n FROM generate_series(1, 10) AS g (n) WHERE n > $1';
      for (const v of [3, 5, 7]) expect((await hotPoolQuery<{ n: number }>(pool, text, [v])).rows.length).toBe(10 - v);
      const { rows } = await pool.query('SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1', [hotStatementName(text)]);
      expect(rows).toEqual([{ generic_plans: '3', custom_plans: '0' }]);
    } finally {
      await pool.end();
    }
  });
});
