import { randomUUID } from 'node:crypto';
import { DEMO_PERSONAS } from '@pc/demo';
import { patientCaller, serviceCaller, startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { Person } from '../src/entities/Person';
import { demoTaxId } from '../src/seed/seedDemo';
import { subgraph } from '../src/subgraph';

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id lastName } } }';

describe('identity: Person entity resolution', () => {
  let db: TestDatabase;
  let sg: RunningSubgraph;
  const ids = Array.from({ length: 50 }, () => randomUUID());

  beforeAll(async () => {
    db = await startTestDatabase();
    sg = await startSubgraph(subgraph, { databaseUrl: db.url });
    await sg.dataSource.getRepository(Person).insert(
      ids.map((id, i) => ({
        id,
        firstName: 'Тарас',
        lastName: `Прізвище${i}`.replace(/\d+/, ''),
        secondName: null,
        birthDate: '1990-01-01',
        gender: 'MALE' as const,
        taxId: demoTaxId('1990-01-01', 'MALE', i),
        noTaxId: false,
        unzr: null,
        email: null,
        verificationStatus: 'VERIFIED',
        version: 1,
      })),
    );
  });
  afterAll(async () => {
    await sg?.stop();
    await db?.stop();
  });

  it('resolves 50 Person references with one SQL statement', async () => {
    sg.counter.reset();
    const r = await sg.call<{ _entities: { id: string }[] }>(ENTITIES, { r: ids.map((id) => ({ __typename: 'Person', id })) }, serviceCaller('declarations'));
    expect(r.errors).toBeUndefined();
    expect(r.data?._entities.map((p) => p.id)).toEqual(ids);
    expect(sg.counter.count).toBe(1);
  });

  it('lets a patient resolve only their own reference', async () => {
    const own = await sg.call(ENTITIES, { r: [{ __typename: 'Person', id: DEMO_PERSONAS.patient.id }] }, patientCaller(DEMO_PERSONAS.patient.id));
    expect(own.errors).toBeUndefined();
    const other = await sg.call(ENTITIES, { r: [{ __typename: 'Person', id: DEMO_PERSONAS.other.id }] }, patientCaller(DEMO_PERSONAS.patient.id));
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a request without a caller token, or with one signed for another subgraph', async () => {
    const none = await sg.call('{ me { id } }');
    expect(none.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(none.data).toBeUndefined();
  });
});
