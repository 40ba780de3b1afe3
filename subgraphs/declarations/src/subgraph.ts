import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { SubgraphClient, createSubgraphServer, type SubgraphDeps, type SubgraphInstance, type SubgraphModule } from '@pc/server';
import { OwnerReader } from './clients/OwnerReader';
import { declarationsSpec, type DeclarationsConfig } from './config';
import { createContext } from './context';
import { Declaration } from './entities/Declaration';
import { DeclarationRequest } from './entities/DeclarationRequest';
import { OutboxRelay } from './jobs/OutboxRelay';
import { startDeclarationJobs } from './jobs/startDeclarationJobs';
import { CreateDeclarations1733100000000 } from './migrations/1733100000000-CreateDeclarations';
import { SubmittedBy1733600000000 } from './migrations/1733600000000-SubmittedBy';
import { OneOpenRequestPerPerson1733200000000 } from './migrations/1733200000000-OneOpenRequestPerPerson';
import { StoredDeclarationCount1733700000000 } from './migrations/1733700000000-StoredDeclarationCount';
import { resolvers } from './resolvers';
import { seedDemo } from './seed/seedDemo';
import { ruleSettings, type DeclarationsEnv } from './services/DeclarationsEnv';

/** Name in the composition list and PostgreSQL schema of this subgraph. */
export const name = 'declarations';
/** The subgraph's SDL, read from schema.graphql (the single source the supergraph is composed from). */
export const typeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
export { resolvers };

/** The server's shared parts plus the relay, which the jobs drive and the services nudge. */
export interface DeclarationsRuntime extends DeclarationsEnv {
  relay: OutboxRelay;
}

/** The runtime the server and the jobs of one instance share (the services nudge the relay the jobs run). */
export function createRuntime(deps: SubgraphDeps & { config: DeclarationsConfig }): DeclarationsRuntime {
  const settings = deps.config;
  const client = (target: string, url: string) =>
    new SubgraphClient({ name: target, url, timeoutMs: settings.OWNER_TIMEOUT_MS, secret: deps.internalTokenSecret, log: deps.log }, name);
  const directory = client('directory', settings.DIRECTORY_URL);
  const relay = new OutboxRelay(deps.dataSource, directory, deps.log);
  return {
    dataSource: deps.dataSource,
    owners: new OwnerReader(client('identity', settings.IDENTITY_URL), directory),
    settings,
    rules: ruleSettings(settings),
    log: deps.log,
    now: () => new Date(),
    countsChanged: () => relay.nudge(),
    relay,
  };
}

/** One instance: the server and its jobs over one runtime. */
export function createInstance(deps: SubgraphDeps & { config: DeclarationsConfig }): SubgraphInstance {
  const rt = createRuntime(deps);
  return {
    server: createSubgraphServer({ name, typeDefs, resolvers, createContext: (base) => createContext(base, rt) }, deps),
    startJobs: () =>
      startDeclarationJobs({
        ds: deps.dataSource,
        relay: rt.relay,
        log: deps.log,
        intervalMs: rt.settings.DECLARATION_JOBS_INTERVAL_MS,
        relayEnabled: rt.settings.OUTBOX_RELAY_ENABLED,
        timeZone: rt.settings.TIME_ZONE,
      }),
  };
}

/** The declarations subgraph: declaration requests and declarations; extends Person and Doctor. */
export const subgraph: SubgraphModule<typeof declarationsSpec> = {
  name,
  settings: declarationsSpec,
  entities: [Declaration, DeclarationRequest],
  migrations: [CreateDeclarations1733100000000, OneOpenRequestPerPerson1733200000000, SubmittedBy1733600000000, StoredDeclarationCount1733700000000],
  create: createInstance,
  seedDemo,
};
