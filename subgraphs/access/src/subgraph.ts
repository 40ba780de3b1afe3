import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { createSubgraphServer, type SubgraphDeps, type SubgraphModule, type SubgraphServer } from '@pc/server';
import { accessSettings } from './config';
import { createContext } from './context';
import { AccessGrant } from './entities/AccessGrant';
import { AccessLogEntry } from './entities/AccessLogEntry';
import { Cabinet } from './entities/Cabinet';
import { startAccessLogPartitionJob } from './jobs/accessLogPartitions';
import { CreateAccess1732700000000 } from './migrations/1732700000000-CreateAccess';
import { AccessLogSubject1764600000000 } from './migrations/1764600000000-AccessLogSubject';
import { PartitionAccessLog1764500000000 } from './migrations/1764500000000-PartitionAccessLog';
import { resolvers } from './resolvers';
import { seedDemo } from './seed/seedDemo';

/** Name in the composition list and PostgreSQL schema of this subgraph. */
export const name = 'access';
/** The subgraph's SDL, read from schema.graphql (the single source the supergraph is composed from). */
export const typeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
export { resolvers };

/** The access subgraph's server. */
export function createServer(deps: SubgraphDeps): SubgraphServer {
  return createSubgraphServer({ name, typeDefs, resolvers, createContext: (base) => createContext(base, deps.dataSource) }, deps);
}

/** The access subgraph: cabinets, the person's consents to them, and the access log. */
export const subgraph: SubgraphModule<typeof accessSettings> = {
  name,
  settings: accessSettings,
  entities: [Cabinet, AccessGrant, AccessLogEntry],
  migrations: [CreateAccess1732700000000, PartitionAccessLog1764500000000, AccessLogSubject1764600000000],
  create: (deps) => ({
    server: createServer(deps),
    startJobs: () =>
      startAccessLogPartitionJob({
        ds: deps.dataSource,
        log: deps.log,
        retentionMonths: deps.config.ACCESS_LOG_RETENTION_MONTHS,
        aheadMonths: deps.config.ACCESS_LOG_PARTITIONS_AHEAD,
        intervalMs: deps.config.ACCESS_LOG_PARTITION_JOB_INTERVAL_MS,
      }),
  }),
  seedDemo,
};
