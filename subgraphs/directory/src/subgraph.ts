import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { ReadReplica } from '@pc/db';
import { createSubgraphServer, type SubgraphDeps, type SubgraphModule, type SubgraphServer } from '@pc/server';
import { directorySettings, directorySpec, type DirectoryConfig } from './config';
import { createContext } from './context';
import { Division } from './entities/Division';
import { Doctor } from './entities/Doctor';
import { DoctorDivision } from './entities/DoctorDivision';
import { LegalEntity } from './entities/LegalEntity';
import { CreateDirectory1732600000000 } from './migrations/1732600000000-CreateDirectory';
import { SearchByWordsAndPlaces1732600000001 } from './migrations/1732600000001-SearchByWordsAndPlaces';
import { StoredEarthPoint1732600000002 } from './migrations/1732600000002-StoredEarthPoint';
import { NameWordDictionary1732600000003 } from './migrations/1732600000003-NameWordDictionary';
import { InPlaceListing1732600000004 } from './migrations/1732600000004-InPlaceListing';
import { VacuumAnalyzeDirectory1732600000005 } from './migrations/1732600000005-VacuumAnalyzeDirectory';
import { MultiPlaceFlag1732600000006 } from './migrations/1732600000006-MultiPlaceFlag';
import { VacuumAnalyzePlaces1732600000007 } from './migrations/1732600000007-VacuumAnalyzePlaces';
import { resolvers } from './resolvers';
import { seedDemo } from './seed/seedDemo';

/** Name in the composition list and PostgreSQL schema of this subgraph. */
export const name = 'directory';
/** The subgraph's SDL, read from schema.graphql (the single source the supergraph is composed from). */
export const typeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
export { resolvers };

/** The directory subgraph's server, built from its parsed settings. */
export function createServer(deps: SubgraphDeps & { config: DirectoryConfig }, replica?: ReadReplica): SubgraphServer {
  const settings = directorySettings(deps.config);
  return createSubgraphServer(
    { name, typeDefs, resolvers, createContext: (base) => createContext(base, deps.dataSource, settings, replica?.dataSource) },
    deps,
  );
}

/** The directory subgraph: doctors, legal entities and divisions; public doctor search. */
export const subgraph: SubgraphModule<typeof directorySpec> = {
  name,
  settings: directorySpec,
  entities: [LegalEntity, Division, Doctor, DoctorDivision],
  migrations: [
    CreateDirectory1732600000000,
    SearchByWordsAndPlaces1732600000001,
    StoredEarthPoint1732600000002,
    NameWordDictionary1732600000003,
    InPlaceListing1732600000004,
    VacuumAnalyzeDirectory1732600000005,
    MultiPlaceFlag1732600000006,
    VacuumAnalyzePlaces1732600000007,
  ],
  create: (deps) => {
    const replica = new ReadReplica(deps.dataSource, deps.config.DATABASE_REPLICA_URL || undefined, deps.log);
    return { server: createServer(deps, replica), startJobs: () => () => replica.close() };
  },
  seedDemo,
};
