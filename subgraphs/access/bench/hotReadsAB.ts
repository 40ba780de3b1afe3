/**
 * The access subgraph's CabinetHome fetch (the patient's grants with their cabinets) with the
 * loaders and context before this change (TypeORM repository reads) against the shipped ones
 * (prepared statements through hotQuery), back to back in one run:
 *
 *   node -r @swc-node/register subgraphs/access/bench/hotReadsAB.ts \
 *     [--requests 3000] [--rounds 8] [--warmup 3000] [--concurrency 1,8] [--fetch home] [--cpu-prof [DIR]]
 *
 * The method is bench/src/subgraphHttp/abRounds.ts: two child processes serve the access
 * subgraph as shipped (verified-token cache, demo data), one with the request context built as
 * before (`typeormContext` below); both arms' responses are checked to be byte-identical first.
 */
import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { byKeys, createSubgraphServer, groupByKeys, type SubgraphBaseContext } from '@pc/server';
import { runAbBench } from '@pc/bench/src/subgraphHttp/abRounds';
import { createContext, type AccessContext } from '../src/context';
import { AccessGrant } from '../src/entities/AccessGrant';
import { Cabinet } from '../src/entities/Cabinet';
import type { Loaders } from '../src/loaders/createLoaders';
import { AccessGrantService } from '../src/services/AccessGrantService';
import { AccessLogService } from '../src/services/AccessLogService';
import { name, resolvers, subgraph, typeDefs } from '../src/subgraph';

/** The loaders before this change: TypeORM repository reads. */
function typeormLoaders(ds: DataSource): Loaders {
  return {
    cabinetById: new DataLoader<string, Cabinet | null>(async (ids) => byKeys(ids, await ds.getRepository(Cabinet).findBy({ id: In([...ids]) }), (c) => c.id)),
    grantById: new DataLoader<string, AccessGrant | null>(async (ids) =>
      byKeys(ids, await ds.getRepository(AccessGrant).findBy({ id: In([...ids]) }), (g) => g.id),
    ),
    grantsByPersonId: new DataLoader<string, AccessGrant[]>(async (ids) =>
      groupByKeys(
        ids,
        await ds.getRepository(AccessGrant).find({ where: { personId: In([...ids]) }, order: { grantedAt: 'DESC', id: 'ASC' } }),
        (g) => g.personId,
      ),
    ),
  } as unknown as Loaders;
}

/** The request context before this change: the loaders above, both services built eagerly. */
function typeormContext(base: SubgraphBaseContext, ds: DataSource): AccessContext {
  const loaders = typeormLoaders(ds);
  return { ...base, loaders, grants: new AccessGrantService(ds, loaders, base.caller), accessLog: new AccessLogService(ds, base.caller) } as AccessContext;
}

runAbBench({
  script: __filename,
  subgraph,
  arms: ['typeorm', 'prepared'],
  labels: { typeorm: 'before: TypeORM repository reads', prepared: 'after: prepared statements (hotQuery)' },
  fetches: {
    // What the gateway asks the access subgraph for in CabinetHome (the patient's grants, cabinets).
    home: {
      query:
        'query CabinetHome__access__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{accessGrants{id status scopes cabinet{id name kind}}}}}',
      variables: { representations: [{ __typename: 'Person', id: DEMO_PERSONAS.patient.id }] },
      operationName: 'CabinetHome__access__1',
    },
  },
  defaults: { requests: 3000, rounds: 8, warmup: 3000, fetch: ['home'] },
  expect: DEMO_CABINETS.state.id,
  title: 'access CabinetHome fetch (grants with cabinets)',
  server: (arm, deps, dataSource) =>
    createSubgraphServer(
      { name, typeDefs, resolvers, createContext: (base) => (arm === 'typeorm' ? typeormContext(base, dataSource) : createContext(base, dataSource)) },
      deps,
    ),
});
