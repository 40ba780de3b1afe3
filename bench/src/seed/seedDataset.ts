/**
 * Bulk seeding of the benchmark data set through the subgraphs' own code and tables: people with
 * identity's `seedPersons` (multi-row `jsonb_to_recordset` inserts), providers with the
 * directory's generator and `ProviderStore`, declarations with one set-based INSERT … SELECT into
 * the declarations subgraph's tables, grants into the access subgraph's table. Every step is
 * idempotent and skipped when its data is already there, so a second run starts in seconds.
 *
 * @packageDocumentation
 */
import type { DataSource } from 'typeorm';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import type { Logger } from '@pc/logging';
import type { SubgraphModule } from '@pc/server';
import { CABINET_SCOPES } from '@pc/access/src/domain/grants';
import { DEMO_GRANT_SCOPES } from '@pc/access/src/seed/seedDemo';
import { personId } from '@pc/identity/src/seed/generatePersons';
import { seedPersons } from '@pc/identity/src/seed/seedPersons';
import {
  DEFAULT_DECLARATION_LIMITS,
  createProviderLayout,
  doctorId,
  generateDivisions,
  generateDoctors,
  generateLegalEntities,
} from '@pc/directory/src/seed/generateProviders';
import { toProviderBatch } from '@pc/directory/src/seed/toProviderBatch';
import { ProviderStore } from '@pc/directory/src/services/ProviderStore';
import { DECLARATION_NUMBER_ALPHABET, DECLARATION_NUMBER_PREFIX } from '@pc/declarations/src/domain/declarationNumber';
import { seedNationalPrescriptions } from '@pc/prescriptions/src/seed/generateNational';
import { seedNationalRecords } from '@pc/records/src/seed/generateNational';
import { PERSON_SEED, type DatasetSize } from '../options';

/** How long each step took and what the database holds afterwards. */
export interface DatasetReport {
  persons: number;
  doctors: number;
  listedDoctors: number;
  divisions: number;
  declarations: number;
  activeDeclarations: number;
  grants: number;
  prescriptions: number;
  /** Laboratory observations (records subgraph). */
  observations: number;
  /** Milliseconds per seeding step that ran (absent: the data was already there). */
  seededMs: Record<string, number>;
  /** The server's `autovacuum` setting: when off, only the bench's own VACUUM (ANALYZE) keeps statistics current. */
  autovacuum: string;
}

const count = async (ds: DataSource, sql: string, params: unknown[] = []): Promise<number> => {
  const [row] = (await ds.query(sql, params)) as { n: string | number }[];
  return Number(row?.n ?? 0);
};

const tableExists = async (ds: DataSource, table: string): Promise<boolean> =>
  (await count(ds, 'SELECT count(*) AS n FROM (SELECT to_regclass($1) AS t) x WHERE t IS NOT NULL', [table])) > 0;

const exists = async (ds: DataSource, table: string, id: string): Promise<boolean> =>
  (await count(ds, `SELECT count(*) AS n FROM ${table} WHERE id = $1`, [id])) > 0;

