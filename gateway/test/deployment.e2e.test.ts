import { DEMO_PERSONAS } from '@pc/demo';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { subgraph as directory } from '@pc/directory';

/**
 * The deployment's database features in production mode (docs/deployment.md): the directory's
 * public reads come from DATABASE_REPLICA_URL — a second real database here, which differs from
 * the primary in the doctor's name — and the gateway's access log lands in this month's partition.
 */
describe('production mode: read replica and partitioned access log', () => {
  let replicaDb: TestDatabase;
  let replica: RunningSubgraph;
  let sys: RunningSystem;
  beforeAll(async () => {
    replicaDb = await startTestDatabase();
    replica = await startSubgraph(directory, { databaseUrl: replicaDb.url, jobs: false });
    await replica.dataSource.query(`UPDATE directory.doctor SET last_name = 'Репліка' WHERE id = $1`, [DEMO_PERSONAS.doctor.id]);
    sys = await startSystem({ production: true, subgraphConfig: { DATABASE_REPLICA_URL: replicaDb.url } });
  }, 120_000);
  afterAll(async () => {
    await sys?.stop();
    await replica?.stop();
    await replicaDb?.stop();
  });

  it('CabinetHome shows the doctor as the replica has it, and its access log entries sit in this month’s partition', async () => {
    const token = await sys.token('patient');
    let body = '';
    for (let i = 0; i < 50 && !body.includes('Репліка'); i++) {
      const r = await sys.persisted('state', 'CabinetHome', {}, token);
      expect(r.errors).toBeUndefined();
      body = JSON.stringify(r.data);
      if (!body.includes('Репліка')) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(body).toContain('Репліка');

    const now = new Date();
    const month = `access.access_log_${now.getUTCFullYear()}_${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    let parts: string[] = [];
    for (let i = 0; i < 50 && parts.length === 0; i++) {
      const rows: { part: string }[] = await sys.subgraphs.access.dataSource.query(
        `SELECT DISTINCT tableoid::regclass::text AS part FROM access.access_log WHERE person_id = $1 AND operation_name = 'CabinetHome'`,
        [DEMO_PERSONAS.patient.id],
      );
      parts = rows.map((r) => r.part);
      if (parts.length === 0) await new Promise((resolve) => setTimeout(resolve, 100)); // the writer flushes in batches
    }
    expect(parts).toEqual([month]);
  });
});
