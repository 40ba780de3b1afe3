/**
 * The subgraph's GraphQL execution, Apollo Server inside the subgraph (its request pipeline
 * driven by `executeHTTPGraphQLRequest`, as shipped until 2026-11-30) against the lean executor
 * (shared/server/src/executeOperation.ts: graphql-js with a cache of validated documents), back
 * to back in one run:
 *
 *   node -r @swc-node/register bench/src/subgraphHttp/measureExecutor.ts \
 *     [--requests 2000] [--rounds 6] [--concurrency 1,8] [--warmup 1500] [--fetch me,entity] [--cpu-prof [DIR]]
 *
 * The method is ./abRounds.ts: two child processes serve the identity subgraph, same node:http
 * layer, same verified-token cache, only the execution differs. The request is the identity fetch
 * of CabinetHome's query plan (`me` root fetch) or, with `--fetch entity`, a `Person` entity fetch.
 */
import { DEMO_PERSONAS } from '@pc/demo';
import { subgraph as identity, name, resolvers, typeDefs } from '@pc/identity';
import { createContext } from '@pc/identity/src/context';
import { createSubgraphServer, type SubgraphBaseContext } from '@pc/server';
import { runAbBench } from './abRounds';
import { createApolloSubgraphServer } from './apolloSubgraphServer';

runAbBench({
  script: __filename,
  subgraph: identity,
  arms: ['apollo', 'lean'],
  labels: {
    apollo: 'Apollo Server in the subgraph (executeHTTPGraphQLRequest)',
    lean: 'lean executor (graphql-js + document LRU)',
  },
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
  defaults: { requests: 2000, rounds: 6, warmup: 1500, fetch: ['me', 'entity'] },
  expect: DEMO_PERSONAS.patient.id,
  title: 'identity subgraph: Apollo Server vs lean executor',
  server: (arm, deps, dataSource) => {
    const rules = { minAge: 14, fullCapacityAge: 18, timeZone: 'Europe/Kyiv' }; // identity's defaults
    const def = { name, typeDefs, resolvers, createContext: (base: SubgraphBaseContext) => createContext(base, dataSource, rules) };
    return arm === 'lean' ? createSubgraphServer(def, deps) : createApolloSubgraphServer(def, deps);
  },
});
