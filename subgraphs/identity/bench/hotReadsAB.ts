/**
 * Persons by id through TypeORM (the loader before) against the prepared statement (as shipped),
 * back to back in one run, on identity's two CabinetHome fetches:
 *
 *   node -r @swc-node/register subgraphs/identity/bench/hotReadsAB.ts \
 *     [--requests 3000] [--rounds 8] [--warmup 3000] [--concurrency 1,8] [--fetch me,entity] [--cpu-prof [DIR]]
 *
 * The method is bench/src/subgraphHttp/abRounds.ts, with the read as the only difference: two
 * child processes serve the identity subgraph as shipped (verified-token cache, demo data), one
 * with `loaders.personById` swapped back to TypeORM's `findBy({ id: In(ids) })`; both arms'
 * responses are checked to be byte-identical first.
 */
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { DEMO_PERSONAS } from '@pc/demo';
import { byKeys, createSubgraphServer } from '@pc/server';
import { runAbBench } from '@pc/bench/src/subgraphHttp/abRounds';
import { capacityRulesFrom, type IdentityConfig } from '../src/config';
import { createContext } from '../src/context';
import { Person } from '../src/entities/Person';
import { name, resolvers, subgraph, typeDefs } from '../src/subgraph';

runAbBench({
  script: __filename,
  subgraph,
  arms: ['typeorm', 'prepared'],
  labels: { typeorm: 'before: TypeORM findBy(In)', prepared: 'after: prepared statement (hotQuery)' },
  fetches: {
    me: {
      query:
        'query CabinetHome__identity__0{me{__typename id firstName lastName secondName birthDate version capabilities{canEditPersonalData canSubmitDeclaration}}}',
      variables: {},
      operationName: 'CabinetHome__identity__0',
    },
    entity: {
      query:
        'query CabinetHome__identity__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{__typename id firstName lastName secondName birthDate version}}}',
      variables: { representations: [{ __typename: 'Person', id: DEMO_PERSONAS.patient.id }] },
      operationName: 'CabinetHome__identity__1',
    },
  },
  defaults: { requests: 3000, rounds: 8, warmup: 3000, fetch: ['me', 'entity'] },
  expect: DEMO_PERSONAS.patient.id,
  title: 'identity persons-by-id',
  server: (arm, deps, dataSource) => {
    const rules = capacityRulesFrom(deps.config as IdentityConfig);
    return createSubgraphServer(
      {
        name,
        typeDefs,
        resolvers,
        createContext: (base) => {
          const ctx = createContext(base, dataSource, rules);
          // The loader before this change (PersonService reads ctx.loaders, the same object).
          if (arm === 'typeorm') {
            ctx.loaders.personById = new DataLoader<string, Person | null>(async (ids) =>
              byKeys(ids, await dataSource.getRepository(Person).findBy({ id: In([...ids]) }), (p) => p.id),
            );
          }
          return ctx;
        },
      },
      deps,
    );
  },
});
