import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Division } from '../entities/Division';
import { Doctor } from '../entities/Doctor';
import { DoctorDivision } from '../entities/DoctorDivision';
import { LegalEntity } from '../entities/LegalEntity';
import type { DeclarationCountInput } from '../generated/graphql';
import type { DivisionStatus, DoctorStatus, LegalEntityStatus, Speciality } from '../domain/model';
import { areaKey, nameKey, placeKey, sortKey } from '../domain/searchText';
import { ListingRefresher, type ListingScope } from './ListingRefresher';

/** A legal entity to write (timestamps are the database's). */
export type LegalEntityInput = Omit<LegalEntity, 'createdAt' | 'updatedAt'>;

/** A division to write; the search keys are derived here. */
export type DivisionInput = Omit<Division, 'settlementKey' | 'areaKey' | 'createdAt' | 'updatedAt'>;

/** A doctor to write, with the divisions where they receive patients; search keys are derived here. */
export type DoctorInput = Omit<Doctor, 'searchName' | 'sortName' | 'createdAt' | 'updatedAt' | 'activeDeclarationCount' | 'acceptingNewPatients'> & {
  divisionIds: string[];
  activeDeclarationCount?: number;
  acceptingNewPatients?: boolean;
};

/** Providers to write together. */
export interface ProviderBatch {
  legalEntities: LegalEntityInput[];
  divisions: DivisionInput[];
  doctors: DoctorInput[];
}

/** How many rows {@link ProviderStore.insert} wrote (rows that already existed are skipped). */
export interface InsertCounts {
  legalEntities: number;
  divisions: number;
  doctors: number;
}

// Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for the widest table (~25
// columns), and few enough statements that the national data set loads in seconds.
const CHUNK = 1000;

/**
 * Every write to the directory: bulk loads (demo seed, national seed, a future sync from the
 * central registry) and status changes. Each one rebuilds the affected listing rows in the same
 * transaction, which is what keeps "only APPROVED doctors at ACTIVE divisions of ACTIVE legal
 * entities" true for search without re-checking it per query.
 */
export class ProviderStore {
  private readonly listing = new ListingRefresher();

  /**
   * @param options.bulkFlips from how many doctors whose acceptance flipped a
   *   {@link recordDeclarationCounts} call counts as a bulk delivery (a backfill or a seed, not
   *   the relay's trickle) and is followed by VACUUM (ANALYZE) of the listing tables it wrote;
   *   default {@link BULK_FLIPS}.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly options: { bulkFlips?: number } = {},
  ) {}

  /**
   * Inserts providers with multi-row INSERTs, skipping rows whose id already exists (so a seed
   * can run on every start), then rebuilds the listing of the batch's doctors — or of everyone
   * (`'all'`, cheaper for a whole country), or not at all (`'none'`, for a bulk load in chunks
   * that calls {@link refreshListing} once at the end). After `'all'` that inserted any row the
   * tables are vacuumed and analysed ({@link refreshStatistics}); a re-run of the seed on a
   * later start inserts nothing and does not vacuum every table again.
   */
  async insert(batch: ProviderBatch, refresh: 'batch' | 'all' | 'none' = 'batch'): Promise<InsertCounts> {
    const written = await this.ds.transaction(async (m) => {
      const legalEntities = await insertChunks(m, LegalEntity, batch.legalEntities);
      const divisions = await insertChunks(
        m,
        Division,
        batch.divisions.map((d) => ({ ...d, settlementKey: placeKey(d.settlement), areaKey: areaKey(d.area) })),
      );
      const doctors = await insertChunks(
        m,
        Doctor,
        batch.doctors.map(({ divisionIds: _divisionIds, ...d }) => ({
          ...d,
          activeDeclarationCount: d.activeDeclarationCount ?? 0,
          acceptingNewPatients: d.acceptingNewPatients ?? true,
          searchName: nameKey(d.lastName, d.firstName, d.secondName),
          sortName: sortKey(d.lastName, d.firstName, d.secondName),
        })),
      );
      await insertChunks(
        m,
        DoctorDivision,
        batch.doctors.flatMap((d) => d.divisionIds.map((divisionId) => ({ doctorId: d.id, divisionId }))),
        ['doctor_id', 'division_id'],
      );
      if (refresh !== 'none') {
        const scope: ListingScope = refresh === 'all' ? 'all' : { doctorIds: batch.doctors.map((d) => d.id) };
        await this.listing.refresh(m, scope);
      }
      if (legalEntities + divisions + doctors > 0) await notifyChanged(m);
      return { legalEntities, divisions, doctors };
    });
    if (refresh === 'all' && written.legalEntities + written.divisions + written.doctors > 0) await this.refreshStatistics();
    return written;
  }

