/**
 * The subgraph HTTP layer, old (Express 5 + @as-integrations/express5) against new (node:http
 * driving Apollo's executeHTTPGraphQLRequest when this was measured; since 2026-11-30 the shipped
 * server runs the lean executor instead, measured against Apollo by ./measureExecutor.ts), back
 * to back in one run:
 *
 *   node -r @swc-node/register bench/src/subgraphHttp/measureSubgraphHttp.ts \
 *     [--requests 2000] [--rounds 6] [--concurrency 1,8] [--warmup 1500] [--fetch me,entity] [--cpu-prof [DIR]]
 *
 * The method is ./abRounds.ts: three child processes serve the identity subgraph, one per layer
 * (old; new with the caller token verified on every request; new as shipped, with the
 * verified-token cache). The request is the identity fetch of CabinetHome's query plan (`me` root
 * fetch) or, with `--fetch entity`, a `Person` entity fetch.
 */
import { DEMO_PERSONAS } from '@pc/demo';
import { createServer, subgraph as identity, name, resolvers, typeDefs } from '@pc/identity';
import { capacityRulesFrom, type IdentityConfig } from '@pc/identity/src/config';
import { createContext } from '@pc/identity/src/context';
import { runAbBench } from './abRounds';
import { createExpressSubgraphServer } from './expressSubgraphServer';

runAbBench({
  script: __filename,
  subgraph: identity,
  arms: ['express', 'node', 'node-cached'],
  labels: {
    express: 'old: Express 5 + express5 integration',
    node: 'new: node:http as shipped, token verified each time',
    'node-cached': 'new + verified-token cache (as shipped)',
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
  defaults: { requests: 2000, rounds: 6, warmup: 1500, fetch: ['me'] },
  expect: DEMO_PERSONAS.patient.id,
  title: 'identity subgraph HTTP layer',
  server: (arm, deps, dataSource) => {
    // abRounds parses the config with identity.settings, so it is an IdentityConfig.
    const config = deps.config as IdentityConfig;
    if (arm === 'node-cached') return createServer({ ...deps, config });
    if (arm === 'node') return createServer({ ...deps, config, callerTokenCacheSize: 0 });
    const rules = capacityRulesFrom(config);
    return createExpressSubgraphServer({ name, typeDefs, resolvers, createContext: (base) => createContext(base, dataSource, rules) }, deps);
  },
});
