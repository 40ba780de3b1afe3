import type { DataSource } from 'typeorm';
import type { CursorKey } from '../domain/cursor';
import { Doctor } from '../entities/Doctor';
import { FUZZY_MIN_LENGTH, TYPO_SIMILARITY, type SearchQuery } from '../domain/searchArgs';

/** One doctor on a result page, with the key its cursor encodes and the doctor's row. */
export interface SearchHit {
  id: string;
  key: CursorKey;
  doctor: Doctor;
}

/** A page of doctor ids in result order. */
export interface SearchPage {
  hits: SearchHit[];
  hasNextPage: boolean;
  /** Every match, when the page query could count them for free (see {@link DoctorSearch.page}). */
  total: number | null;
}

/** Collects positional parameters while SQL text is built. */
class Params {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder, with a cast when given. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

// The largest code point: in the "C" collation every string that starts with `w` sorts below
// `w + MAX_CHAR`, so [w, w + MAX_CHAR) is the range of words with that prefix.
const MAX_CHAR = String.fromCodePoint(0x10ffff);

/** `<alias>.word` starts with `prefix`: the range [prefix, prefix + MAX_CHAR) of a B-tree in the "C" collation. */
const startsWith = (alias: string, prefix: string, p: Params): string =>
  `${alias}.word >= ${p.add(prefix, 'text')} AND ${alias}.word < ${p.add(prefix + MAX_CHAR, 'text')}`;

// Only letters and digits survive searchWords(), but LIKE metacharacters are escaped anyway so
// that a future change to the normaliser cannot turn input into a pattern.
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A search as SQL: the row source, its conditions, and how a page is ordered. */
interface Plan {
  /** `WITH …` prefix, or empty. */
  with: string;
  from: string;
  where: string[];
  /** Expressions selected for the cursor, in sort order, ending with the doctor id. */
  keys: string[];
  /** Column list of the count. */
  counted: string;
}

/**
 * The SQL of public doctor search. The tables hold listed doctors only (see the migrations):
 *
 * - `doctor_listing`, one row per doctor: speciality, legal entity, accepting, and `place_keys`
 *   (division, settlement, area, area/settlement) under a GIN index;
 * - `doctor_listing_word`, the words of each name: a prefix is a B-tree range on (word,
 *   doctor_id); a typo is a trigram match among the distinct spellings (`name_word`);
 * - `doctor_listing_place`, one row per doctor and ACTIVE division with its coordinates and a
 *   copy of the doctor-level columns, so a distance search is one GiST scan (`earth_box` for the
 *   index, `earth_distance` for the exact circle) grouped by doctor.
 *
 * Pages use keyset pagination on the order's sort key with the doctor id as tie-breaker; the
 * count is a separate statement, run only when the client asks for `totalCount`.
 */
export class DoctorSearch {
  constructor(private readonly ds: DataSource) {}

  /** One page: at most `q.first` hits after `q.after`, and whether more follow. */
  async page(q: SearchQuery): Promise<SearchPage> {
    const p = new Params();
    const plan = q.near ? this.byDistance(q, p) : this.byListing(q, p, q.order === 'relevance');
    const conditions = [...plan.where];
    if (q.after) conditions.push(this.keyset(q.after, plan.keys, p));
    const limit = p.add(q.first + 1, 'int');
    const [idKey, ...sortKeys] = [plan.keys.at(-1)!, ...plan.keys.slice(0, -1)];
    const select = [`${idKey} AS id`, ...sortKeys.map((k, i) => `${k} AS k${i}`)];
    const counted = this.countsInPage(q);
    if (counted) select.push('count(*) OVER () AS total');
    const page =
      `${plan.with}SELECT ${select.join(', ')} FROM ${plan.from}` +
      `${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${plan.keys.join(', ')} LIMIT ${limit}`;
    // The page's doctor rows come with it (joined after the LIMIT, so only the page is read):
    // one round trip fewer on every search than loading them by id afterwards.
    const columns = this.ds.getMetadata(Doctor).columns;
    const doctorColumns = columns.map((c) => `d."${c.databaseName}" AS "d_${c.databaseName}"`).join(', ');
    const order = ['k0', 'k1'].slice(0, sortKeys.length).map((k) => `pg.${k}`);
    const sql = `SELECT pg.*, ${doctorColumns} FROM (${page}) pg JOIN directory.doctor d ON d.id = pg.id ORDER BY ${[...order, 'pg.id'].join(', ')}`;
    const rows = (await this.ds.query(sql, p.values)) as Record<string, unknown>[];
    const hits = rows.slice(0, q.first).map((row): SearchHit => {
      const id = String(row.id);
      const key: CursorKey =
        q.order === 'distance'
          ? { order: 'distance', distance: Number(row.k0), id }
          : q.order === 'relevance'
            ? { order: 'relevance', rank: Number(row.k0), sortKey: String(row.k1), id }
            : { order: 'alphabetical', sortKey: String(row.k0), id };
      // pg has already parsed every column type the entity uses (jsonb, timestamptz, numbers).
      const doctor = Object.assign(new Doctor(), Object.fromEntries(columns.map((c) => [c.propertyName, row[`d_${c.databaseName}`]])));
      return { id, key, doctor };
    });
    const total = counted ? (rows.length ? Number(rows[0].total) : 0) : null;
    return { hits, hasNextPage: rows.length > q.first, total };
  }

