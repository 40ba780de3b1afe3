import { randomUUID } from 'node:crypto';
import type { Pool, QueryConfig } from 'pg';
import { In } from 'typeorm';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { createDataSource, hotStatementName } from '@pc/db';
import { patientCaller, serviceCaller, startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { AccessGrant } from '../src/entities/AccessGrant';
import { Cabinet } from '../src/entities/Cabinet';
import { loadCabinets, loadGrants, loadGrantsOfPersons } from '../src/loaders/createLoaders';
import { subgraph } from '../src/subgraph';

// CabinetHome's part in the access subgraph, as the gateway asks for it.
const HOME = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { accessGrants { id status scopes cabinet { id name kind } } } } }';
const GRANT_REFS = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on AccessGrant { id scopes grantedAt cabinet { id website } } } }';

const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);
const poolOf = (sg: RunningSubgraph) => (sg.dataSource.driver as unknown as { master: Pool }).master;
const propertiesOf = (sg: RunningSubgraph, entity: typeof Cabinet | typeof AccessGrant) =>
  sg.dataSource
    .getMetadata(entity)
    .columns.map((c) => c.propertyName)
    .sort();

describe('access: hot reads (grants of a person, grants and cabinets by id) on prepared statements', () => {
  let db: TestDatabase;
  let sg: RunningSubgraph;

  beforeAll(async () => {
    db = await startTestDatabase();
    sg = await startSubgraph(subgraph, { databaseUrl: db.url });
  });
  it('run on the database the environment asks for', () => expect(db.kind).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'));
  afterAll(async () => {
    await sg?.stop();
    await db?.stop();
  });

  it('return exactly the entities TypeORM returned for the demo data, all fields, in the same order', async () => {
    const ds = sg.dataSource;
    const persons = Object.values(DEMO_PERSONAS).map((p) => p.id);
    const viaTypeOrm = await ds.getRepository(AccessGrant).find({ where: { personId: In(persons) }, order: { grantedAt: 'DESC', id: 'ASC' } });
    expect(viaTypeOrm.length).toBeGreaterThanOrEqual(3);
    // Same class, same properties, same values (scopes as string[], timestamps as Date, nulls), same order.
    const { grants: hot, cabinets: withGrants } = await loadGrantsOfPersons(ds, persons);
    expect(hot).toStrictEqual(viaTypeOrm);
    for (const g of hot) expect(Object.keys(g).sort()).toEqual(propertiesOf(sg, AccessGrant));
    // The grants' cabinets come in the same statement, each once, as TypeORM reads them by id.
    const grantCabinetIds = [...new Set(viaTypeOrm.map((g) => g.cabinetId))];
    expect(withGrants.sort(byId)).toStrictEqual((await ds.getRepository(Cabinet).findBy({ id: In(grantCabinetIds) })).sort(byId));

    const allGrants = await ds.getRepository(AccessGrant).find();
    const grantIds = allGrants.map((g) => g.id);
    expect((await loadGrants(ds, grantIds)).sort(byId)).toStrictEqual((await ds.getRepository(AccessGrant).findBy({ id: In(grantIds) })).sort(byId));

    const cabinetIds = [...Object.values(DEMO_CABINETS).map((c) => c.id), ...allGrants.map((g) => g.cabinetId)];
    const cabinets = (await loadCabinets(ds, cabinetIds)).sort(byId);
    expect(cabinets.length).toBeGreaterThanOrEqual(3);
    expect(cabinets).toStrictEqual((await ds.getRepository(Cabinet).findBy({ id: In(cabinetIds) })).sort(byId));
    for (const c of cabinets) expect(Object.keys(c).sort()).toEqual(propertiesOf(sg, Cabinet));

    // Non-null expiry and revocation times too (the demo grants have neither): `other`'s grant.
    await ds.query(`UPDATE access.access_grant SET expires_at = now() + interval '30 days', revoked_at = now() WHERE person_id = $1`, [DEMO_PERSONAS.other.id]);
    const { grants: changed } = await loadGrantsOfPersons(ds, persons);
    expect(changed.some((g) => g.revokedAt instanceof Date && g.expiresAt instanceof Date)).toBe(true);
    expect(changed).toStrictEqual(await ds.getRepository(AccessGrant).find({ where: { personId: In(persons) }, order: { grantedAt: 'DESC', id: 'ASC' } }));

    expect(await loadGrantsOfPersons(ds, [randomUUID()])).toEqual({ grants: [], cabinets: [] });
    expect(await loadGrants(ds, [randomUUID()])).toEqual([]);
    expect(await loadCabinets(ds, [randomUUID()])).toEqual([]);
  });

  it('serve CabinetHome’s grants with their cabinets in one statement (a join), grant references with two; named (prepared) ones on PostgreSQL', async () => {
    const spy = jest.spyOn(poolOf(sg), 'query');
    try {
      sg.counter.reset();
      const home = await sg.call<{ _entities: { accessGrants: { cabinet: { id: string; kind: string } }[] }[] }>(
        HOME,
        { r: [{ __typename: 'Person', id: DEMO_PERSONAS.patient.id }] },
        patientCaller(DEMO_PERSONAS.patient.id),
      );
      expect(home.errors).toBeUndefined();
      expect(home.data?._entities[0]?.accessGrants.map((g) => g.cabinet.id).sort()).toEqual(
        [DEMO_CABINETS.state.id, DEMO_CABINETS.zdorovia.id, DEMO_CABINETS.medcard.id].sort(),
      );
      expect(sg.counter.count).toBe(1);

      const grantIds = (await sg.dataSource.getRepository(AccessGrant).find()).map((g) => g.id);
      sg.counter.reset();
      const refs = await sg.call<{ _entities: { id: string }[] }>(
        GRANT_REFS,
        { r: grantIds.map((id) => ({ __typename: 'AccessGrant', id })) },
        serviceCaller('gateway'),
      );
      expect(refs.errors).toBeUndefined();
      expect(refs.data?._entities.map((g) => g.id)).toEqual(grantIds);
      expect(sg.counter.count).toBe(2);

      const named = spy.mock.calls.map(([config]) => config as unknown as QueryConfig).filter((c) => typeof c === 'object' && c.name);
      if (db.kind === 'postgres') {
        expect(named.map((c) => c.text.replace(/^SELECT .* FROM /, ''))).toEqual([
          'access.access_grant t LEFT JOIN access.cabinet c ON c.id = t.cabinet_id WHERE t.person_id = ANY($1::uuid[]) ORDER BY t.granted_at DESC, t.id ASC',
          'access.access_grant t WHERE t.id = ANY($1::uuid[])',
          'access.cabinet t WHERE t.id = ANY($1::uuid[])',
        ]);
        for (const c of named) expect(c.name).toBe(hotStatementName(c.text));
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
      for (let i = 0; i < 3; i++) expect((await loadGrantsOfPersons(one, [DEMO_PERSONAS.patient.id])).grants.length).toBeGreaterThanOrEqual(3);
      const prepared = (await one.query('SELECT name, statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements')) as {
        name: string;
        statement: string;
        runs: string;
      }[];
      if (db.kind === 'postgres') {
        expect(prepared).toHaveLength(1);
        expect(prepared[0]).toMatchObject({ name: hotStatementName(prepared[0]!.statement), runs: '3' });
        expect(prepared[0]?.statement).toMatch(
          /^SELECT .* FROM access\.access_grant t LEFT JOIN access\.cabinet c ON c\.id = t\.cabinet_id WHERE t\.person_id = ANY/,
        );
      } else {
        expect(prepared).toEqual([]);
      }
    } finally {
      await one.destroy();
    }
  });
});