/** Seeds whatever part of the data set is missing; returns the counts the run reports. */
export async function seedDataset(
  ds: Record<string, DataSource>,
  modules: SubgraphModule[],
  size: DatasetSize,
  log: Logger,
  progress: (line: string) => void = () => {},
): Promise<DatasetReport> {
  const seededMs: Record<string, number> = {};
  const timed = async (step: string, fn: () => Promise<unknown>) => {
    const t = Date.now();
    await fn();
    seededMs[step] = Date.now() - t;
    progress(`${step} in ${(seededMs[step] / 1000).toFixed(1)} s`);
  };

  // Demo data first: the cabinets (access), the personas; all of it idempotent. The personas'
  // declarations are the declarations demo's: a bulk row an older bench run gave them goes.
  const personas = Object.values(DEMO_PERSONAS).map((p) => p.id);
  if (await tableExists(ds.declarations, 'declarations.declaration')) {
    // The doctors who lose a current declaration here get their stored count recounted
    // (docs/declarations.md: the public reads serve doctor_list.declarations).
    const gone = (await ds.declarations.query(
      `WITH gone AS (DELETE FROM declarations.declaration WHERE person_id = ANY($1::text[])
         AND id IN (md5('bench-declaration:current:' || person_id)::uuid, md5('bench-declaration:past:' || person_id)::uuid)
       RETURNING doctor_id)
       SELECT DISTINCT doctor_id FROM gone`,
      [personas],
    )) as { doctor_id: string }[];
    if (gone.length)
      await storeDeclarationCounts(
        ds.declarations,
        gone.map((r) => r.doctor_id),
      );
  }
  for (const mod of modules) await mod.seedDemo?.(ds[mod.name], log);

  // People: complete when the last one of the sequence exists (batches are written in order).
  if (!(await exists(ds.identity, 'identity.person', personId(PERSON_SEED, size.persons - 1)))) {
    await timed('persons', async () => {
      let last = 0;
      await seedPersons(ds.identity, {
        count: size.persons,
        seed: PERSON_SEED,
        batchSize: 5_000,
        onProgress: (done) => {
          if (done - last >= 100_000 || done === size.persons) {
            last = done;
            progress(`persons ${done.toLocaleString('en')} of ${size.persons.toLocaleString('en')}`);
          }
        },
      });
      // Statistics before the next steps join persons (the token pool): on a server with autovacuum
      // off, the planner otherwise guesses a handful of rows and a join over a million ran for minutes.
      await ds.identity.query('ANALYZE identity.person');
    });
  }

  let declarationsChanged = false;
  if (!(await exists(ds.directory, 'directory.doctor', doctorId(size.directorySeed, size.doctors - 1)))) {
    await timed('directory', () => seedDirectory(ds.directory, size, progress));
    declarationsChanged = true;
  }

  const people = await count(ds.identity, 'SELECT count(*) AS n FROM identity.person');
  const declarations = await count(ds.declarations, 'SELECT count(*) AS n FROM declarations.declaration');
  if (declarationsChanged || declarations < people * 0.9) {
    await timed('declarations', () => seedDeclarations(ds.declarations, personas, progress));
    await timed('doctorCounts', () => publishDoctorCounts(ds.declarations, ds.directory));
  }
  await timed('grants', () => seedGrants(ds.access, ds.declarations, size.tokenPool));
  // Prescriptions: ~2.5 per person (≥ 2,000,000 for the full data set), from the doctors of the people's declarations.
  if (ds.prescriptions && (await count(ds.prescriptions, 'SELECT count(*) AS n FROM prescriptions.prescription')) < people * 2) {
    await timed('prescriptions', () => seedPrescriptions(ds.prescriptions, ds.declarations, people, progress));
  }
  // Lab results: ~1.5 reports and ~3.75 observations per person (≥ 3,000,000 observations for the full data set).
  if (ds.records && (await count(ds.records, 'SELECT count(*) AS n FROM records.diagnostic_report')) < people) {
    await timed('records', () => seedRecords(ds.records, ds.declarations, people, progress));
  }

  // Statistics and visibility maps current before anything is measured, on every run: the
  // planner's estimates, index-only scans and GIN lookups (pending lists) depend on them, and
  // this server may run without autovacuum (the report says). Cheap when nothing changed.
  await timed('vacuum', () => vacuumAnalyze(ds));

  return {
    autovacuum: String(((await ds.identity.query('SHOW autovacuum')) as { autovacuum: string }[])[0].autovacuum),
    persons: people,
    doctors: await count(ds.directory, 'SELECT count(*) AS n FROM directory.doctor'),
    listedDoctors: await count(ds.directory, 'SELECT count(*) AS n FROM directory.doctor_listing'),
    divisions: await count(ds.directory, 'SELECT count(*) AS n FROM directory.division'),
    declarations: await count(ds.declarations, 'SELECT count(*) AS n FROM declarations.declaration'),
    activeDeclarations: await count(ds.declarations, "SELECT count(*) AS n FROM declarations.declaration WHERE status = 'ACTIVE'"),
    grants: await count(ds.access, 'SELECT count(*) AS n FROM access.access_grant'),
    prescriptions: ds.prescriptions ? await count(ds.prescriptions, 'SELECT count(*) AS n FROM prescriptions.prescription') : 0,
    observations: ds.records ? await count(ds.records, 'SELECT count(*) AS n FROM records.observation') : 0,
    seededMs,
  };
}

