import type { DataSource } from 'typeorm';
import type { CursorKey } from '../domain/cursor';
import { Doctor } from '../entities/Doctor';
import { FUZZY_MIN_LENGTH, TYPO_SIMILARITY, type SearchQuery } from '../domain/searchArgs';
import { hotQuery } from '@pc/db';

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

/** The circle of a distance search: a `WITH` entry `c` (centre, chord), the centre as an expression, conditions on `pl`. */
interface Circle {
  constants: string;
  centre: string;
  where: string[];
}

/** A search over `doctor_listing` as SQL: the row source, its conditions, and how a page is ordered. */
interface Plan {
  from: string;
  where: string[];
  /** Expressions selected for the cursor, in sort order, ending with the doctor id. */
  keys: string[];
  /**
   * When the name (with the speciality) is the only criterion: the matching doctor ids as one
   * array expression from the word index, whose cardinality is the total.
   */
  ids: string | null;
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
  /**
   * @param firstWalk how many places a distance page walks first (default: 4 per row of the
   *   page, at least 64); tests make it tiny to exercise the longer walks.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly firstWalk?: number,
  ) {}

  /** One page: at most `q.first` hits after `q.after`, and whether more follow. */
  async page(q: SearchQuery): Promise<SearchPage> {
    if (q.near) return this.pageByDistance(q);
    const p = new Params();
    const plan = this.byListing(q, p, q.order === 'relevance');
    const conditions = [...plan.where];
    if (q.after) conditions.push(this.keyset(q.after, plan.keys, p));
    const limit = p.add(q.first + 1, 'int');
    const [idKey, ...sortKeys] = [plan.keys.at(-1)!, ...plan.keys.slice(0, -1)];
    const select = [`${idKey} AS id`, ...sortKeys.map((k, i) => `${k} AS k${i}`)];
    const counted = this.countsInPage(q);
    if (counted) select.push('count(*) OVER () AS total');
    const page =
      `SELECT ${select.join(', ')} FROM ${plan.from}` +
      `${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${plan.keys.join(', ')} LIMIT ${limit}`;
    // The page's doctor rows come with it (joined after the LIMIT, so only the page is read):
    // one round trip fewer on every search than loading them by id afterwards.
    const order = ['k0', 'k1'].slice(0, sortKeys.length).map((k) => `pg.${k}`);
    const sql = `SELECT pg.*, ${this.doctorColumns()} FROM (${page}) pg JOIN directory.doctor d ON d.id = pg.id ORDER BY ${[...order, 'pg.id'].join(', ')}`;
    const rows = await this.run(q, sql, p.values);
    const total = counted ? (rows.length ? Number(rows[0].total) : 0) : null;
    return { hits: this.hits(q, rows), hasNextPage: rows.length > q.first, total };
  }

  /**
   * Runs a statement of this search. Name and distance searches are prepared statements
   * ({@link hotQuery}): their plans do not depend on the values (a word range, a circle on the
   * GiST index), so planning once per connection is enough. Alphabetical ones, whose best plan
   * depends on how common the speciality or the place is (walk the sort order, or a GIN bitmap),
   * are planned for their values each time.
   */
  private async run(q: SearchQuery, sql: string, values: unknown[]): Promise<Record<string, unknown>[]> {
    if (q.near || q.nameWords) return hotQuery<Record<string, unknown>>(this.ds, sql, values);
    return (await this.ds.query(sql, values)) as Record<string, unknown>[];
  }

  /** The doctor table's columns, aliased `d_<column>`, for a page that brings its doctor rows. */
  private doctorColumns(): string {
    return this.ds
      .getMetadata(Doctor)
      .columns.map((c) => `d."${c.databaseName}" AS "d_${c.databaseName}"`)
      .join(', ');
  }

