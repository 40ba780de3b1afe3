import { DEMO_PERSONAS } from '@pc/demo';
import { startSystem, type RunningSystem } from '@pc/e2e';

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem({ only: ['directory'] });
});
afterAll(async () => {
  await system?.stop();
});

const SEARCH = `query($f: DoctorSearchFilter, $n: Int, $a: String) {
  searchDoctors(filter: $f, first: $n, after: $a) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id fullName speciality divisions { id location { latitude longitude } } legalEntity { name edrpou } } }
  }
}`;

type Search = { searchDoctors: { totalCount: number; pageInfo: { endCursor: string }; edges: { node: { id: string; speciality: string } }[] } };

describe('directory through the gateway', () => {
  it('anyone, signed in or not, searches doctors', async () => {
    const anonymous = await system.query<Search>(SEARCH, { f: { speciality: 'FAMILY_DOCTOR', settlement: 'Київ' }, n: 5 });
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data!.searchDoctors.edges.length).toBeGreaterThan(0);
    expect(anonymous.data!.searchDoctors.edges.every((e) => e.node.speciality === 'FAMILY_DOCTOR')).toBe(true);

    const signedIn = await system.query<Search>(SEARCH, { f: { speciality: 'FAMILY_DOCTOR', settlement: 'Київ' }, n: 5 }, await system.token('patient'));
    expect(signedIn.data).toEqual(anonymous.data);
  });

  it('pages with the cursors it returns', async () => {
    const first = await system.query<Search>(SEARCH, { f: { speciality: 'THERAPIST' }, n: 3 });
    const next = await system.query<Search>(SEARCH, { f: { speciality: 'THERAPIST' }, n: 3, a: first.data!.searchDoctors.pageInfo.endCursor });
    const seen = new Set(first.data!.searchDoctors.edges.map((e) => e.node.id));
    expect(next.data!.searchDoctors.edges.some((e) => seen.has(e.node.id))).toBe(false);
  });

  it('reports bad arguments as BAD_USER_INPUT to the client', async () => {
    const res = await system.query(SEARCH, { f: { radiusKm: -1, near: { latitude: 50.45, longitude: 30.52 } } });
    expect(res.errors?.[0]).toMatchObject({ message: 'filter.radiusKm must be positive', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('shows the demo doctor by id', async () => {
    const res = await system.query<{ doctor: { fullName: string; speciality: string } }>(
      `{ doctor(id: "${DEMO_PERSONAS.doctor.id}") { fullName speciality legalEntity { status } } }`,
    );
    expect(res.data!.doctor).toMatchObject({ fullName: 'Мельник Ірина Василівна', speciality: 'FAMILY_DOCTOR' });
  });
});
