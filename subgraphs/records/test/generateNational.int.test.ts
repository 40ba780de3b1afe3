import { deterministicUuid } from '@pc/fixtures';
import { useSubgraph } from '@pc/testing';
import { seedNationalRecords } from '../src/seed/generateNational';
import { subgraph } from '../src/subgraph';
import { callers } from './support';

describe('records: the national generator', () => {
  const sg = useSubgraph(subgraph, { seed: false });
  const persons = Array.from({ length: 2000 }, (_, i) => deterministicUuid('gen-person', i));
  const performers = Array.from({ length: 7 }, (_, i) => ({ doctorId: deterministicUuid('gen-doctor', i), legalEntityId: deterministicUuid('gen-le', i) }));

  it('writes 1 or 2 laboratory reports per person with the catalogue’s tests, interpreted as the write path does; a second run adds nothing', async () => {
    const first = await seedNationalRecords(sg.dataSource, { persons, performers, batch: 700 });
    expect(first.reports).toBeGreaterThanOrEqual(2000);
    expect(first.reports).toBeLessThanOrEqual(4000);
    expect(first.observations / first.reports).toBeGreaterThan(1.8);
    expect(first.observations / first.reports).toBeLessThan(3.2);
    expect(await seedNationalRecords(sg.dataSource, { persons, performers, batch: 700 })).toEqual(first);
    // Every numeric value's interpretation agrees with its range; issued in whole seconds, not in the future.
    const [bad] = await sg.dataSource.query(`SELECT count(*)::int AS n FROM records.observation o WHERE o.low IS NOT NULL AND o.interpretation <>
      CASE WHEN o.value::numeric < o.low THEN 'LOW' WHEN o.value::numeric > o.high THEN 'HIGH' ELSE 'NORMAL' END`);
    expect(bad.n).toBe(0);
    const [mix] = await sg.dataSource.query(`SELECT count(DISTINCT interpretation)::int AS kinds, max(issued_at) <= now() AS past,
      bool_and(extract(microseconds FROM issued_at)::int % 1000000 = 0) AS whole FROM records.observation JOIN records.diagnostic_report r ON r.id = report_id`);
    expect(mix).toEqual({ kinds: 4, past: true, whole: true });
    // A person's page reads through the API like the demo data does.
    const r = await sg.call<{ _entities: { diagnosticReports: { totalCount: number; edges: { node: { observations: unknown[] } }[] } }[] }>(
      `{ _entities(representations: [{ __typename: "Person", id: "${persons[0]}" }]) { ... on Person { diagnosticReports(first: 20) { totalCount edges { node { observations { value } } } } } } }`,
      {},
      callers.patient(persons[0]),
    );
    expect(r.errors).toBeUndefined();
    const page = r.data!._entities[0].diagnosticReports;
    expect(page.edges).toHaveLength(page.totalCount);
    expect(page.edges.every((e) => e.node.observations.length > 0)).toBe(true);
  });
});
