import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { createSubgraphServer, type SubgraphModule } from '@pc/server';
import { createContext } from './context';
import { Person } from './entities/Person';
import { CreatePerson1732500000000 } from './migrations/1732500000000-CreatePerson';
import { resolvers } from './resolvers';
import { seedDemo } from './seed/seedDemo';

/** Name in the composition list and PostgreSQL schema of this subgraph. */
export const name = 'identity';
/** The subgraph's SDL, read from schema.graphql (the single source the supergraph is composed from). */
export const typeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
export { resolvers };

/** The identity subgraph: personal data of the master patient index. */
export const subgraph: SubgraphModule = {
  name,
  entities: [Person],
  migrations: [CreatePerson1732500000000],
  createServer: (deps) =>
    createSubgraphServer({ name, typeDefs, resolvers, createContext: (base) => createContext(base, deps.dataSource) }, deps),
  seedDemo,
};
export const createServer = subgraph.createServer;
