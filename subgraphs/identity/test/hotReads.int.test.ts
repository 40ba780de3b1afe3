import { randomUUID } from 'node:crypto';
import type { Pool, QueryConfig } from 'pg';
import { In } from 'typeorm';
import { DEMO_PERSONAS } from '@pc/demo';
import { createDataSource, hotStatementName } from '@pc/db';
import { patientCaller, serviceCaller, startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { Person } from '../src/entities/Person';
import { selectPersons } from '../src/queries';
import { DEMO_PERSONS } from '../src/seed/seedDemo';
import { subgraph } from '../src/subgraph';

const ME = '{ me { id firstName lastName secondName birthDate version capabilities { canView canEditPersonalData canSubmitDeclaration reason } } }';
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id birthDate version verificationStatus authenticationMethod } } }';

const byId = (a: Person, b: Person) => a.id.localeCompare(b.id);
const poolOf = (sg: RunningSubgraph) => (sg.dataSource.driver as unknown as { master: Pool }).master;

describe('identity: hot reads (persons by id) on prepared statements', () => {
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

  it('return exactly the Person entities TypeORM returned: the demo personas and every generated person, all fields', async () => {
    const repo = sg.dataSource.getRepository(Person);
    const personas = DEMO_PERSONS.map((p) => p.id);
    const viaTypeOrm = (await repo.findBy({ id: In(personas) })).sort(byId);
    const hot = (await selectPersons(sg.dataSource, personas)).sort(byId);
    expect(hot).toHaveLength(DEMO_PERSONS.length);
    // Same class, same properties, same values (dates as YYYY-MM-DD text, timestamps as Date, jsonb parsed).
    expect(hot).toStrictEqual(viaTypeOrm);
    for (const p of hot)
      expect(Object.keys(p).sort()).toEqual(
        sg.dataSource
          .getMetadata(Person)
          .columns.map((c) => c.propertyName)
          .sort(),
      );

    const all = ((await sg.dataSource.query('SELECT id FROM identity.person')) as { id: string }[]).map((r) => r.id);
    expect(all.length).toBeGreaterThan(300);
    expect((await selectPersons(sg.dataSource, all)).sort(byId)).toStrictEqual((await repo.findBy({ id: In(all) })).sort(byId));
    expect(await selectPersons(sg.dataSource, [randomUUID()])).toEqual([]);
  });

  it('serve `me` and `_entities` with one statement, a named (prepared) one on PostgreSQL', async () => {
    const pool = poolOf(sg);
    const spy = jest.spyOn(pool, 'query');
    try {
      sg.counter.reset();
      const me = await sg.call<{ me: Record<string, unknown> }>(ME, {}, patientCaller(DEMO_PERSONAS.patient.id));
      expect(me.errors).toBeUndefined();
      expect(me.data?.me).toMatchObject({
        id: DEMO_PERSONAS.patient.id,
        birthDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        capabilities: { canView: true },
      });
      expect(sg.counter.count).toBe(1);

      sg.counter.reset();
      const refs = DEMO_PERSONS.map((p) => ({ __typename: 'Person', id: p.id }));
      const entities = await sg.call<{ _entities: { id: string }[] }>(ENTITIES, { r: refs }, serviceCaller('declarations'));
      expect(entities.errors).toBeUndefined();
      expect(entities.data?._entities.map((p) => p.id)).toEqual(DEMO_PERSONS.map((p) => p.id));
      expect(sg.counter.count).toBe(1);

      const named = spy.mock.calls.map(([config]) => config as unknown as QueryConfig).filter((c) => typeof c === 'object' && c.name);
      if (db.kind === 'postgres') {
        expect(named).toHaveLength(2);
        for (const c of named) expect(c.name).toBe(hotStatementName(c.text));
        expect(named[0]?.text).toMatch(/FROM identity\.person p WHERE p\.id = ANY\(\$1::uuid\[\]\)$/);
        expect(named[1]?.text).toBe(named[0]?.text);
      } else {
        // One PGlite session behind every connection: ordinary statements there.
        expect(named).toEqual([]);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('are planned once per connection on PostgreSQL (pg_prepared_statements), ordinary statements on PGlite', async () => {
    const one = createDataSource({ url: db.url, schema: subgraph.name, entities: subgraph.entities, migrations: [], poolSize: 1 });
    await one.initialize();
    try {
      const ids = [DEMO_PERSONAS.patient.id, DEMO_PERSONAS.teen.id];
      for (let i = 0; i < 3; i++) expect((await selectPersons(one, ids)).map((p) => p.id).sort()).toEqual([...ids].sort());
      const prepared = (await one.query('SELECT name, statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements')) as {
        name: string;
        statement: string;
        runs: string;
      }[];
      if (db.kind === 'postgres') {
        expect(prepared).toHaveLength(1);
        expect(prepared[0]).toMatchObject({ name: hotStatementName(prepared[0]!.statement), runs: '3' });
        expect(prepared[0]?.statement).toMatch(/^SELECT .* FROM identity\.person p WHERE p\.id = ANY/);
      } else {
        expect(prepared).toEqual([]);
      }
    } finally {
      await one.destroy();
    }
  });
});
