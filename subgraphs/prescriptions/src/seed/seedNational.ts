/**
 * `npm run seed:prescriptions -w @pc/prescriptions -- --persons 1000000 --prescribers 30000`
 *
 * Loads a national-scale prescription set into the PostgreSQL database of DATABASE_URL with
 * {@link seedNationalPrescriptions} (set-based; about 2.5 prescriptions per person). Standalone,
 * people and prescribers are ids derived here (`deterministicUuid` of namespaces of its own); the
 * bench passes its real people and doctors to the same function instead, so that the gateway can
 * resolve every prescriber in the directory.
 */
import { parseArgs } from 'node:util';
import { createDataSource, openDatabase } from '@pc/db';
import { deterministicUuid } from '@pc/fixtures';
import { createLogger } from '@pc/logging';
import { subgraph } from '../subgraph';
import { seedNationalPrescriptions } from './generateNational';

const USAGE = `Usage: npm run seed:prescriptions -w @pc/prescriptions -- [--persons 1000000] [--prescribers 30000] [--seed 1]
Loads a generated national prescription set into DATABASE_URL (PostgreSQL; the embedded database is not meant for this).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { persons: { type: 'string' }, prescribers: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } },
  });
  const url = process.env.DATABASE_URL;
  if (values.help || !url) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const persons = Number(values.persons ?? 1_000_000);
  const prescribers = Number(values.prescribers ?? 30_000);
  const seed = Number(values.seed ?? 1);
  const log = createLogger({ service: 'seed:prescriptions', level: 'info' });
  const ds = createDataSource({ url, schema: subgraph.name, entities: subgraph.entities, migrations: subgraph.migrations, poolSize: 2, log });
  await openDatabase(ds);
  const started = Date.now();
  try {
    const result = await seedNationalPrescriptions(ds, {
      persons: Array.from({ length: persons }, (_, i) => deterministicUuid(`national-person:${seed}`, i)),
      prescribers: Array.from({ length: prescribers }, (_, i) => ({
        doctorId: deterministicUuid(`national-doctor:${seed}`, i),
        divisionId: deterministicUuid(`national-division:${seed}`, i % Math.max(1, Math.floor(prescribers / 3))),
        legalEntityId: deterministicUuid(`national-legal-entity:${seed}`, i % Math.max(1, Math.floor(prescribers / 6))),
      })),
      seed,
      progress: (line) => log.info(line),
    });
    log.info({ ...result, seconds: Math.round((Date.now() - started) / 1000) }, 'national prescriptions ready');
  } finally {
    await ds.destroy();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
