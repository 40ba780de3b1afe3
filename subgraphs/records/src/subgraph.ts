import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { SubgraphClient, createSubgraphServer, type SubgraphDeps, type SubgraphInstance, type SubgraphModule } from '@pc/server';
import { OwnerReader } from './clients/OwnerReader';
import { recordsSettings, type RecordsConfig } from './config';
import { createContext } from './context';
import { CodeListEntry } from './entities/CodeListEntry';
import { Condition } from './entities/Condition';
import { DiagnosticReport } from './entities/DiagnosticReport';
import { Encounter } from './entities/Encounter';
import { Observation } from './entities/Observation';
import { ServiceTest } from './entities/ServiceTest';
import { CreateRecords1733500000000 } from './migrations/1733500000000-CreateRecords';
import { resolvers } from './resolvers';
import { seedDemo } from './seed/seedDemo';
import type { RecordsEnv } from './services/RecordsEnv';

/** Name in the composition list and PostgreSQL schema of this subgraph. */
export const name = 'records';
/** The subgraph's SDL, read from schema.graphql (the single source the supergraph is composed from). */
export const typeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
export { resolvers };

/** What the services of one instance share: database, owner reads (identity, directory), settings, clock. */
export function createEnv(deps: SubgraphDeps & { config: RecordsConfig }): RecordsEnv {
  const settings = deps.config;
  const client = (target: string, url: string) =>
    new SubgraphClient({ name: target, url, timeoutMs: settings.OWNER_TIMEOUT_MS, secret: deps.internalTokenSecret, log: deps.log }, name);
  return {
    dataSource: deps.dataSource,
    owners: new OwnerReader(client('identity', settings.IDENTITY_URL), client('directory', settings.DIRECTORY_URL)),
    settings,
    log: deps.log,
    now: () => new Date(),
  };
}

/** One instance: the server. */
export function createInstance(deps: SubgraphDeps & { config: RecordsConfig }): SubgraphInstance {
  const env = createEnv(deps);
  return { server: createSubgraphServer({ name, typeDefs, resolvers, createContext: (base) => createContext(base, env) }, deps) };
}

/** The records subgraph: a person's encounters, diagnoses and diagnostic reports; extends Person. */
export const subgraph: SubgraphModule<typeof recordsSettings> = {
  name,
  settings: recordsSettings,
  entities: [Encounter, Condition, DiagnosticReport, Observation, CodeListEntry, ServiceTest],
  migrations: [CreateRecords1733500000000],
  create: createInstance,
  seedDemo,
};
