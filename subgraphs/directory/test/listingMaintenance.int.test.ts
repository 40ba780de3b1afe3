import { startSubgraph, startTestDatabase, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import type { DataSource, EntityManager } from 'typeorm';
import { subgraph } from '../src/subgraph';
import { parseSearchArgs, type DoctorSearchFilterInput } from '../src/domain/searchArgs';
import { DoctorSearch } from '../src/services/DoctorSearch';
import { ListingRefresher } from '../src/services/ListingRefresher';
import { ProviderStore } from '../src/services/ProviderStore';
import { AT, DIV, DOC, LISTED, smallDirectory } from './support/smallDirectory';

let db: TestDatabase;
let sg: RunningSubgraph;
let ds: DataSource;
let store: ProviderStore;

beforeAll(async () => {
  db = await startTestDatabase();
  sg = await startSubgraph(subgraph, { databaseUrl: db.url, seed: false });
  ds = sg.dataSource;
  store = new ProviderStore(ds);
  await store.insert(smallDirectory());
});
afterAll(async () => {
  await sg?.stop();
  await db?.stop();
});

const LISTING = ['doctor_listing', 'doctor_listing_place', 'doctor_listing_word'] as const;
type Writes = Record<(typeof LISTING)[number], { ins: number; upd: number; del: number }>;

/** Rows this transaction inserted, updated and deleted in the listing tables so far. */
async function writesSoFar(m: EntityManager): Promise<Writes> {
  const rows = (await m.query(
    `SELECT relname, n_tup_ins::int AS ins, n_tup_upd::int AS upd, n_tup_del::int AS del
     FROM pg_stat_xact_user_tables WHERE schemaname = 'directory' AND relname = ANY($1)`,
    [LISTING],
  )) as { relname: (typeof LISTING)[number]; ins: number; upd: number; del: number }[];
  const none = { ins: 0, upd: 0, del: 0 };
  return Object.fromEntries(
    LISTING.map((t) => [t, (({ ins, upd, del }) => ({ ins, upd, del }))(rows.find((r) => r.relname === t) ?? { ...none, relname: t })]),
  ) as Writes;
}

/** Runs `work` in a transaction that is rolled back, returning what it wrote to the listing. */
async function writesOf(work: (m: EntityManager) => Promise<void>): Promise<Writes> {
  let writes: Writes | undefined;
  await ds
    .transaction(async (m) => {
      const before = await writesSoFar(m);
      await work(m);
      const after = await writesSoFar(m);
      writes = Object.fromEntries(
        LISTING.map((t) => [t, { ins: after[t].ins - before[t].ins, upd: after[t].upd - before[t].upd, del: after[t].del - before[t].del }]),
      ) as Writes;
      throw new Error('rollback');
    })
    .catch((err: Error) => {
      if (err.message !== 'rollback') throw err;
    });
  return writes!;
}

const rowIdentity = (doctorId: string) =>
  ds.query(
    `SELECT 'listing' AS t, ctid::text, xmin::text FROM directory.doctor_listing WHERE doctor_id = $1
     UNION ALL SELECT 'place', ctid::text, xmin::text FROM directory.doctor_listing_place WHERE doctor_id = $1
     UNION ALL SELECT 'word', ctid::text, xmin::text FROM directory.doctor_listing_word WHERE doctor_id = $1
     ORDER BY 1, 2`,
    [doctorId],
  );

describe('listing maintenance in place', () => {
  const refresher = new ListingRefresher();

  it('the migrations end with VACUUM (ANALYZE) of the tables (a database loaded before them gets statistics and a visibility map)', async () => {
    const rows = (await ds.query(
      `SELECT relname, vacuum_count::int AS vacuums, analyze_count::int AS analyses FROM pg_stat_user_tables
       WHERE schemaname = 'directory' AND relname IN ('division', 'doctor_listing_word') ORDER BY relname`,
    )) as { relname: string; vacuums: number; analyses: number }[];
    expect(rows.map(({ vacuums, analyses }) => ({ vacuums, analyses }))).toEqual([
      { vacuums: 1, analyses: 1 },
      { vacuums: 1, analyses: 1 },
    ]);
  });

  it('rebuilding the whole listing when nothing changed writes no row', async () => {
    const writes = await writesOf((m) => refresher.refresh(m, 'all'));
    for (const t of LISTING) expect(writes[t]).toEqual({ ins: 0, upd: 0, del: 0 });
  });

  it('a flipped acceptingNewPatients updates the rows that carry it, deleting none', async () => {
    const writes = await writesOf(async (m) => {
      await m.query('UPDATE directory.doctor SET accepting_new_patients = NOT accepting_new_patients WHERE id = $1', [DOC.shevchukAndrii]);
      await refresher.refresh(m, { doctorIds: [DOC.shevchukAndrii] });
    });
    expect(writes.doctor_listing).toEqual({ ins: 0, upd: 1, del: 0 });
    expect(writes.doctor_listing_place).toEqual({ ins: 0, upd: 2, del: 0 }); // Київ and Бровари
    expect(writes.doctor_listing_word).toEqual({ ins: 0, upd: 0, del: 0 });
  });

  it('a listing rule change still removes and restores exactly the affected rows', async () => {
    const writes = await writesOf(async (m) => {
      await m.query(`UPDATE directory.doctor SET status = 'DISMISSED' WHERE id = $1`, [DOC.shevchenkoOlena]);
      await refresher.refresh(m, { doctorIds: [DOC.shevchenkoOlena] });
    });
    expect(writes.doctor_listing).toEqual({ ins: 0, upd: 0, del: 1 });
    // Her place and her three name words go with the listing row (ON DELETE CASCADE).
    expect(writes.doctor_listing_place.del).toBe(1);
    expect(writes.doctor_listing_word.del).toBe(3);
  });

  it('declaration counts that leave acceptingNewPatients as it was keep the listing rows as they are (same ctid and xmin)', async () => {
    const limits = { FAMILY_DOCTOR: 1800, THERAPIST: 2000, PEDIATRICIAN: 900 };
    const before = await rowIdentity(DOC.shevchukAndrii);
    expect(before.length).toBeGreaterThan(3);
    await store.recordDeclarationCounts([{ doctorId: DOC.shevchukAndrii, activeDeclarationCount: 1234 }], limits);
    await store.recordDeclarationCounts([{ doctorId: DOC.shevchukAndrii, activeDeclarationCount: 1235, approvedRequestCount: 3 }], limits);
    expect(await rowIdentity(DOC.shevchukAndrii)).toEqual(before);
    const [doctor] = (await ds.query('SELECT active_declaration_count AS n FROM directory.doctor WHERE id = $1', [DOC.shevchukAndrii])) as { n: number }[];
    expect(doctor.n).toBe(1235);
  });

  it('a listing rebuild leaves the tables analysed (the planner needs no guesses)', async () => {
    const reltuples = async () =>
      Object.fromEntries(
        (
          (await ds.query(
            `SELECT c.relname, c.reltuples::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
             WHERE s.nspname = 'directory' AND c.relname IN ('doctor_listing', 'division')`,
          )) as { relname: string; n: number }[]
        ).map((r) => [r.relname, r.n]),
      );
    // Written by insert('batch') and never analysed: unknown to the planner.
    expect((await reltuples()).doctor_listing).not.toBe(LISTED.length);
    await store.refreshListing();
    expect(await reltuples()).toEqual({ doctor_listing: LISTED.length, division: 6 });
  });

  it("a bulk delivery of counts is followed by VACUUM (ANALYZE) of the tables it wrote; the relay's trickle is not", async () => {
    const limits = { FAMILY_DOCTOR: 1800, THERAPIST: 2000, PEDIATRICIAN: 900 };
    const vacuums = async () =>
      Number(
        (
          (await ds.query(`SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = 'directory' AND relname = 'doctor_listing_place'`)) as {
            vacuum_count: string;
          }[]
        )[0].vacuum_count,
      );
    const before = await vacuums();
    // Pediatrician limit 900, family doctor 1800: these flip both to full and back.
    await store.recordDeclarationCounts([{ doctorId: DOC.kovalenkoMariia, activeDeclarationCount: 900 }], limits);
    expect(await vacuums()).toBe(before);
    const bulk = new ProviderStore(ds, { bulkFlips: 2 });
    await bulk.recordDeclarationCounts(
      [
        { doctorId: DOC.kovalenkoMariia, activeDeclarationCount: 10 },
        { doctorId: DOC.ivanenkoIhor, activeDeclarationCount: 12 },
      ],
      limits,
    );
    expect(await vacuums()).toBe(before); // one flipped
    await bulk.recordDeclarationCounts(
      [
        { doctorId: DOC.kovalenkoMariia, activeDeclarationCount: 900 },
        { doctorId: DOC.ivanenkoIhor, activeDeclarationCount: 1800 },
      ],
      limits,
    );
    expect(await vacuums()).toBe(before + 1);
  });
});

describe('distance pages walk the places nearest first', () => {
  async function pageThrough(search: DoctorSearch, filter: DoctorSearchFilterInput, first: number) {
    const ids: string[] = [];
    const distances: number[] = [];
    let after: string | undefined;
    const { encodeCursor } = await import('../src/domain/cursor');
    for (let guard = 0; guard < 200; guard++) {
      const q = parseSearchArgs({ filter, first, after });
      const page = await search.page(q);
      ids.push(...page.hits.map((h) => h.id));
      distances.push(...page.hits.map((h) => (h.key.order === 'distance' ? h.key.distance : NaN)));
      if (!page.hasNextPage) return { ids, distances };
      after = encodeCursor(page.hits.at(-1)!.key, q.fingerprint);
    }
    throw new Error('pagination did not end');
  }

  it('sends one nearest-first statement (ORDER BY the GiST distance, LIMIT) for a first page, with its total', async () => {
    const search = new DoctorSearch(ds);
    const q = parseSearchArgs({ filter: { near: AT.kyivMain, radiusKm: 30 }, first: 5 });
    await search.page(q); // warm (a prepared-statement path checks the server once)
    const { result: page, sql } = await sg.counter.measure(() => search.page(q));
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/ORDER BY pl\.earth OPERATOR\(public\.<->\) .* LIMIT \$\d+::int/);
    expect(page.total).toBe(27); // 26 doctors in Kyiv, the pediatrician in Бровари
  });

  it.each([
    ['from Kyiv, 30 km (26 doctors at one spot)', { near: AT.kyivMain, radiusKm: 30 }],
    ['from Бровари, 30 km', { near: AT.brovary, radiusKm: 30 }],
    ['from Lviv, 500 km', { near: AT.lvivMain, radiusKm: 500 }],
  ])('%s: short walks give the same pages as a full one', async (_label, filter) => {
    const full = await pageThrough(new DoctorSearch(ds, 100_000), filter, 100);
    for (const [walk, size] of [
      [1, 1],
      [2, 3],
      [3, 5],
      [5, 2],
    ]) {
      expect(await pageThrough(new DoctorSearch(ds, walk), filter, size)).toEqual(full);
    }
    expect([...full.distances].sort((a, b) => a - b)).toEqual(full.distances);
    const total = await new DoctorSearch(ds).count(parseSearchArgs({ filter, first: 1 }));
    expect(full.ids).toHaveLength(total);
  });
});

