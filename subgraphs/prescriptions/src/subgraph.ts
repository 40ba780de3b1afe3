import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { SubgraphClient, createSubgraphServer, type SubgraphDeps, type SubgraphInstance, type SubgraphModule } from '@pc/server';
import { OwnerReader } from './clients/OwnerReader';
import { prescriptionsSpec, type PrescriptionsConfig } from './config';
import { createContext } from './context';
import { Dispense } from './entities/Dispense';
import { MedicalProgram } from './entities/MedicalProgram';
import { Medication } from './entities/Medication';
import { Pharmacist } from './entities/Pharmacist';
import { Pharmacy } from './entities/Pharmacy';
import { Prescription } from './entities/Prescription';
import { ProgramMedication } from './entities/ProgramMedication';
import { startPrescriptionJobs } from './jobs/expirePrescriptions';
import { CreatePrescriptions1733300000000 } from './migrations/1733300000000-CreatePrescriptions';
import { VerificationCodeAttempts1733400000000 } from './migrations/1733400000000-VerificationCodeAttempts';
import { resolvers } from './resolvers';
import { seedDemo } from './seed/seedDemo';
import type { PrescriptionsEnv } from './services/PrescriptionsEnv';

/** Name in the composition list and PostgreSQL schema of this subgraph. */
export const name = 'prescriptions';
/** The subgraph's SDL, read from schema.graphql (the single source the supergraph is composed from). */
export const typeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
export { resolvers };

/** What the services of one instance share: database, owner reads (identity, directory, declarations), settings, clock. */
export function createEnv(deps: SubgraphDeps & { config: PrescriptionsConfig }): PrescriptionsEnv {
  const settings = deps.config;
  const client = (target: string, url: string) =>
    new SubgraphClient({ name: target, url, timeoutMs: settings.OWNER_TIMEOUT_MS, secret: deps.internalTokenSecret, log: deps.log }, name);
  return {
    dataSource: deps.dataSource,
    owners: new OwnerReader(
      client('identity', settings.IDENTITY_URL),
      client('directory', settings.DIRECTORY_URL),
      client('declarations', settings.DECLARATIONS_URL),
    ),
    settings,
    log: deps.log,
    now: () => new Date(),
  };
}

/** One instance: the server and its expiry job. */
export function createInstance(deps: SubgraphDeps & { config: PrescriptionsConfig }): SubgraphInstance {
  const env = createEnv(deps);
  return {
    server: createSubgraphServer({ name, typeDefs, resolvers, createContext: (base) => createContext(base, env) }, deps),
    startJobs: () =>
      startPrescriptionJobs({ ds: deps.dataSource, log: deps.log, intervalMs: env.settings.PRESCRIPTION_JOBS_INTERVAL_MS, timeZone: env.settings.TIME_ZONE }),
  };
}

/** The prescriptions subgraph: electronic prescriptions and their dispenses; extends Person. */
export const subgraph: SubgraphModule<typeof prescriptionsSpec> = {
  name,
  settings: prescriptionsSpec,
  entities: [Prescription, Dispense, Medication, MedicalProgram, ProgramMedication, Pharmacy, Pharmacist],
  migrations: [CreatePrescriptions1733300000000, VerificationCodeAttempts1733400000000],
  create: createInstance,
  seedDemo,
};