  /** The first `q.first` rows of a page as hits: cursor key and doctor entity. */
  private hits(q: SearchQuery, rows: Record<string, unknown>[]): SearchHit[] {
    const columns = this.ds.getMetadata(Doctor).columns;
    return rows.slice(0, q.first).map((row): SearchHit => {
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
  }

  /**
   * A page in distance order, nearest first on the GiST index: the places in the circle are
   * walked in order of distance (`ORDER BY earth <-> centre LIMIT k`, an index-only KNN scan
   * without other criteria), grouped by doctor, and the page taken from them. Among the first k
   * places, a doctor whose nearest seen place is closer than the farthest place walked is placed
   * exactly: any place not walked is at least that far. When the page's last row is not closer
   * than that (or k places did not reach past the cursor), the walk is repeated with 8k places,
   * and at last with no limit; a first page of 20 in central Kyiv walks 42 of 2,500 places. Twice
   * the page (at least 32): on 400 Kyiv centres of the national and the quick data set no first
   * page needed a second walk, and each place walked costs PostgreSQL ~10 µs in the generic plan
   * (walking 84, four times the page, cost 0.2–0.45 ms more per page on the quick set).
   * The first page carries its total: the number of distinct doctors among the places in the
   * circle, counted from the index alone (see {@link distanceCount}).
   */
  private async pageByDistance(q: SearchQuery): Promise<SearchPage> {
    for (let walk: number | null = this.firstWalk ?? Math.max(32, 2 * (q.first + 1)); ; walk = walk === null || walk * 8 > 5000 ? null : walk * 8) {
      const p = new Params();
      const circle = this.circle(q, p);
      const keys = ['n.dist', 'n.doctor_id'];
      const after = q.after ? ` WHERE ${this.keyset(q.after, keys, p)}` : '';
      const total = this.countsInPage(q) ? `(${this.distanceCount(circle)})` : 'NULL::int';
      const sql =
        `WITH ${circle.constants}, knn AS MATERIALIZED (SELECT pl.doctor_id, public.earth_distance(pl.earth, ${circle.centre}) AS dist ` +
        `FROM directory.doctor_listing_place pl WHERE ${circle.where.join(' AND ')} ` +
        `ORDER BY pl.earth OPERATOR(public.<->) ${circle.centre}${walk === null ? '' : ` LIMIT ${p.add(walk, 'int')}`}), ` +
        `edge AS (SELECT count(*)::int AS walked, max(dist) AS far FROM knn), ` +
        `pg AS (SELECT n.doctor_id AS id, n.dist AS k0 FROM (SELECT doctor_id, min(dist) AS dist FROM knn GROUP BY doctor_id) n${after} ` +
        `ORDER BY ${keys.join(', ')} LIMIT ${p.add(q.first + 1, 'int')}) ` +
        `SELECT pg.*, edge.walked, edge.far, ${total} AS total, ${this.doctorColumns()} ` +
        `FROM edge LEFT JOIN (pg JOIN directory.doctor d ON d.id = pg.id) ON true ORDER BY pg.k0, pg.id`;
      const result = await this.run(q, sql, p.values);
      const rows = result.filter((r) => r.id !== null);
      const { walked, far } = result[0] as { walked: number; far: number | null };
      const exhausted = walk === null || Number(walked) < walk;
      const settled = rows.length === q.first + 1 && far !== null && Number(rows[q.first].k0) < Number(far);
      if (exhausted || settled) {
        const counted = result[0].total;
        return { hits: this.hits(q, rows), hasNextPage: rows.length > q.first, total: counted === null ? null : Number(counted) };
      }
    }
  }

  /**
   * The circle of a distance search as conditions on `doctor_listing_place pl`: the bounding box
   * (`earth_box`, what the GiST index finds) and the circle itself as a chord: two points on the
   * sphere are within great-circle distance r exactly when the straight line between them (the
   * cube distance `<->`, what the index orders by) is at most 2·R·sin(r / 2R). That test reads only
   * the indexed point — no `earth_distance` (asin) per candidate, 5× cheaper on 2,500 places.
   * Doctor-level and place criteria are filters on the same rows, so "within 5 km, in Бровари" is
   * one division that is both.
   */
  private circle(q: SearchQuery, p: Params): Circle {
    const near = q.near!;
    const radius = p.add(near.radiusMetres, 'float8');
    // Centre and chord once per execution (a CTE read through scalar subqueries, i.e. InitPlans):
    // in a prepared statement's generic plan `ll_to_earth($1, $2)` is not folded into a constant
    // and would be rebuilt (three cube constructions) for every candidate place.
    const constants =
      `c AS (SELECT public.ll_to_earth(${p.add(near.latitude, 'float8')}, ${p.add(near.longitude, 'float8')}) AS centre, ` +
      `2 * public.earth() * sin(${radius} / (2 * public.earth())) AS chord)`;
    const centre = '(SELECT c.centre FROM c)';
    const where = [
      `public.earth_box(${centre}, ${radius}) OPERATOR(public.@>) pl.earth`,
      `(pl.earth OPERATOR(public.<->) ${centre}) <= (SELECT c.chord FROM c)`,
      ...this.doctorConditions(q, p, 'pl').where,
    ];
    if (q.settlementKey) where.push(`pl.settlement_key = ${p.add(q.settlementKey)}`);
    if (q.areaKey) where.push(`pl.area_key = ${p.add(q.areaKey)}`);
    if (q.divisionId) where.push(`pl.division_id = ${p.add(q.divisionId, 'uuid')}`);
    return { constants, centre, where };
  }

  /**
   * The doctors with a place in the circle, exactly: a place of a doctor with one listed place is
   * one doctor (`count(*)`), and only the places of doctors with several (`multi_place`, about a
   * third of the places in a city) go through the sort of `count(DISTINCT doctor_id)` — on the
   * national data set that sort was three quarters of the count's cost. An index-only scan of the
   * GiST index (point, doctor, multi_place) when no other criterion needs the row.
   */
  private distanceCount(circle: Circle): string {
    return (
      `SELECT (count(*) FILTER (WHERE NOT pl.multi_place) + count(DISTINCT pl.doctor_id) FILTER (WHERE pl.multi_place))::int ` +
      `FROM directory.doctor_listing_place pl WHERE ${circle.where.join(' AND ')}`
    );
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
    let sql: string;
    if (q.near) {
      const circle = this.circle(q, p);
      sql = `WITH ${circle.constants} SELECT (${this.distanceCount(circle)}) AS n`;
    } else {
      const plan = this.byListing(q, p, false);
      // Name (and speciality) only: the matching ids are already one array from the word index.
      sql = plan.ids
        ? `SELECT cardinality(${plan.ids})::int AS n`
        : `SELECT count(*)::int AS n FROM ${plan.from}${plan.where.length ? ` WHERE ${plan.where.join(' AND ')}` : ''}`;
    }
    const [row] = (await this.run(q, sql, p.values)) as { n: number }[];
    return Number(row.n);
  }

  /**
   * Conditions on the doctor-level columns, which both tables carry under the same names. The
   * name words carry the speciality too (`doctor_listing_word.speciality`), so with a name the
   * speciality is applied in the word index and `l.speciality` is not tested again.
   */
  private doctorConditions(q: SearchQuery, p: Params, t: string): { where: string[]; ids: string | null } {
    const where: string[] = [];
    let ids: string | null = null;
    if (q.speciality && !q.nameWords) where.push(`${t}.speciality = ${p.add(q.speciality)}`);
    if (q.legalEntityId) where.push(`${t}.legal_entity_id = ${p.add(q.legalEntityId, 'uuid')}`);
    if (q.acceptingNewPatients !== null) where.push(`${t}.accepting_new_patients = ${p.add(q.acceptingNewPatients, 'boolean')}`);
    if (q.nameWords) {
      // The doctors whose name has every word, as one array: PostgreSQL then fetches just those
      // rows by primary key instead of hashing the whole listing against the matches.
      const speciality = q.speciality ? p.add(q.speciality, 'text') : null;
      const perWord = q.nameWords.map((w) => `(${this.wordMatches(w, speciality, p)})`);
      ids = `ARRAY(${perWord.join(' INTERSECT ')})`;
      where.push(`${t}.doctor_id = ANY (${ids})`);
    }
    return { where, ids };
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
   * explicit threshold decides, so no session setting matters. With a speciality, the range is
   * one of (speciality, word, doctor_id): only that speciality's doctors, from the index alone.
   */
  private wordMatches(w: string, speciality: string | null, p: Params): string {
    const ofSpeciality = speciality ? ` AND lw.speciality = ${speciality}` : '';
    const prefix = `SELECT lw.doctor_id FROM directory.doctor_listing_word lw WHERE ${startsWith('lw', w, p)}${ofSpeciality}`;
    if (w.length < FUZZY_MIN_LENGTH) return prefix;
    const typo = p.add(w, 'text');
    return (
      `${prefix} UNION ALL SELECT lw.doctor_id FROM directory.doctor_listing_word lw ` +
      // Whether the word is a prefix of any listed name, whatever the speciality: the same
      // reading of the word (prefix or typo) with or without a speciality filter.
      `WHERE NOT EXISTS (SELECT 1 FROM directory.doctor_listing_word x WHERE ${startsWith('x', w, p)})${ofSpeciality} ` +
      `AND lw.word IN (SELECT nw.word FROM directory.name_word nw ` +
      `WHERE nw.word OPERATOR(public.%) ${typo} AND public.similarity(nw.word, ${typo}) >= ${TYPO_SIMILARITY})`
    );
  }

  /** Alphabetical or relevance order over `doctor_listing`. */
  private byListing(q: SearchQuery, p: Params, ranked: boolean): Plan {
    const { where, ids } = this.doctorConditions(q, p, 'l');
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
    return { from: 'directory.doctor_listing l', where, keys: order, ids: where.length === 1 ? ids : null };
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