  /** Changes a doctor's employment status (e.g. DISMISSED) and their listing with it. */
  async setDoctorStatus(doctorId: string, status: DoctorStatus): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.update(Doctor, { id: doctorId }, { status });
      await this.listing.refresh(m, { doctorIds: [doctorId] });
      await notifyChanged(m);
    });
  }

  /** Changes a division's status and the listing of everyone who works there. */
  async setDivisionStatus(divisionId: string, status: DivisionStatus): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.update(Division, { id: divisionId }, { status });
      await this.listing.refresh(m, { doctorIds: await this.listing.doctorsOfDivisions(m, [divisionId]) });
      await notifyChanged(m);
    });
  }

  /** Changes a legal entity's status and the listing of all its doctors. */
  async setLegalEntityStatus(legalEntityId: string, status: LegalEntityStatus): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.update(LegalEntity, { id: legalEntityId }, { status });
      await this.listing.refresh(m, { doctorIds: await this.listing.doctorsOfLegalEntities(m, [legalEntityId]) });
      await notifyChanged(m);
    });
  }

  /**
   * Records declaration counts from the declarations domain: a doctor accepts new patients
   * while held declarations plus approved requests stay below the limit of their speciality.
   * Called by the internal recordDeclarationCounts mutation (the declarations outbox relay).
   * Sends no change notification: the counts and the acceptance flag feed the search filter
   * only, no field the directory serves in an entity fetch (`acceptingNewPatients` and the
   * counts are the declarations subgraph's fields), so cached entities stay true.
   */
  async recordDeclarationCounts(counts: readonly DeclarationCountInput[], limits: Readonly<Record<Speciality, number>>): Promise<void> {
    if (counts.length === 0) return;
    const flipped = await this.ds.transaction(async (m) => {
      // One statement for any number of doctors; unknown ids and unchanged counts update nothing
      // (a relay delivering the same counts again writes no row). Returns the doctors whose
      // `accepting_new_patients` flipped: the only listing column the counts feed.
      const accepting = `c.n + c.approved < (CASE d.speciality WHEN 'FAMILY_DOCTOR' THEN $4::int WHEN 'THERAPIST' THEN $5::int ELSE $6::int END)`;
      const updated = (await m.query(
        `UPDATE directory.doctor d
         SET active_declaration_count = c.n,
             accepting_new_patients = ${accepting},
             updated_at = now()
         FROM (SELECT c.*, o.accepting_new_patients AS was_accepting
               FROM unnest($1::uuid[], $2::int[], $3::int[]) AS c(id, n, approved)
               JOIN directory.doctor o ON o.id = c.id) c
         WHERE d.id = c.id AND (d.active_declaration_count, d.accepting_new_patients) IS DISTINCT FROM (c.n, ${accepting})
         RETURNING d.id, d.accepting_new_patients <> c.was_accepting AS flipped`,
        [
          counts.map((c) => c.doctorId),
          counts.map((c) => c.activeDeclarationCount),
          counts.map((c) => c.approvedRequestCount ?? 0),
          limits.FAMILY_DOCTOR,
          limits.THERAPIST,
          limits.PEDIATRICIAN,
        ],
      )) as [{ id: string; flipped: boolean }[], number] | { id: string; flipped: boolean }[];
      const rows = (Array.isArray(updated[0]) ? updated[0] : updated) as { id: string; flipped: boolean }[];
      const flipped = rows.filter((r) => r.flipped).map((r) => r.id);
      await this.listing.refresh(m, { doctorIds: flipped });
      return flipped.length;
    });
    // A bulk delivery updates the listing rows of hundreds of doctors: their pages are no longer
    // all-visible (the index-only scans of search go back to the heap) and the statistics fall
    // behind. Tidy up at once rather than wait for autovacuum, which may not run at all. (The
    // doctor rows' own updates matter less: search reads only a page of them, by key.)
    if (flipped >= (this.options.bulkFlips ?? BULK_FLIPS)) {
      for (const table of ['doctor_listing', 'doctor_listing_place']) await this.ds.query(`VACUUM (ANALYZE) directory.${table}`);
    }
  }

  /** Rebuilds the whole listing (after loading data by other means), then its statistics. */
  async refreshListing(): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.listing.refresh(m, 'all');
      await notifyChanged(m);
    });
    await this.refreshStatistics();
  }

  /**
   * `VACUUM (ANALYZE)` of every directory table, after a bulk load or a rebuild of the whole
   * listing (outside any transaction: VACUUM cannot run in one). ANALYZE gives the planner the
   * real sizes and distributions — a table never analysed has `reltuples = -1`, and the planner
   * then guesses (e.g. 53 active divisions instead of 6,597, and hashes them all on every
   * search); VACUUM sets the visibility map, so the index-only scans of search (word ranges, the
   * places' GiST) need not visit the heap. Autovacuum would do both eventually — where it runs at
   * all (it is off on the shared benchmark server) — but not before the first searches.
   */
  async refreshStatistics(): Promise<void> {
    for (const table of DIRECTORY_TABLES) await this.ds.query(`VACUUM (ANALYZE) directory.${table}`);
  }
}