  /**
   * Whether {@link page} returns the total itself. Distance and relevance pages sort every match
   * anyway, so on a first page the total is one window aggregate away instead of a second
   * statement that finds the matches again.
   */
  countsInPage(q: SearchQuery): boolean {
    return !q.after && q.order !== 'alphabetical';
  }

  /** How many listed doctors match the filter (ignores `first` and `after`). */
  async count(q: SearchQuery): Promise<number> {
    const p = new Params();
    const plan = q.near ? this.byDistance(q, p) : this.byListing(q, p, false);
    const sql = `${plan.with}SELECT count(${plan.counted})::int AS n FROM ${plan.from}${plan.where.length ? ` WHERE ${plan.where.join(' AND ')}` : ''}`;
    const [row] = (await this.ds.query(sql, p.values)) as { n: number }[];
    return Number(row.n);
  }

  /** Conditions on the doctor-level columns, which both tables carry under the same names. */
  private doctorConditions(q: SearchQuery, p: Params, t: string): string[] {
    const where: string[] = [];
    if (q.speciality) where.push(`${t}.speciality = ${p.add(q.speciality)}`);
    if (q.legalEntityId) where.push(`${t}.legal_entity_id = ${p.add(q.legalEntityId, 'uuid')}`);
    if (q.acceptingNewPatients !== null) where.push(`${t}.accepting_new_patients = ${p.add(q.acceptingNewPatients, 'boolean')}`);
    if (q.nameWords) {
      // The doctors whose name has every word, as one array: PostgreSQL then fetches just those
      // rows by primary key instead of hashing the whole listing against the matches.
      const perWord = q.nameWords.map((w) => `(${this.wordMatches(w, p)})`);
      where.push(`${t}.doctor_id = ANY (ARRAY(${perWord.join(' INTERSECT ')}))`);
    }
    return where;
  }

  /**
   * Doctors with a name word matching `w`: every word that starts with `w` (a B-tree range,
   * answered from the index alone). Only when no listed name has a word starting with `w` —
   * then it is no prefix the user is typing but a misspelling — words of 4+ letters whose
   * spelling has trigram similarity ≥ {@link TYPO_SIMILARITY}, looked up among the distinct
   * spellings (`name_word`, trigram index) and then by equality. The second branch sits under a
   * constant condition, which PostgreSQL evaluates once and which skips the trigram search
   * entirely when the prefix exists (the common case). `%` (similarity above
   * pg_trgm.similarity_threshold, 0.3 by default) lets the index find candidates and the
   * explicit threshold decides, so no session setting matters.
   */
  private wordMatches(w: string, p: Params): string {
    const prefix = `SELECT lw.doctor_id FROM directory.doctor_listing_word lw WHERE ${startsWith('lw', w, p)}`;
    if (w.length < FUZZY_MIN_LENGTH) return prefix;
    const typo = p.add(w, 'text');
    return (
      `${prefix} UNION ALL SELECT lw.doctor_id FROM directory.doctor_listing_word lw ` +
      `WHERE NOT EXISTS (SELECT 1 FROM directory.doctor_listing_word x WHERE ${startsWith('x', w, p)}) ` +
      `AND lw.word IN (SELECT nw.word FROM directory.name_word nw ` +
      `WHERE nw.word OPERATOR(public.%) ${typo} AND public.similarity(nw.word, ${typo}) >= ${TYPO_SIMILARITY})`
    );
  }

