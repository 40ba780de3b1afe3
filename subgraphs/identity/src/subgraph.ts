import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { createSubgraphServer, type SubgraphDeps, type SubgraphModule, type SubgraphServer } from '@pc/server';
import { capacityRulesFrom, identitySettings, type IdentityConfig } from './config';
import { createContext } from './context';
import { Person } from './entities/Person';
import { PersonChange } from './entities/PersonChange';
import { CreatePerson1732500000000 } from './migrations/1732500000000-CreatePerson';
import { CompletePersonModel1732600000000 } from './migrations/1732600000000-CompletePersonModel';
import { Representations1733600000000 } from './migrations/1733600000000-Representations';
import { RepresentationChanged1764700000000 } from './migrations/1764700000000-RepresentationChanged';
import { ConfidantIndexWithoutPendingList1764700000001 } from './migrations/1764700000001-ConfidantIndexWithoutPendingList';
import { resolvers } from './resolvers';
import { seedDemo } from './seed/seedDemo';

/** Name in the composition list and PostgreSQL schema of this subgraph. */
export const name = 'identity';
/** The subgraph's SDL, read from schema.graphql (the single source the supergraph is composed from). */
export const typeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
export { resolvers };

/** The identity subgraph's server, built from its parsed settings. */
export function createServer(deps: SubgraphDeps & { config: IdentityConfig }): SubgraphServer {
  const rules = capacityRulesFrom(deps.config);
  return createSubgraphServer({ name, typeDefs, resolvers, createContext: (base) => createContext(base, deps.dataSource, rules) }, deps);
}

/** The identity subgraph: personal data of the master patient index. */
export const subgraph: SubgraphModule<typeof identitySettings> = {
  name,
  settings: identitySettings,
  entities: [Person, PersonChange],
  migrations: [
    CreatePerson1732500000000,
    CompletePersonModel1732600000000,
    Representations1733600000000,
    RepresentationChanged1764700000000,
    ConfidantIndexWithoutPendingList1764700000001,
  ],
  create: (deps) => ({ server: createServer(deps) }),
  seedDemo,
};