describe('hot reads', () => {
  it('are named (prepared) statements on PostgreSQL, planned once per connection; ordinary ones on the embedded PGlite', async () => {
    const { createDataSource, hotQuery } = await import('@pc/db');
    const one = createDataSource({ url: db.url, schema: 'directory', entities: subgraph.entities, migrations: [], poolSize: 1 });
    await one.initialize();
    try {
      const text = 'SELECT count(*)::int AS n FROM directory.doctor_listing WHERE speciality = $1';
      for (let i = 0; i < 3; i++) expect(await hotQuery(one, text, ['THERAPIST'])).toEqual([{ n: 2 }]);
      const prepared = (await one.query('SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements')) as {
        statement: string;
        runs: string;
      }[];
      if (db.kind === 'postgres') expect(prepared).toEqual([{ statement: text, runs: '3' }]);
      else expect(prepared).toEqual([]);
    } finally {
      await one.destroy();
    }
  });
});

describe('distance totals count each doctor once (multi_place)', () => {
  const flags = async () =>
    Object.fromEntries(
      (
        (await ds.query(
          `SELECT doctor_id::text AS id, array_agg(multi_place ORDER BY division_id) AS flags FROM directory.doctor_listing_place
           WHERE doctor_id = ANY($1::uuid[]) GROUP BY doctor_id`,
          [[DOC.shevchenkoOlena, DOC.shevchukAndrii, DOC.kovalenkoMariia]],
        )) as { id: string; flags: boolean[] }[]
      ).map((r) => [r.id, r.flags]),
    );
  /** The first page's total, the separate count, and the doctors found by paging through: all must agree. */
  const totals = async (near: { latitude: number; longitude: number }, radiusKm: number) => {
    const search = new DoctorSearch(ds);
    const q = parseSearchArgs({ filter: { near, radiusKm }, first: 100 });
    const page = await search.page(q);
    expect(page.hasNextPage).toBe(false);
    expect(new Set(page.hits.map((h) => h.id)).size).toBe(page.hits.length);
    expect(await search.count(q)).toBe(page.total);
    expect(page.total).toBe(page.hits.length);
    return page.total;
  };

  it('flags every place of a doctor with several listed places, and only those', async () => {
    expect(await flags()).toEqual({
      [DOC.shevchenkoOlena]: [false],
      [DOC.shevchukAndrii]: [true, true], // Київ and Бровари
      [DOC.kovalenkoMariia]: [false],
    });
    const [row] = (await ds.query(
      `SELECT count(*) FILTER (WHERE multi_place <> (SELECT count(*) > 1 FROM directory.doctor_listing_place o WHERE o.doctor_id = pl.doctor_id))::int AS wrong
       FROM directory.doctor_listing_place pl`,
    )) as { wrong: number }[];
    expect(row.wrong).toBe(0);
  });

  it('the migration backfills the flag of an existing listing (down, then up again)', async () => {
    const { MultiPlaceFlag1732600000006 } = await import('../src/migrations/1732600000006-MultiPlaceFlag');
    const runner = ds.createQueryRunner();
    try {
      await new MultiPlaceFlag1732600000006().down(runner);
      await new MultiPlaceFlag1732600000006().up(runner);
    } finally {
      await runner.release();
    }
    expect((await flags())[DOC.shevchukAndrii]).toEqual([true, true]);
    expect(await totals(AT.kyivMain, 30)).toBe(27);
  });

  it('a doctor with both places inside the circle, or one inside and one outside, is one doctor', async () => {
    expect(await totals(AT.kyivMain, 30)).toBe(27); // Шевчук: Київ and Бровари both inside
    expect(await totals(AT.kyivMain, 5)).toBe(26); // Шевчук: Київ inside, Бровари (~19 km) outside
    expect(await totals(AT.brovary, 5)).toBe(2); // Шевчук: Бровари inside, Київ outside; Коваленко
  });

  it('a doctor gaining a place and losing it again: every row of theirs changes its flag in the same transaction, totals stay exact', async () => {
    // Шевченко Олена also works at the inactive Амбулаторія №2 (~1.4 km from №1): not a listed place yet.
    await ds.query('INSERT INTO directory.doctor_division (doctor_id, division_id) VALUES ($1, $2)', [DOC.shevchenkoOlena, DIV.kyivClosed]);
    try {
      expect(await flags()).toMatchObject({ [DOC.shevchenkoOlena]: [false] });
      await store.setDivisionStatus(DIV.kyivClosed, 'ACTIVE');
      expect((await flags())[DOC.shevchenkoOlena]).toEqual([true, true]);
      // Two places of hers inside 5 km, and the doctor of №2 (listed now): 26 + 1, not 28.
      expect(await totals(AT.kyivMain, 5)).toBe(27);
      expect(await totals(AT.kyivClosed, 1)).toBe(2); // her №2 place only, and the doctor of №2
      expect(await totals(AT.kyivMain, 30)).toBe(28);
      await store.setDivisionStatus(DIV.kyivClosed, 'INACTIVE');
      expect((await flags())[DOC.shevchenkoOlena]).toEqual([false]);
      expect(await totals(AT.kyivMain, 5)).toBe(26);
      expect(await totals(AT.kyivMain, 30)).toBe(27);
    } finally {
      await ds.query('DELETE FROM directory.doctor_division WHERE doctor_id = $1 AND division_id = $2', [DOC.shevchenkoOlena, DIV.kyivClosed]);
      await store.setDivisionStatus(DIV.kyivClosed, 'INACTIVE');
    }
  });
});
