import type { DataSource } from 'typeorm';
import type { Logger } from '@pc/logging';
import { ProviderStore, type ProviderBatch } from '../services/ProviderStore';
import { demoProviders } from './demoProviders';
import { generateProviders } from './generateProviders';
import { toProviderBatch } from './toProviderBatch';

/** Seed and sizes of the generated part of the demo directory (the same on every start). */
export const DEMO_DIRECTORY_SIZE = { seed: 4003, legalEntities: 60, divisions: 150, doctors: 400 } as const;

/** The whole demo directory: the hand-written personas plus the generated providers. */
function demoDirectory(): ProviderBatch {
  const generated = toProviderBatch(generateProviders(DEMO_DIRECTORY_SIZE));
  const fixed = demoProviders();
  return {
    legalEntities: [...fixed.legalEntities, ...generated.legalEntities],
    divisions: [...fixed.divisions, ...generated.divisions],
    doctors: [...fixed.doctors, ...generated.doctors],
  };
}

/**
 * Writes the demo directory. Idempotent: rows whose id exists are left as they are, so a
 * restart (or a status someone changed) keeps the data; only the listing is rebuilt.
 */
export async function seedDemo(ds: DataSource, log: Logger): Promise<void> {
  const started = Date.now();
  const written = await new ProviderStore(ds).insert(demoDirectory(), 'all');
  log.info({ ...written, ms: Date.now() - started }, 'directory demo data ready');
}
