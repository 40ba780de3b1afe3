import { DEMO_PERSONAS } from '@pc/demo';
import { anonymous, serviceCaller, startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { DEMO_DIRECTORY } from '../src/seed/demoProviders';
import { subgraph } from '../src/subgraph';

/**
 * DATABASE_REPLICA_URL on two real databases: the "replica" is a second database (its own
 * connection pool) that differs from the primary in one doctor's name, so an answer shows which
 * database served it.
 */
describe('directory reads on the replica (two real databases)', () => {
  let primaryDb: TestDatabase;
  let replicaDb: TestDatabase;
  let replicaSource: RunningSubgraph;
  let sg: RunningSubgraph;
  let plain: RunningSubgraph;
  const DOCTOR = `query($id: ID!) { doctor(id: $id) { id fullName } }`;
  const SEARCH = `{ searchDoctors(filter: { divisionId: "${DEMO_DIRECTORY.divisionId}" }) { totalCount } }`;

  beforeAll(async () => {
    [primaryDb, replicaDb] = await Promise.all([startTestDatabase(), startTestDatabase()]);
    // The replica's content: migrated and seeded like the primary, then one doctor renamed.
    replicaSource = await startSubgraph(subgraph, { databaseUrl: replicaDb.url, jobs: false });
    await replicaSource.dataSource.query(`UPDATE directory.doctor SET last_name = 'Репліка' WHERE id = $1`, [DEMO_PERSONAS.doctor.id]);
    sg = await startSubgraph(subgraph, {
      databaseUrl: primaryDb.url,
      nodeEnv: 'production',
      internalTokenSecret: 'replica-test-secret-0123456789-0123456789-abc',
      config: { DATABASE_REPLICA_URL: replicaDb.url },
    });
    plain = await startSubgraph(subgraph, { databaseUrl: primaryDb.url, seed: false });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([sg?.stop(), plain?.stop(), replicaSource?.stop()]);
    await Promise.all([primaryDb?.stop(), replicaDb?.stop()]);
  });

  const nameOf = async (s: RunningSubgraph) => {
    for (let i = 0; i < 50; i++) {
      const r = await s.call<{ doctor: { fullName: string } }>(DOCTOR, { id: DEMO_PERSONAS.doctor.id }, anonymous());
      if (r.data?.doctor.fullName.includes('Репліка') || s === plain) return r.data!.doctor.fullName;
      await new Promise((resolve) => setTimeout(resolve, 100)); // the replica's pool is still opening
    }
    throw new Error('the replica never answered');
  };

  it('answers public doctor reads from the replica when DATABASE_REPLICA_URL is set', async () => {
    expect(await nameOf(sg)).toContain('Репліка');
    const [{ n }] = await replicaSource.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'directory'`,
    );
    expect(n).toBeGreaterThan(1); // the subgraph under test holds its own connections to the replica
  });

  it('reads the primary without it', async () => {
    expect(await nameOf(plain)).not.toContain('Репліка');
  });

  it('keeps writes on the primary: declaration counts land there, not on the replica', async () => {
    const RECORD = `mutation($input: RecordDeclarationCountsInput!) { recordDeclarationCounts(input: $input) { recorded } }`;
    const input = { counts: [{ doctorId: DEMO_PERSONAS.doctor.id, activeDeclarationCount: 1234 }] };
    const res = await sg.call<{ recordDeclarationCounts: { recorded: number } }>(RECORD, { input }, serviceCaller('declarations'));
    expect(res.errors).toBeUndefined();
    const countIn = async (s: RunningSubgraph) =>
      (await s.dataSource.query(`SELECT active_declaration_count AS n FROM directory.doctor WHERE id = $1`, [DEMO_PERSONAS.doctor.id]))[0].n;
    expect(await countIn(plain)).toBe(1234); // the primary
    expect(await countIn(replicaSource)).not.toBe(1234); // the replica database never saw the write
    const search = await sg.call<{ searchDoctors: { totalCount: number } }>(SEARCH, {}, anonymous());
    expect(search.errors).toBeUndefined();
  });
});
