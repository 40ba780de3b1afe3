/**
 * Two updates with the same expected version: exactly one wins. The first test forces the race
 * on real PostgreSQL — both requests are held at the row lock until both have passed the
 * version pre-check, so only the `UPDATE … WHERE version = $2` can tell them apart. The second
 * fires pairs of requests at once on any database.
 */
import { patientCaller, startSubgraph, startTestDatabase, testDatabaseServer, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { subgraph } from '../src/subgraph';
import { M, freshPerson, historyRows, type Payload } from './helpers';

let db: TestDatabase;
let sg: RunningSubgraph;

beforeAll(async () => {
  db = await startTestDatabase();
  sg = await startSubgraph(subgraph, { databaseUrl: db.url, seed: false });
});
afterAll(async () => {
  await sg?.stop();
  await db?.stop();
});

const update = (id: string, expectedVersion: number, email: string) =>
  sg.call<{ updateContacts: Payload }>(M.contacts, { i: { expectedVersion, email } }, patientCaller(id)).then((r) => {
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.updateContacts;
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// PGlite runs one transaction at a time for all connections, so a transaction held open by the
// test would block the very requests it waits for.
const onPostgres = testDatabaseServer() ? it : it.skip;

describe('optimistic concurrency', () => {
  onPostgres('lets exactly one of two updates that both passed the version check win', async () => {
    const id = await freshPerson(sg.dataSource);
    // A connection of the subgraph's own pool holds the row lock (the pool has room for it and
    // the two requests).
    const blocker = sg.dataSource.createQueryRunner();
    await blocker.connect();
    try {
      await blocker.startTransaction();
      await blocker.query('SELECT 1 FROM identity.person WHERE id = $1 FOR UPDATE', [id]);
      const a = update(id, 1, 'first@example.com');
      const b = update(id, 1, 'second@example.com');
      // Wait until both requests sit in their UPDATE, blocked by the lock: each has read version 1.
      for (let i = 0; ; i++) {
        // Polled from the pool, not from the blocker: inside a transaction pg_stat_activity is a
        // snapshot frozen at its first read.
        const [row] = (await sg.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ~ '^UPDATE "?identity"?\\."?person"? '`,
        )) as { n: number }[];
        if (row?.n === 2) break;
        if (i > 200) throw new Error('the two updates never reached the row lock');
        await sleep(25);
      }
      await blocker.commitTransaction();
      const results = await Promise.all([a, b]);
      const winners = results.filter((r) => r.userErrors.length === 0);
      const losers = results.filter((r) => r.userErrors.some((e) => e.code === 'VERSION_CONFLICT'));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]?.person).toMatchObject({ version: 2, email: winners[0]?.person?.email });
      expect(await historyRows(sg.dataSource, id)).toHaveLength(1);
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
    }
  });

  it('keeps one winner per version across rounds of simultaneous pairs', async () => {
    const id = await freshPerson(sg.dataSource);
    const rounds = 10;
    for (let version = 1; version <= rounds; version++) {
      const results = await Promise.all([update(id, version, `a${version}@example.com`), update(id, version, `b${version}@example.com`)]);
      expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(1);
      expect(results.filter((r) => r.userErrors[0]?.code === 'VERSION_CONFLICT')).toHaveLength(1);
    }
    const [row] = (await sg.dataSource.query('SELECT version FROM identity.person WHERE id = $1', [id])) as { version: number }[];
    expect(row?.version).toBe(rounds + 1);
    expect((await historyRows(sg.dataSource, id)).map((h) => h.version_after)).toEqual(Array.from({ length: rounds }, (_, i) => i + 2));
  });
});
