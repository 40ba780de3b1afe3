import { Pool } from 'pg';
import { anonymousCaller } from '@pc/auth';
import type { SubgraphModule } from '@pc/server';
import { startSubgraph, startTestDatabase, testDatabaseServer, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { isConnectionLost, isPlainRead, queryWithReadRetry } from '../src/readRetry';

describe('isPlainRead: only statements without effects are ever repeated', () => {
  it.each([
    ['SELECT 1', true],
    ['  /* loader */\n  select "d"."id" FROM "directory"."doctor" "d" WHERE "d"."id" IN ($1)', true],
    ['WITH x AS (SELECT 1) SELECT * FROM x', true],
    ['SELECT updated_at FROM identity.person', true],
    ['INSERT INTO access.access_log VALUES ($1)', false],
    ['UPDATE identity.person SET email = $1', false],
    ['WITH inserted AS (INSERT INTO t SELECT 1 RETURNING 1) SELECT count(*) FROM inserted', false],
    ["SELECT nextval('declarations.declaration_number_seq')", false],
    ['SELECT pg_notify($1, $2)', false],
    ['SELECT pg_advisory_lock(hashtext($1))', false],
    ['SELECT * FROM directory.doctor WHERE id = $1 FOR UPDATE', false],
    ['SELECT * INTO backup FROM t', false],
    ['START TRANSACTION', false],
  ])('%s → %s', (sql, expected) => {
    expect(isPlainRead(sql)).toBe(expected);
  });

  it('recognises a lost connection by code or message, also inside a TypeORM QueryFailedError', () => {
    expect(isConnectionLost({ code: '57P01' })).toBe(true);
    expect(isConnectionLost({ driverError: { code: '08006' } })).toBe(true);
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost({ code: 'ECONNRESET' })).toBe(true);
    expect(isConnectionLost({ code: '23505', message: 'duplicate key' })).toBe(false);
  });
});

// pg_terminate_backend needs a real server: PGlite is one shared session, nothing to terminate.
const onPostgres = testDatabaseServer() ? describe : describe.skip;

onPostgres('reads survive terminated PostgreSQL backends (retried once on a fresh connection); writes are not retried', () => {
  let db: TestDatabase;
  let directory: RunningSubgraph;
  let admin: Pool;

  beforeAll(async () => {
    db = await startTestDatabase();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = (require('@pc/directory') as { subgraph: SubgraphModule }).subgraph;
    directory = await startSubgraph(mod, { databaseUrl: db.url, seed: false });
    admin = new Pool({ connectionString: db.url, max: 2 });
    await admin.query('CREATE TABLE public.retry_probe (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    await admin?.end();
    await directory?.stop();
    await db?.stop();
  });

  /** Terminates every other backend of this test's database (the subgraph's pooled connections). */
  const terminateAll = async (): Promise<number> =>
    Number(
      (
        await admin.query(
          'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        )
      ).rows[0].n,
    );
  /** Waits until a statement matching `pattern` runs on another backend, then terminates that backend. */
  const terminateWhenRunning = async (pattern: string): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const { rows } = await admin.query<{ ok: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE $1",
        [`%${pattern}%`],
      );
      if (rows.length) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no running statement like ${pattern}`);
  };

  /**
   * The first test leaves the pool holding connections whose backends were terminated; the pool
   * drops such a client only when it fails. A probe that started on one would fail at once, be
   * retried onto a fresh connection, and that is the one the probe's test would terminate — a
   * second loss no single retry survives. So each probe starts from a pool of live connections:
   * every pooled connection (5) is used once, and dead ones are dropped by their failure.
   */
  const settlePool = async (): Promise<void> => {
    await Promise.all(Array.from({ length: 5 }, () => directory.dataSource.query('SELECT 1')));
    await new Promise((r) => setTimeout(r, 50));
  };

  it('serves every GraphQL read when the pooled connections are terminated between reads', async () => {
    const query = '{ searchDoctors(first: 5) { totalCount edges { node { id } } } }';
    const failures: unknown[] = [];
    let terminated = 0;
    for (let round = 0; round < 15; round++) {
      // Several reads at once, so the pool holds several connections to terminate.
      const results = await Promise.all(
        Array.from({ length: 4 }, () => directory.call<{ searchDoctors: { totalCount: number } }>(query, {}, anonymousCaller(`r${round}`))),
      );
      for (const r of results) if (r.errors || typeof r.data?.searchDoctors?.totalCount !== 'number') failures.push(r.errors);
      terminated += await terminateAll();
    }
    expect(terminated).toBeGreaterThan(15);
    expect(failures).toEqual([]);
  });

  it('retries a read whose connection is terminated while it runs, once, and returns its rows', async () => {
    await settlePool();
    const read = directory.dataSource.query('SELECT pg_sleep(0.4) IS NULL AS slept, 42 AS answer /* retry-read-probe */');
    await terminateWhenRunning('retry-read-probe');
    expect(await read).toEqual([{ slept: false, answer: 42 }]);
  });

  it('does not retry a write whose connection is terminated while it runs (it fails, nothing is written twice)', async () => {
    await settlePool();
    const write = directory.dataSource.query('INSERT INTO public.retry_probe (id) SELECT 1 FROM pg_sleep(0.4) /* retry-write-probe */').then(
      () => 'written',
      (err: Error) => err,
    );
    await terminateWhenRunning('retry-write-probe');
    expect(await write).toMatchObject({ message: expect.stringMatching(/terminat/) });
    // Had it been repeated, the row would be there.
    await new Promise((r) => setTimeout(r, 600));
    expect((await admin.query('SELECT count(*)::int AS n FROM public.retry_probe')).rows[0].n).toBe(0);
  });

  it('does not retry a read inside a transaction', async () => {
    await settlePool();
    const tx = directory.dataSource
      .transaction((m) => m.query('SELECT pg_sleep(0.4), 1 AS one /* retry-tx-probe */'))
      .then(
        () => 'answered',
        (err: Error) => err,
      );
    await terminateWhenRunning('retry-tx-probe');
    expect(await tx).toMatchObject({ message: expect.stringMatching(/terminat/) });
  });

  it('a pg Pool read (the gateway grant check) is retried the same way', async () => {
    const pool = new Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => undefined);
    try {
      const read = queryWithReadRetry<{ answer: number }>(pool, 'SELECT 7 AS answer FROM pg_sleep(0.4) /* retry-pool-probe */');
      await terminateWhenRunning('retry-pool-probe');
      expect((await read).rows).toEqual([{ answer: 7 }]);
    } finally {
      await pool.end();
    }
  });
});
