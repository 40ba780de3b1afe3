/**
 * `npm run seed:directory -- --doctors 30000 --divisions 12000 --legal-entities 5000`
 *
 * Loads a national-scale directory into the PostgreSQL database of DATABASE_URL: the generated
 * providers in chunks (multi-row INSERTs), the hand-written demo personas, one rebuild of the
 * search listing, and VACUUM ANALYZE so the planner sees the real distribution at once. It replaces
 * whatever the directory schema held (the generator's layout depends on the sizes, so adding a
 * bigger set on top of a smaller one would mix two layouts); `--keep` skips the wipe.
 */
import { parseArgs } from 'node:util';
import { createDataSource, openDatabase } from '@pc/db';
import { createLogger } from '@pc/logging';
import { parseConfig } from '@pc/config';
import { directorySpec } from '../config';
import { subgraph } from '../subgraph';
import { ProviderStore } from '../services/ProviderStore';
import { demoProviders } from './demoProviders';
import { createProviderLayout, generateDivisions, generateDoctors, generateLegalEntities } from './generateProviders';
import { toDivisionInput, toDoctorInput, toLegalEntityInput } from './toProviderBatch';

const CHUNK = 5000;

const USAGE = `Usage: npm run seed:directory -- [--doctors 30000] [--divisions 12000] [--legal-entities 5000] [--seed 4003] [--keep]
Loads a generated national directory into DATABASE_URL (PostgreSQL; the embedded database is not meant for this).`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      doctors: { type: 'string' },
      divisions: { type: 'string' },
      'legal-entities': { type: 'string' },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sizes = {
    seed: positive('seed', values.seed, 4003),
    legalEntities: positive('legal-entities', values['legal-entities'], 5000),
    divisions: positive('divisions', values.divisions, 12000),
    doctors: positive('doctors', values.doctors, 30000),
  };
  const config = parseConfig(directorySpec);
  const log = createLogger({ service: 'seed:directory', level: config.LOG_LEVEL });
  if (!config.DATABASE_URL) throw new Error(`DATABASE_URL is required\n${USAGE}`);

  const ds = createDataSource({ url: config.DATABASE_URL, schema: subgraph.name, entities: subgraph.entities, migrations: subgraph.migrations, log });
  await openDatabase(ds);
  const store = new ProviderStore(ds);
  const started = Date.now();
  try {
    if (!values.keep) {
      await ds.query(
        'TRUNCATE directory.doctor_listing_place, directory.doctor_listing_word, directory.name_word, directory.doctor_listing, directory.doctor_division, directory.doctor, directory.division, directory.legal_entity',
      );
    }
    const layout = createProviderLayout(sizes.seed, sizes.legalEntities, sizes.divisions);
    const empty = { legalEntities: [], divisions: [], doctors: [] };
    for (let i = 0; i < sizes.legalEntities; i += CHUNK) {
      const chunk = generateLegalEntities(sizes.seed, i, Math.min(i + CHUNK, sizes.legalEntities)).map(toLegalEntityInput);
      await store.insert({ ...empty, legalEntities: chunk }, 'none');
    }
    for (let i = 0; i < sizes.divisions; i += CHUNK) {
      const chunk = generateDivisions(sizes.seed, i, Math.min(i + CHUNK, sizes.divisions), sizes.divisions, sizes.legalEntities, layout).map(toDivisionInput);
      await store.insert({ ...empty, divisions: chunk }, 'none');
    }
    for (let i = 0; i < sizes.doctors; i += CHUNK) {
      const chunk = generateDoctors(sizes.seed, i, Math.min(i + CHUNK, sizes.doctors), sizes.divisions, sizes.legalEntities, { layout }).map(toDoctorInput);
      await store.insert({ ...empty, doctors: chunk }, 'none');
      log.info({ doctors: Math.min(i + CHUNK, sizes.doctors) }, 'doctors written');
    }
    await store.insert(demoProviders(), 'none');
    const loaded = Date.now();
    await store.refreshListing();
    const listed = Date.now();
    // refreshListing ends with VACUUM (ANALYZE) of every directory table (ProviderStore.refreshStatistics).
    const [counts] = (await ds.query(
      `SELECT (SELECT count(*) FROM directory.legal_entity)::int AS "legalEntities",
              (SELECT count(*) FROM directory.division)::int AS divisions,
              (SELECT count(*) FROM directory.doctor)::int AS doctors,
              (SELECT count(*) FROM directory.doctor_listing)::int AS listed`,
    )) as Record<string, number>[];
    log.info({ ...counts, loadMs: loaded - started, listingMs: listed - loaded, totalMs: Date.now() - started }, 'national directory ready');
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seed:directory failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
