import { doctorCaller, patientCaller, serviceCaller, anonymous, startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { DEMO_PERSONAS } from '@pc/demo';
import { subgraph } from '../src/subgraph';
import { ProviderStore } from '../src/services/ProviderStore';
import { DOC, smallDirectory } from './support/smallDirectory';

let db: TestDatabase;
let sg: RunningSubgraph;

beforeAll(async () => {
  db = await startTestDatabase();
  sg = await startSubgraph(subgraph, { databaseUrl: db.url, seed: false });
  await new ProviderStore(sg.dataSource).insert(smallDirectory());
});
afterAll(async () => {
  await sg?.stop();
  await db?.stop();
});

const RECORD = `mutation($input: RecordDeclarationCountsInput!) { recordDeclarationCounts(input: $input) { recorded } }`;
const FULL = `{ searchDoctors(filter: { acceptingNewPatients: false }) { edges { node { id } } } }`;

async function fullDoctors(): Promise<string[]> {
  const res = await sg.call<{ searchDoctors: { edges: { node: { id: string } }[] } }>(FULL, {}, anonymous());
  return res.data!.searchDoctors.edges.map((e) => e.node.id);
}

describe('recordDeclarationCounts (internal)', () => {
  it('is refused to anyone but an internal service', async () => {
    const input = { counts: [{ doctorId: DOC.shevchenkoOlena, activeDeclarationCount: 1800 }] };
    for (const caller of [anonymous(), patientCaller(DEMO_PERSONAS.patient.id), doctorCaller(DOC.shevchenkoOlena)]) {
      const res = await sg.call(RECORD, { input }, caller);
      expect(res.errors?.[0].extensions?.code).toBe(caller.subject ? 'FORBIDDEN' : 'UNAUTHENTICATED');
    }
    expect(await fullDoctors()).toEqual([]);
  });

  it('a doctor is full when held declarations plus approved requests reach the limit of the speciality', async () => {
    const record = (counts: object[]) =>
      sg.call<{ recordDeclarationCounts: { recorded: number } }>(RECORD, { input: { counts } }, serviceCaller('declarations'));
    // Family doctor limit 1800, pediatrician 900 (defaults).
    const res = await record([
      { doctorId: DOC.shevchenkoOlena, activeDeclarationCount: 1799, approvedRequestCount: 1 },
      { doctorId: DOC.kovalenkoMariia, activeDeclarationCount: 899 },
      { doctorId: '00000000-0000-4000-8000-000000000000', activeDeclarationCount: 3 },
    ]);
    expect(res.data!.recordDeclarationCounts.recorded).toBe(3);
    expect(await fullDoctors()).toEqual([DOC.shevchenkoOlena]);
    await record([
      { doctorId: DOC.kovalenkoMariia, activeDeclarationCount: 900 },
      { doctorId: DOC.shevchenkoOlena, activeDeclarationCount: 1799, approvedRequestCount: 0 },
    ]);
    expect(await fullDoctors()).toEqual([DOC.kovalenkoMariia]);
  });
});
