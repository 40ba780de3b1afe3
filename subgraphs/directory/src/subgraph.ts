import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { createSubgraphServer, type SubgraphModule } from '@pc/server';
import { directorySettings, type DirectoryConfig } from './config';
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
import { resolvers } from './resolvers';
import { seedDemo } from './seed/seedDemo';

/** Name in the composition list and PostgreSQL schema of this subgraph. */
export const name = 'directory';
/** The subgraph's SDL, read from schema.graphql (the single source the supergraph is composed from). */
export const typeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
export { resolvers };

/** The directory subgraph: doctors, legal entities and divisions; public doctor search. */
export const subgraph: SubgraphModule = {
  name,
  entities: [LegalEntity, Division, Doctor, DoctorDivision],
  migrations: [
    CreateDirectory1732600000000,
    SearchByWordsAndPlaces1732600000001,
    StoredEarthPoint1732600000002,
    NameWordDictionary1732600000003,
    InPlaceListing1732600000004,
    VacuumAnalyzeDirectory1732600000005,
  ],
  createServer: (deps) => {
    // The process passes a DirectoryConfig (see config.ts); the test harness only the common
    // settings, for which the directory's own take their defaults.
    const settings = directorySettings(deps.config as Partial<DirectoryConfig>);
    return createSubgraphServer({ name, typeDefs, resolvers, createContext: (base) => createContext(base, deps.dataSource, settings) }, deps);
  },
  seedDemo,
};
export const createServer = subgraph.createServer;
