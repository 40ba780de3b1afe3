import { randomUUID } from 'node:crypto';
import { patientCaller, useSubgraph } from '@pc/testing';
import { maintainAccessLogPartitions } from '../src/jobs/accessLogPartitions';
import { subgraph } from '../src/subgraph';

const LOG = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on Person { accessLog(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id at } } } } } }`;
type LogResult = { _entities: { accessLog: { totalCount: number; pageInfo: { endCursor: string }; edges: { node: { id: string; at: string } }[] } }[] };

describe('access log partitioned by month (real PostgreSQL)', () => {
  const sg = useSubgraph(subgraph);
  const partitions = async (): Promise<string[]> =>
    (
      await sg.dataSource.query(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'access.access_log'::regclass ORDER BY 1`)
    ).map((r: { name: string }) => r.name);
  const insert = (person: string, at: string) =>
    sg.dataSource.query(
      `INSERT INTO access.access_log (id, at, person_id, actor, actor_role, action, resource) VALUES ($1, $2, $3, $4, 'PATIENT', 'READ', 'person')`,
      [randomUUID(), at, person, person],
    );

  it('is declared PARTITION BY RANGE (at) and the migration created this month and three ahead', async () => {
    const [{ def }] = await sg.dataSource.query(`SELECT pg_get_partkeydef('access.access_log'::regclass) AS def`);
    expect(def).toBe('RANGE (at)');
    const now = new Date();
    const names = await partitions();
    for (let i = 0; i <= 3; i++) {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
      expect(names).toContain(`access_log_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
    }
  });

  it('keeps rows of several months in their month, drops months past retention whole, and creates months ahead', async () => {
    const person = randomUUID();
    const now = new Date('2031-06-15T12:00:00Z');
    // Months the job would have created over the years: back to 2027-01.
    for (let m = 0; m < 54; m++) await sg.dataSource.query('SELECT access.create_access_log_partition($1)', [new Date(Date.UTC(2027, m, 1)).toISOString()]);
    for (const at of ['2027-01-31T23:59:59.999Z', '2028-05-01T00:00:00Z', '2028-07-10T10:00:00Z', '2031-05-31T23:00:00Z', '2031-06-01T00:00:00Z'])
      await insert(person, at);
    const where = await sg.dataSource.query(`SELECT tableoid::regclass::text AS part, at FROM access.access_log WHERE person_id = $1 ORDER BY at`, [person]);
    expect(where.map((r: { part: string }) => r.part)).toEqual([
      'access.access_log_2027_01',
      'access.access_log_2028_05',
      'access.access_log_2028_07',
      'access.access_log_2031_05',
      'access.access_log_2031_06',
    ]);

    // 36 months up to June 2031 keep July 2028 on; everything before is detached and dropped.
    const run = await maintainAccessLogPartitions(sg.dataSource, { now, retentionMonths: 36, aheadMonths: 3 });
    expect(run.ensured).toEqual(['access_log_2031_06', 'access_log_2031_07', 'access_log_2031_08', 'access_log_2031_09']);
    expect(run.dropped).toContain('access_log_2027_01');
    expect(run.dropped).toContain('access_log_2028_06');
    expect(run.dropped).not.toContain('access_log_2028_07');
    const names = await partitions();
    expect(names).not.toContain('access_log_2028_06');
    expect(names).toContain('access_log_2028_07');
    expect(names).toContain('access_log_2031_09');
    const [{ n }] = await sg.dataSource.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'access_log_2027_01'`);
    expect(n).toBe(0); // dropped, not only detached
    const left = await sg.dataSource.query(`SELECT at FROM access.access_log WHERE person_id = $1 ORDER BY at`, [person]);
    expect(left.map((r: { at: Date }) => r.at.toISOString())).toEqual(['2028-07-10T10:00:00.000Z', '2031-05-31T23:00:00.000Z', '2031-06-01T00:00:00.000Z']);

    // A second run (another instance) finds nothing to do; a row for a month ahead has its place.
    expect((await maintainAccessLogPartitions(sg.dataSource, { now, retentionMonths: 36 })).dropped).toEqual([]);
    await insert(person, '2031-09-30T23:59:59Z');

    // The person's log still pages across months, newest first.
    const first = await sg.call<LogResult>(LOG, { r: [{ __typename: 'Person', id: person }], first: 2 }, patientCaller(person));
    expect(first.errors).toBeUndefined();
    expect(first.data!._entities[0].accessLog.totalCount).toBe(4);
    const next = await sg.call<LogResult>(
      LOG,
      { r: [{ __typename: 'Person', id: person }], first: 5, after: first.data!._entities[0].accessLog.pageInfo.endCursor },
      patientCaller(person),
    );
    expect(next.data!._entities[0].accessLog.edges.map((e) => e.node.at)).toEqual(['2031-05-31T23:00:00.000Z', '2028-07-10T10:00:00.000Z']);
  });

  it('a page after a cursor reads only the months at or before it (partition pruning)', async () => {
    const plan: { 'QUERY PLAN': string }[] = await sg.dataSource.query(
      `EXPLAIN SELECT * FROM access.access_log e WHERE e.person_id = $1 AND e.at <= $2 AND (e.at, e.id) < ($2, $3) ORDER BY e.at DESC, e.id DESC LIMIT 21`,
      [randomUUID(), '2031-05-31T23:00:00Z', randomUUID()],
    );
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('access_log_2031_05');
    expect(text).not.toContain('access_log_2031_06');
    expect(text).not.toContain('access_log_2031_09');
  });

  it('takes a row no month holds into the default partition, and leaves that month there', async () => {
    const person = randomUUID();
    await insert(person, '2040-02-10T00:00:00Z');
    const [{ part }] = await sg.dataSource.query(`SELECT tableoid::regclass::text AS part FROM access.access_log WHERE person_id = $1`, [person]);
    expect(part).toBe('access.access_log_default');
    const run = await maintainAccessLogPartitions(sg.dataSource, { now: new Date('2040-01-20T00:00:00Z'), retentionMonths: 36, aheadMonths: 2 });
    expect(run.ensured).toEqual(['access_log_2040_01', 'access_log_2040_03']);
    expect(run.inDefault).toEqual(['2040-02']);
  });

  it('refuses a retention below one month', async () => {
    await expect(maintainAccessLogPartitions(sg.dataSource, { retentionMonths: 0 })).rejects.toThrow(/at least 1/);
  });
});