  /** Alphabetical or relevance order over `doctor_listing`. */
  private byListing(q: SearchQuery, p: Params, ranked: boolean): Plan {
    const where = this.doctorConditions(q, p, 'l');
    // Place criteria: one GIN containment test on the listing row covers all of them.
    const keys: string[] = [];
    if (q.settlementKey && q.areaKey) keys.push(`as:${q.areaKey}/${q.settlementKey}`);
    else if (q.settlementKey) keys.push(`s:${q.settlementKey}`);
    else if (q.areaKey) keys.push(`a:${q.areaKey}`);
    if (q.divisionId) keys.push(`d:${q.divisionId}`);
    if (keys.length) where.push(`l.place_keys @> ${p.add(keys, 'text[]')}`);
    // With a division, the place criteria must hold for that same division: a constant test
    // PostgreSQL evaluates once (an InitPlan), not per row.
    if (q.divisionId && (q.settlementKey || q.areaKey)) {
      const same = [`pd.division_id = ${p.add(q.divisionId, 'uuid')}`];
      if (q.settlementKey) same.push(`pd.settlement_key = ${p.add(q.settlementKey)}`);
      if (q.areaKey) same.push(`pd.area_key = ${p.add(q.areaKey)}`);
      where.push(`EXISTS (SELECT 1 FROM directory.doctor_listing_place pd WHERE ${same.join(' AND ')})`);
    }
    const order = ['l.sort_key', 'l.doctor_id'];
    if (ranked && q.nameWords) {
      // Computed on the matches only. 0: the first word starts the last name and every word
      // is a prefix; 1: every word is a prefix of some name; 2: some word matched as a typo.
      const prefixes = q.nameWords.map((w) => `l.name_key LIKE ${p.add(`% ${likeEscape(w)}%`)}`);
      const lastNamePrefix = `l.name_key LIKE ${p.add(` ${likeEscape(q.nameWords[0])}%`)}`;
      order.unshift(`(CASE WHEN ${prefixes.join(' AND ')} THEN (CASE WHEN ${lastNamePrefix} THEN 0 ELSE 1 END) ELSE 2 END)`);
    }
    return { with: '', from: 'directory.doctor_listing l', where, keys: order, counted: '*' };
  }

  /**
   * Distance order over `doctor_listing_place`: the nearest listed division of each doctor
   * within the radius. Place criteria apply to the division rows, so "within 5 km, in Бровари"
   * means one division that is both.
   */
  private byDistance(q: SearchQuery, p: Params): Plan {
    const near = q.near!;
    const centre = `public.ll_to_earth(${p.add(near.latitude, 'float8')}, ${p.add(near.longitude, 'float8')})`;
    const radius = p.add(near.radiusMetres, 'float8');
    const point = 'pl.earth';
    const where = [`public.earth_box(${centre}, ${radius}) OPERATOR(public.@>) ${point}`, ...this.doctorConditions(q, p, 'pl')];
    if (q.settlementKey) where.push(`pl.settlement_key = ${p.add(q.settlementKey)}`);
    if (q.areaKey) where.push(`pl.area_key = ${p.add(q.areaKey)}`);
    if (q.divisionId) where.push(`pl.division_id = ${p.add(q.divisionId, 'uuid')}`);
    // The box finds candidates through the index; each distance is computed once (MATERIALIZED
    // keeps PostgreSQL from copying the expression into the circle test and the minimum).
    const nearest =
      `WITH pd AS MATERIALIZED (SELECT pl.doctor_id, public.earth_distance(${point}, ${centre}) AS dist ` +
      `FROM directory.doctor_listing_place pl WHERE ${where.join(' AND ')}), ` +
      `n AS (SELECT pd.doctor_id, min(pd.dist) AS dist FROM pd WHERE pd.dist <= ${radius} GROUP BY pd.doctor_id) `;
    return { with: nearest, from: 'n', where: [], keys: ['n.dist', 'n.doctor_id'], counted: '*' };
  }

  /** Rows strictly after the cursor in the plan's order (a row comparison on the sort keys). */
  private keyset(after: CursorKey, keys: string[], p: Params): string {
    const id = p.add(after.id, 'uuid');
    const values =
      after.order === 'alphabetical'
        ? [p.add(after.sortKey, 'text'), id]
        : after.order === 'relevance'
          ? [p.add(after.rank, 'int'), p.add(after.sortKey, 'text'), id]
          : [p.add(after.distance, 'float8'), id];
    return `(${keys.join(', ')}) > (${values.join(', ')})`;
  }
}