/** Doctors whose acceptance flipped from which {@link ProviderStore.recordDeclarationCounts} is a bulk delivery. */
const BULK_FLIPS = 100;

/** Every table of the directory schema, sources first. */
const DIRECTORY_TABLES = [
  'legal_entity',
  'division',
  'doctor',
  'doctor_division',
  'doctor_listing',
  'doctor_listing_place',
  'doctor_listing_word',
  'name_word',
] as const;

/** The channel the gateway's entity cache LISTENs on (gateway/src/entityCache/createEntityCache.ts). */
export const ENTITY_CHANGED_CHANNEL = 'entity_changed';

/**
 * Tells the gateway's entity cache that directory data changed, so it drops what it keeps of
 * this subgraph (a status change reaches other entities' fields too: a division's doctors, a
 * doctor's divisions). Sent inside the write's transaction: PostgreSQL delivers it when the
 * transaction commits, and never for one that rolls back.
 */
async function notifyChanged(m: EntityManager): Promise<void> {
  await m.query('SELECT pg_notify($1, $2)', [ENTITY_CHANGED_CHANNEL, JSON.stringify({ subgraph: 'directory' })]);
}

/** Multi-row INSERT … ON CONFLICT DO NOTHING in chunks; returns how many rows were new. */
async function insertChunks<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  rows: readonly Partial<T>[],
  conflictKey: string[] = ['id'],
): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const result = await m
      .createQueryBuilder()
      .insert()
      .into(target)
      .values(rows.slice(i, i + CHUNK) as T[])
      // Conflicts on the key only: a clash on another unique column (a duplicate EDRPOU) is a
      // data error and must fail the load, not silently drop a row others refer to.
      .orUpdate([], conflictKey)
      .returning(conflictKey[0])
      .updateEntity(false)
      .execute();
    written += (result.raw as unknown[]).length;
  }
  return written;
}
