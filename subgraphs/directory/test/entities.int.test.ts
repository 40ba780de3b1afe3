import { anonymous, patientCaller, serviceCaller, startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { DEMO_PERSONAS } from '@pc/demo';
import { subgraph } from '../src/subgraph';
import { ProviderStore } from '../src/services/ProviderStore';
import { DIV, DOC, LE, smallDirectory } from './support/smallDirectory';

let db: TestDatabase;
let sg: RunningSubgraph;

beforeAll(async () => {
  db = await startTestDatabase();
  // The demo set (hundreds of doctors) for the batching guards, plus the small hand-made one.
  sg = await startSubgraph(subgraph, { databaseUrl: db.url, seed: true });
  await new ProviderStore(sg.dataSource).insert(smallDirectory());
});
afterAll(async () => {
  await sg?.stop();
  await db?.stop();
});

async function data<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, caller = anonymous()): Promise<T> {
  const res = await sg.call<T>(query, variables, caller);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
}

// Aliases as the gateway writes them: the three `status` fields have different enum types.
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Doctor { id doctorStatus: status fullName divisions(includeInactive: true) { id status } legalEntity { id status type } }
  ... on Division { id divisionStatus: status legalEntity { id } }
  ... on LegalEntity { id legalEntityStatus: status }
} }`;

describe('public reads show only what is listed', () => {
  it('doctor(id): a listed doctor; null for dismissed, new, closed-division-only, suspended-provider doctors and unknown ids', async () => {
    expect(await data(`{ doctor(id: "${DOC.shevchenkoOlena}") { id fullName } }`)).toEqual({
      doctor: { id: DOC.shevchenkoOlena, fullName: 'Шевченко Олена Петрівна' },
    });
    for (const hidden of [DOC.shevchenkoDismissed, DOC.shevchenkoNew, DOC.shevchenkoClosedDivision, DOC.shevchenkoSuspendedEntity]) {
      expect(await data(`{ doctor(id: "${hidden}") { id } }`)).toEqual({ doctor: null });
    }
    expect(await data('{ doctor(id: "not-a-uuid") { id } }')).toEqual({ doctor: null });
    expect(await data('{ doctor(id: "00000000-0000-4000-8000-000000000000") { id } }')).toEqual({ doctor: null });
  });

  it('division(id) and legalEntity(id): ACTIVE only', async () => {
    expect(await data(`{ division(id: "${DIV.kyivMain}") { id } }`)).toEqual({ division: { id: DIV.kyivMain } });
    expect(await data(`{ division(id: "${DIV.kyivClosed}") { id } }`)).toEqual({ division: null });
    expect(await data(`{ division(id: "${DIV.suspendedKyiv}") { id } }`)).toEqual({ division: null }); // active, but its provider is not
    expect(await data(`{ legalEntity(id: "${LE.kyiv}") { id edrpou status } }`)).toMatchObject({ legalEntity: { id: LE.kyiv, status: 'ACTIVE' } });
    expect(await data(`{ legalEntity(id: "${LE.suspended}") { id } }`)).toEqual({ legalEntity: null });
  });

  it('a doctor shows active divisions by default, every division on request', async () => {
    const d = await data<{ doctor: { divisions: { id: string }[]; all: { id: string; status: string }[] } }>(
      `{ doctor(id: "${DEMO_PERSONAS.doctor.id}") { divisions { id } all: divisions(includeInactive: true) { id status } } }`,
    );
    expect(d.doctor.divisions).toHaveLength(1);
    expect(d.doctor.all.map((v) => v.status).sort()).toEqual(['ACTIVE', 'INACTIVE']);
  });

  it('a division shows its listed doctors, a legal entity its active divisions', async () => {
    const v = await data<{ division: { doctors: { id: string }[] } }>(`{ division(id: "${DIV.kyivMain}") { doctors { id } } }`);
    expect(v.division.doctors.map((d) => d.id)).toContain(DOC.shevchenkoOlena);
    expect(v.division.doctors.map((d) => d.id)).not.toContain(DOC.shevchenkoDismissed);
    const e = await data<{ legalEntity: { divisions: { id: string }[] } }>(`{ legalEntity(id: "${LE.kyiv}") { divisions { id } } }`);
    expect(e.legalEntity.divisions.map((x) => x.id).sort()).toEqual([DIV.kyivMain, DIV.brovary].sort());
  });

  it('shapes a division: address, location, working hours in weekday order', async () => {
    const v = await data<{ division: Record<string, unknown> }>(
      `{ division(id: "${DIV.brovary}") { type address { type country area settlement settlementType street building apartment zip }
         location { latitude longitude } workingHours { day intervals { start end } } phones { type number } } }`,
    );
    expect(v.division).toEqual({
      type: 'AMBULANT_CLINIC',
      address: {
        type: 'RESIDENCE',
        country: 'UA',
        area: 'Київська область',
        settlement: 'Бровари',
        settlementType: 'CITY',
        street: 'Шевченка',
        building: '5',
        apartment: null,
        zip: '01001',
      },
      location: { latitude: 50.511, longitude: 30.7909 },
      workingHours: [
        { day: 'MONDAY', intervals: [{ start: '08:00', end: '17:00' }] },
        {
          day: 'WEDNESDAY',
          intervals: [
            { start: '08:00', end: '12:00' },
            { start: '13:00', end: '17:00' },
          ],
        },
      ],
      phones: [{ type: 'LAND_LINE', number: '+380441234567' }],
    });
  });
});

describe('references resolve any record (for history and for the declarations subgraph)', () => {
  it('resolves a dismissed doctor, an inactive division and a suspended legal entity', async () => {
    const d = await data<{ _entities: Record<string, unknown>[] }>(
      ENTITIES,
      {
        r: [
          { __typename: 'Doctor', id: DOC.shevchenkoDismissed },
          { __typename: 'Division', id: DIV.kyivClosed },
          { __typename: 'LegalEntity', id: LE.suspended },
          { __typename: 'Doctor', id: 'not-a-uuid' },
        ],
      },
      serviceCaller('declarations'),
    );
    expect(d._entities).toEqual([
      {
        id: DOC.shevchenkoDismissed,
        doctorStatus: 'DISMISSED',
        fullName: 'Шевченко Петро Іванович',
        divisions: [{ id: DIV.kyivMain, status: 'ACTIVE' }],
        legalEntity: { id: LE.kyiv, status: 'ACTIVE', type: 'PRIMARY_CARE' },
      },
      { id: DIV.kyivClosed, divisionStatus: 'INACTIVE', legalEntity: { id: LE.kyiv } },
      { id: LE.suspended, legalEntityStatus: 'SUSPENDED' },
      null,
    ]);
  });

  it('patients see a past declaration’s dismissed doctor too (the gateway resolves it with their token)', async () => {
    const d = await data<{ _entities: { fullName: string }[] }>(
      ENTITIES,
      { r: [{ __typename: 'Doctor', id: DOC.shevchenkoDismissed }] },
      patientCaller(DEMO_PERSONAS.patient.id),
    );
    expect(d._entities[0].fullName).toBe('Шевченко Петро Іванович');
  });
});

describe('batching: the number of SQL statements does not grow with the page', () => {
  const PAGE = `query($first: Int) { searchDoctors(first: $first) { totalCount pageInfo { endCursor } edges { node {
    id fullName declarationLimit legalEntity { id name edrpou }
    divisions { id name location { latitude longitude } legalEntity { id status } doctors { id } }
  } } } }`;

  async function statements(run: () => Promise<unknown>): Promise<{ count: number; sql: string[] }> {
    const { statements: count, sql } = await sg.counter.measure(run);
    return { count, sql };
  }

  it('searching 10 or 100 doctors with divisions and legal entities issues the same, constant number of statements', async () => {
    const ten = await statements(() => data<{ searchDoctors: { edges: unknown[] } }>(PAGE, { first: 10 }));
    const hundred = await statements(async () => {
      const d = await data<{ searchDoctors: { edges: unknown[] } }>(PAGE, { first: 100 });
      expect(d.searchDoctors.edges).toHaveLength(100);
    });
    // count, page with its doctor rows, divisions with their links, legal entities,
    // division→doctor links, and the doctors of those divisions not already loaded.
    expect(hundred.count).toBe(ten.count);
    expect(hundred.count).toBeLessThanOrEqual(6);
  });

  it('the same holds for a name and a distance search', async () => {
    for (const filter of ['{ name: "ко" }', '{ near: { latitude: 50.45, longitude: 30.52 }, radiusKm: 500 }']) {
      const q = (n: number) => `{ searchDoctors(filter: ${filter}, first: ${n}) { edges { node { divisions { legalEntity { id } } legalEntity { id } } } } }`;
      const small = await statements(() => data(q(10)));
      const large = await statements(() => data(q(100)));
      expect(large.count).toBe(small.count);
    }
  });

  it('resolving 10 or 100 doctor references (with nested divisions and legal entities) issues the same number of statements', async () => {
    const ids = ((await sg.dataSource.query('SELECT id FROM directory.doctor ORDER BY id LIMIT 100')) as { id: string }[]).map((r) => r.id);
    const refs = (n: number) => ({ r: ids.slice(0, n).map((id) => ({ __typename: 'Doctor', id })) });
    const ten = await statements(() => data(ENTITIES, refs(10), serviceCaller('declarations')));
    const hundred = await statements(() => data(ENTITIES, refs(100), serviceCaller('declarations')));
    expect(hundred.count).toBe(ten.count);
    expect(hundred.count).toBeLessThanOrEqual(3);
  });
});
