/**
 * `DATABASE_URL=postgres://… node -r @swc-node/register subgraphs/directory/bench/seedAsFullBench.ts`
 *
 * Seeds the directory the way the full bench does (bench/src/seed/seedDataset.ts), for measuring
 * search in the state that bench leaves the tables in: its sizes and seed (1,700 legal entities,
 * 6,800 divisions, 30,000 doctors), chunks written without a listing, one `refreshListing`, then
 * declaration counts for every listed doctor of a primary-care provider through
 * `recordDeclarationCounts` in batches of 2,000 (what the outbox relay delivers; counts drawn
 * from 0–1,899, so some doctors become full). Nothing else: no VACUUM or ANALYZE of its own.
 * Replaces whatever the directory schema held.
 */
import { createDataSource, openDatabase } from '@pc/db';
import { subgraph } from '../src/subgraph';
import { ProviderStore } from '../src/services/ProviderStore';
import { createProviderLayout, DEFAULT_DECLARATION_LIMITS, generateDivisions, generateDoctors, generateLegalEntities } from '../src/seed/generateProviders';
import { toProviderBatch } from '../src/seed/toProviderBatch';

const SIZE = { legalEntities: 1700, divisions: 6800, doctors: 30000, seed: 8_080_002 };

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const ds = createDataSource({ url: process.env.DATABASE_URL, schema: 'directory', entities: subgraph.entities, migrations: subgraph.migrations });
  await openDatabase(ds);
  try {
    const store = new ProviderStore(ds);
    const t0 = Date.now();
    await ds.query(
      'TRUNCATE directory.doctor_listing_place, directory.doctor_listing_word, directory.name_word, directory.doctor_listing, directory.doctor_division, directory.doctor, directory.division, directory.legal_entity',
    );
    const layout = createProviderLayout(SIZE.seed, SIZE.legalEntities, SIZE.divisions);
    await store.insert(
      toProviderBatch({
        legalEntities: generateLegalEntities(SIZE.seed, 0, SIZE.legalEntities),
        divisions: generateDivisions(SIZE.seed, 0, SIZE.divisions, SIZE.divisions, SIZE.legalEntities, layout),
        doctors: [],
      }),
      'none',
    );
    for (let from = 0; from < SIZE.doctors; from += 5000) {
      const doctors = generateDoctors(SIZE.seed, from, Math.min(from + 5000, SIZE.doctors), SIZE.divisions, SIZE.legalEntities, { layout });
      await store.insert(toProviderBatch({ legalEntities: [], divisions: [], doctors }), 'none');
    }
    const t1 = Date.now();
    await store.refreshListing();
    const t2 = Date.now();
    const rows = (await ds.query(
      `SELECT l.doctor_id FROM directory.doctor_listing l
       JOIN directory.legal_entity le ON le.id = l.legal_entity_id AND le.type IN ('PRIMARY_CARE', 'MSP')
       ORDER BY md5(l.doctor_id::text)`,
    )) as { doctor_id: string }[];
    let h = 7;
    const counts = rows.map((r) => {
      h = (h * 1103515245 + 12345) % 2147483648;
      return { doctorId: r.doctor_id, activeDeclarationCount: h % 1900 };
    });
    for (let i = 0; i < counts.length; i += 2000) await store.recordDeclarationCounts(counts.slice(i, i + 2000), DEFAULT_DECLARATION_LIMITS);
    process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, listingMs: t2 - t1, countsMs: Date.now() - t2, doctorsWithCounts: counts.length })}\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seedAsFullBench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
