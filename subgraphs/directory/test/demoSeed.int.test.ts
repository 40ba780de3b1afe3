import { DEMO_PERSONAS } from '@pc/demo';
import { createLogger } from '@pc/logging';
import { anonymous, startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { isValidEdrpou } from '@pc/fixtures';
import { subgraph } from '../src/subgraph';
import { DEMO_DIRECTORY } from '../src/seed/demoProviders';
import { DEMO_DIRECTORY_SIZE, seedDemo } from '../src/seed/seedDemo';

let db: TestDatabase;
let sg: RunningSubgraph;

beforeAll(async () => {
  db = await startTestDatabase();
  sg = await startSubgraph(subgraph, { databaseUrl: db.url });
});
afterAll(async () => {
  await sg?.stop();
  await db?.stop();
});

const count = async (table: string): Promise<number> =>
  Number(((await sg.dataSource.query(`SELECT count(*)::int AS n FROM directory.${table}`)) as { n: number }[])[0].n);

describe('demo seed', () => {
  it('writes the generated providers plus the hand-written personas', async () => {
    expect(await count('legal_entity')).toBe(DEMO_DIRECTORY_SIZE.legalEntities + 1);
    expect(await count('division')).toBe(DEMO_DIRECTORY_SIZE.divisions + 2);
    expect(await count('doctor')).toBe(DEMO_DIRECTORY_SIZE.doctors + 4);
    const edrpous = (await sg.dataSource.query('SELECT edrpou FROM directory.legal_entity')) as { edrpou: string }[];
    for (const { edrpou } of edrpous) expect(edrpou.length === 10 || isValidEdrpou(edrpou)).toBe(true);
  });

  it('is idempotent: a second run adds nothing and keeps the listing', async () => {
    const before = await Promise.all(['legal_entity', 'division', 'doctor', 'doctor_division', 'doctor_listing', 'doctor_listing_place'].map(count));
    await seedDemo(sg.dataSource, createLogger({ service: 'test', level: 'silent' }));
    const after = await Promise.all(['legal_entity', 'division', 'doctor', 'doctor_division', 'doctor_listing', 'doctor_listing_place'].map(count));
    expect(after).toEqual(before);
  });

  it('lists the doctor persona: an approved family doctor accepting patients, at an active primary-care provider in Kyiv', async () => {
    const res = await sg.call<{ doctor: Record<string, unknown> & { legalEntity: Record<string, unknown>; divisions: Record<string, unknown>[] } }>(
      `query($id: ID!) { doctor(id: $id) { id fullName speciality status declarationLimit
          legalEntity { id status type edrpou } divisions { id status address { settlement area } location { latitude longitude } } } }`,
      { id: DEMO_PERSONAS.doctor.id },
      anonymous(),
    );
    expect(res.errors).toBeUndefined();
    const d = res.data!.doctor;
    expect(d).toMatchObject({ id: DEMO_PERSONAS.doctor.id, speciality: 'FAMILY_DOCTOR', status: 'APPROVED', declarationLimit: 1800 });
    expect(d.legalEntity).toMatchObject({ id: DEMO_DIRECTORY.legalEntityId, status: 'ACTIVE', type: 'PRIMARY_CARE' });
    expect(d.divisions).toEqual([
      expect.objectContaining({ id: DEMO_DIRECTORY.divisionId, status: 'ACTIVE', address: { settlement: 'Київ', area: 'м. Київ' } }),
    ]);
    const accepting = await sg.call<{ searchDoctors: { edges: { node: { id: string } }[] } }>(
      `{ searchDoctors(filter: { divisionId: "${DEMO_DIRECTORY.divisionId}", acceptingNewPatients: true }) { edges { node { id } } } }`,
      {},
      anonymous(),
    );
    expect(accepting.data!.searchDoctors.edges.map((e) => e.node.id)).toContain(DEMO_PERSONAS.doctor.id);
  });

  it('has several therapists and pediatricians with divisions, nationwide', async () => {
    for (const speciality of ['THERAPIST', 'PEDIATRICIAN', 'FAMILY_DOCTOR']) {
      const res = await sg.call<{ searchDoctors: { totalCount: number; edges: { node: { divisions: unknown[] } }[] } }>(
        `{ searchDoctors(filter: { speciality: ${speciality} }, first: 10) { totalCount edges { node { divisions { id } } } } }`,
        {},
        anonymous(),
      );
      expect(res.data!.searchDoctors.totalCount).toBeGreaterThanOrEqual(10);
      for (const e of res.data!.searchDoctors.edges) expect(e.node.divisions.length).toBeGreaterThan(0);
    }
    const areas = (await sg.dataSource.query('SELECT count(DISTINCT area_key)::int AS n FROM directory.doctor_listing_place')) as { n: number }[];
    expect(areas[0].n).toBeGreaterThanOrEqual(15);
  });
});