/**
 * The national directory: legal entities and divisions in one batch, doctors in chunks of 5,000
 * without rebuilding the search listing per chunk, then the listing once for everyone.
 */
async function seedDirectory(ds: DataSource, size: DatasetSize, progress: (line: string) => void): Promise<void> {
  const store = new ProviderStore(ds);
  const seed = size.directorySeed;
  const layout = createProviderLayout(seed, size.legalEntities, size.divisions);
  const providers = toProviderBatch({
    legalEntities: generateLegalEntities(seed, 0, size.legalEntities),
    divisions: generateDivisions(seed, 0, size.divisions, size.divisions, size.legalEntities, layout),
    doctors: [],
  });
  await store.insert(providers, 'none');
  const chunk = 5_000;
  for (let from = 0; from < size.doctors; from += chunk) {
    const doctors = generateDoctors(seed, from, Math.min(from + chunk, size.doctors), size.divisions, size.legalEntities, { layout });
    await store.insert(toProviderBatch({ legalEntities: [], divisions: [], doctors }), 'none');
    progress(`doctors ${Math.min(from + chunk, size.doctors).toLocaleString('en')} of ${size.doctors.toLocaleString('en')}`);
  }
  await store.refreshListing();
}

/** SQL for the eHealth number of sequence value `n` (base 18 over the declaration alphabet, as `formatDeclarationNumber`). */
function numberSql(n: string): string {
  const digit = (k: number) => `substr('${DECLARATION_NUMBER_ALPHABET}', ((${n} / ${18n ** BigInt(k)}) % 18)::int + 1, 1)`;
  return `'${DECLARATION_NUMBER_PREFIX}-' || ${[7, 6, 5, 4].map(digit).join(' || ')} || '-' || ${[3, 2, 1, 0].map(digit).join(' || ')}`;
}

/**
 * Declarations for everyone in the register, set-based on the server (a million rows in about a
 * minute): ~90% of people hold an ACTIVE declaration, ~10% also an older TERMINATED one. The
 * doctor is drawn by a hash of the person among listed doctors of a primary-care provider whose
 * speciality fits the person's age (pediatrician or family doctor under 18, therapist or family
 * doctor from 18), at one of the doctor's listed divisions. Ids derive from the person, so a
 * re-run inserts nothing twice.
 *
 * The bench reads identity's and the directory's tables here only to choose plausible
 * references; it writes nothing but the declarations subgraph's own tables.
 */
async function seedDeclarations(ds: DataSource, skipPersons: string[], progress: (line: string) => void): Promise<void> {
  const q = ds.createQueryRunner();
  await q.connect();
  try {
    await q.query('DROP TABLE IF EXISTS pg_temp.bench_doctor');
    await q.query(`
      CREATE TEMP TABLE bench_doctor AS
      SELECT grp, (row_number() OVER (PARTITION BY grp ORDER BY doctor_id) - 1)::int AS idx, doctor_id, division_id, legal_entity_id, speciality
      FROM (
        SELECT l.doctor_id, l.legal_entity_id, l.speciality,
          (SELECT p.division_id FROM directory.doctor_listing_place p WHERE p.doctor_id = l.doctor_id ORDER BY p.division_id LIMIT 1) AS division_id,
          g.grp
        FROM directory.doctor_listing l
        JOIN directory.legal_entity le ON le.id = l.legal_entity_id AND le.type IN ('PRIMARY_CARE', 'MSP')
        CROSS JOIN LATERAL (VALUES
          (CASE WHEN l.speciality IN ('FAMILY_DOCTOR', 'PEDIATRICIAN') THEN 'child' END),
          (CASE WHEN l.speciality IN ('FAMILY_DOCTOR', 'THERAPIST') THEN 'adult' END)) g(grp)
        WHERE g.grp IS NOT NULL
      ) s`);
    await q.query('CREATE INDEX ON pg_temp.bench_doctor (grp, idx)');
    await q.query('ANALYZE pg_temp.bench_doctor');
    const insert = (kind: 'current' | 'past') => `
      WITH grp AS (SELECT grp, count(*)::int AS n FROM pg_temp.bench_doctor GROUP BY grp),
      people AS (
        SELECT p.id::text AS person_id, abs(hashtext(p.id::text)) AS h,
          CASE WHEN p.birth_date > current_date - interval '18 years' THEN 'child' ELSE 'adult' END AS grp
        FROM identity.person p
        WHERE p.id <> ALL($1::uuid[])
      ),
      chosen AS (
        SELECT pe.person_id, pe.h, d.*
        FROM people pe
        JOIN grp g ON g.grp = pe.grp
        JOIN pg_temp.bench_doctor d ON d.grp = pe.grp AND d.idx = ((pe.h / 10) + ${kind === 'past' ? 7919 : 0}) % g.n
        WHERE ${kind === 'current' ? 'pe.h % 10 <> 0' : 'pe.h % 10 = 1'}
      ),
      numbered AS (SELECT c.*, nextval('declarations.declaration_number_seq') AS seq FROM chosen c)
      INSERT INTO declarations.declaration (id, number, person_id, doctor_id, division_id, legal_entity_id, speciality, status,
        start_date, end_date, signed_at, terminated_at, termination_reason)
      SELECT md5('bench-declaration:${kind}:' || person_id)::uuid, ${numberSql('seq')}, person_id, doctor_id::text, division_id::text,
        legal_entity_id::text, speciality,
        ${
          kind === 'current'
            ? `'ACTIVE', current_date - (h % 300)::int, current_date - (h % 300)::int + 365, (current_date - (h % 300)::int)::timestamptz, NULL, NULL`
            : `'TERMINATED', current_date - 800 - (h % 300)::int, current_date - 435 - (h % 300)::int, (current_date - 800 - (h % 300)::int)::timestamptz,
             (current_date - 600 - (h % 300)::int)::timestamptz, 'auto_new_declaration'`
        }
      FROM numbered
      ON CONFLICT DO NOTHING`;
    for (const kind of ['current', 'past'] as const) {
      const t = Date.now();
      await q.query(insert(kind), [skipPersons]);
      progress(`declarations (${kind}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    // One list row per doctor holding declarations: the row the service locks to serialise a list's
    // changes, with the stored count the public reads serve.
    await storeDeclarationCounts(q, null);
    await q.query('ANALYZE declarations.declaration');
  } finally {
    await q.release();
  }
}

/** Tells the directory each doctor's count, through its own store (what the outbox relay delivers at run time). */
async function publishDoctorCounts(declarations: DataSource, directory: DataSource): Promise<void> {
  const rows = (await declarations.query(
    `SELECT doctor_id, count(*)::int AS n FROM declarations.declaration WHERE status IN ('ACTIVE', 'PENDING_VERIFICATION') GROUP BY doctor_id`,
  )) as { doctor_id: string; n: number }[];
  const store = new ProviderStore(directory);
  for (let i = 0; i < rows.length; i += 2_000) {
    await store.recordDeclarationCounts(
      rows.slice(i, i + 2_000).map((r) => ({ doctorId: r.doctor_id, activeDeclarationCount: r.n })),
      DEFAULT_DECLARATION_LIMITS,
    );
  }
}

/**
 * Active grants to the state cabinet (every scope) and to Здоровʼя+ (its demo scopes) for the
 * token pool: the first `poolSize` adults, by id, who hold an ACTIVE declaration. Re-running
 * re-activates them (a previous run may have left one revoked).
 */
async function seedGrants(access: DataSource, declarations: DataSource, poolSize: number): Promise<void> {
  const ids = await selectPool(declarations, poolSize);
  for (const [cabinet, scopes] of [
    [DEMO_CABINETS.state.id, [...CABINET_SCOPES].sort()],
    [DEMO_CABINETS.zdorovia.id, [...DEMO_GRANT_SCOPES.zdorovia].sort()],
  ] as const) {
    await access.query(
      `INSERT INTO access.access_grant (id, person_id, cabinet_id, scopes, granted_at, expires_at, revoked_at, updated_at)
       SELECT md5('bench-grant:' || $2 || ':' || p)::uuid, p::uuid, $2::uuid, $3::text[], now() - interval '1 day', NULL, NULL, now()
       FROM unnest($1::text[]) AS p
       ON CONFLICT (person_id, cabinet_id) DO UPDATE SET scopes = EXCLUDED.scopes, expires_at = NULL, revoked_at = NULL, updated_at = now()
       WHERE access_grant.revoked_at IS NOT NULL OR access_grant.expires_at IS NOT NULL OR access_grant.scopes <> EXCLUDED.scopes`,
      [ids, cabinet, scopes],
    );
  }
}

/** The token pool: verified adults with an ACTIVE declaration (so they may sign up again), the first `n` by id. */
export async function selectPool(declarations: DataSource, n: number): Promise<string[]> {
  const rows = (await declarations.query(
    `SELECT d.person_id FROM declarations.declaration d
     JOIN identity.person p ON p.id = d.person_id::uuid
     WHERE d.status = 'ACTIVE' AND p.birth_date < current_date - interval '19 years' AND p.confidant_persons = '[]'::jsonb
       AND p.verification_status = 'VERIFIED'
     ORDER BY d.person_id LIMIT $1`,
    [n],
  )) as { person_id: string }[];
  return rows.map((r) => r.person_id);
}

/**
 * The prescriptions subgraph's national generator over the data set's people, prescribed by the
 * doctors (at their divisions and providers) of the people's ACTIVE declarations, so that the
 * gateway resolves every prescriber in the directory.
 */
async function seedPrescriptions(prescriptions: DataSource, declarations: DataSource, people: number, progress: (line: string) => void): Promise<void> {
  const prescribers = (await declarations.query(
    `SELECT DISTINCT doctor_id AS "doctorId", division_id AS "divisionId", legal_entity_id AS "legalEntityId"
     FROM declarations.declaration WHERE status = 'ACTIVE' AND legal_entity_id IS NOT NULL`,
  )) as { doctorId: string; divisionId: string; legalEntityId: string }[];
  const persons = Array.from({ length: people }, (_, i) => personId(PERSON_SEED, i));
  await seedNationalPrescriptions(prescriptions, { persons, prescribers, progress });
}

/**
 * The records subgraph's national generator over the data set's people, issued by the doctors
 * (and their providers) of the people's ACTIVE declarations, so that the gateway resolves every
 * performer in the directory.
 */
async function seedRecords(records: DataSource, declarations: DataSource, people: number, progress: (line: string) => void): Promise<void> {
  const performers = (await declarations.query(
    `SELECT DISTINCT doctor_id AS "doctorId", legal_entity_id AS "legalEntityId"
     FROM declarations.declaration WHERE status = 'ACTIVE' AND legal_entity_id IS NOT NULL`,
  )) as { doctorId: string; legalEntityId: string }[];
  const persons = Array.from({ length: people }, (_, i) => personId(PERSON_SEED, i));
  await seedNationalRecords(records, { persons, performers, progress });
}

/** `VACUUM (ANALYZE)` of every table in the subgraphs' schemas (a partitioned table's partitions included). */
async function vacuumAnalyze(ds: Record<string, DataSource>): Promise<void> {
  for (const [schema, source] of Object.entries(ds)) {
    const tables = (await source.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
      [schema],
    )) as { name: string }[];
    for (const t of tables) await source.query(`VACUUM (ANALYZE) ${t.name}`);
  }
}

/**
 * What publishCounts stores at run time, in bulk: each doctor's list row with the count of their
 * current declarations (docs/declarations.md), for the given doctors or (null) every doctor
 * holding declarations.
 */
async function storeDeclarationCounts(q: Pick<DataSource, 'query'>, doctorIds: string[] | null): Promise<void> {
  await q.query(
    // Named doctors are recounted even when they have no declaration left (a count of 0).
    `WITH doctor AS (SELECT DISTINCT doctor_id AS id FROM declarations.declaration WHERE $1::text[] IS NULL
                     UNION SELECT unnest($1::text[]))
     INSERT INTO declarations.doctor_list (doctor_id, declarations)
     SELECT doctor.id, (SELECT count(*) FROM declarations.declaration d
                        WHERE d.doctor_id = doctor.id AND d.status IN ('ACTIVE', 'PENDING_VERIFICATION'))::int FROM doctor
     ON CONFLICT (doctor_id) DO UPDATE SET declarations = EXCLUDED.declarations`,
    [doctorIds],
  );
}
