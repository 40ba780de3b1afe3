import type { DataSource } from 'typeorm';
import type { CursorKey } from '../domain/cursor';
import { FUZZY_MIN_LENGTH, TYPO_SIMILARITY, type SearchQuery } from '../domain/searchArgs';

/** One doctor on a result page, with the key its cursor encodes. */
export interface SearchHit {
  id: string;
  key: CursorKey;
}

/** A page of doctor ids in result order. */
export interface SearchPage {
  hits: SearchHit[];
  hasNextPage: boolean;
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

// Only letters and digits survive searchWords(), but LIKE metacharacters are escaped anyway so
// that a future change to the normaliser cannot turn input into a pattern.
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The SQL of public doctor search over `directory.doctor_listing` (listed doctors only; see the
 * migration). Every filter is a condition on that one table, except distance, which first
 * collects the nearest listed division of each doctor from `doctor_listing_place` through its
 * GiST index (`earth_box` to use the index, `earth_distance` for the exact circle).
 *
 * Pages use keyset pagination on the order's sort key with the doctor id as tie-breaker; the
 * count is a separate statement, run only when the client asks for `totalCount`.
 */
export class DoctorSearch {
  constructor(private readonly ds: DataSource) {}

  /** One page: at most `q.first` hits after `q.after`, and whether more follow. */
  async page(q: SearchQuery): Promise<SearchPage> {
    const p = new Params();
    const { from, where, rank, sortColumns } = this.build(q, p, q.order === 'relevance');
    const conditions = [...where];
    if (q.after) conditions.push(this.keyset(q.after, rank, p));
    const limit = p.add(q.first + 1, 'int');
    const select = [
      'l.doctor_id AS id',
      q.order === 'distance' ? 'n.dist AS d' : 'l.sort_key AS k',
      ...(q.order === 'relevance' ? [`${rank} AS r`] : []),
    ];
    const sql = `${from.with}SELECT ${select.join(', ')} FROM ${from.tables}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${sortColumns} LIMIT ${limit}`;
    const rows = (await this.ds.query(sql, p.values)) as { id: string; k?: string; d?: number; r?: number }[];
    const hits = rows.slice(0, q.first).map((row): SearchHit => {
      const key: CursorKey =
        q.order === 'distance'
          ? { order: 'distance', distance: Number(row.d), id: row.id }
          : q.order === 'relevance'
            ? { order: 'relevance', rank: Number(row.r), sortKey: String(row.k), id: row.id }
            : { order: 'alphabetical', sortKey: String(row.k), id: row.id };
      return { id: row.id, key };
    });
    return { hits, hasNextPage: rows.length > q.first };
  }

  /** How many listed doctors match the filter (ignores `first` and `after`). */
  async count(q: SearchQuery): Promise<number> {
    const p = new Params();
    const { from, where } = this.build(q, p, false);
    const sql = `${from.with}SELECT count(*)::int AS n FROM ${from.tables}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    const [row] = (await this.ds.query(sql, p.values)) as { n: number }[];
    return Number(row.n);
  }

  /** FROM and WHERE of a search; `ranked` adds the relevance expression (pages only: counts don't sort). */
  private build(q: SearchQuery, p: Params, ranked: boolean) {
    const where: string[] = [];
    if (q.speciality) where.push(`l.speciality = ${p.add(q.speciality)}`);
    if (q.legalEntityId) where.push(`l.legal_entity_id = ${p.add(q.legalEntityId, 'uuid')}`);
    if (q.acceptingNewPatients !== null) where.push(`l.accepting_new_patients = ${p.add(q.acceptingNewPatients, 'boolean')}`);

    let rank = '0';
    if (q.nameWords) {
      const prefixes = q.nameWords.map((w) => `l.name_key LIKE ${p.add(`% ${likeEscape(w)}%`)}`);
      q.nameWords.forEach((w, i) => {
        // Short words match only as prefixes: a trigram of two letters says nothing about typos.
        if (w.length < FUZZY_MIN_LENGTH) return where.push(prefixes[i]);
        // A typo: some word of the name is similar to this one. `%` (similarity above
        // pg_trgm.similarity_threshold, 0.3 by default) lets the trigram index find candidates;
        // the explicit threshold decides, so no session setting is needed.
        const word = p.add(w);
        where.push(
          `(${prefixes[i]} OR l.doctor_id IN (SELECT lw.doctor_id FROM directory.doctor_listing_word lw ` +
            `WHERE lw.word OPERATOR(public.%) ${word} AND public.similarity(lw.word, ${word}) >= ${TYPO_SIMILARITY}))`,
        );
      });
      if (ranked) {
        // 0: the first word starts the last name and every word is a prefix; 1: every word is a
        // prefix of some name; 2: at least one word matched only by similarity (a typo).
        const lastNamePrefix = `l.name_key LIKE ${p.add(` ${likeEscape(q.nameWords[0])}%`)}`;
        rank = `(CASE WHEN ${prefixes.join(' AND ')} THEN (CASE WHEN ${lastNamePrefix} THEN 0 ELSE 1 END) ELSE 2 END)`;
      }
    }

    if (!q.near) {
      // Place criteria on the listing row: one GIN containment test covers all of them.
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
      const sortColumns = q.order === 'relevance' ? `${rank}, l.sort_key, l.doctor_id` : 'l.sort_key, l.doctor_id';
      return { from: { with: '', tables: 'directory.doctor_listing l' }, where, rank, sortColumns };
    }

    // Distance: the nearest listed division per doctor within the radius. Place criteria apply
    // to the division rows here, so "within 5 km, in Бровари" means one division that is both.
    const centre = `public.ll_to_earth(${p.add(q.near.latitude, 'float8')}, ${p.add(q.near.longitude, 'float8')})`;
    const radius = p.add(q.near.radiusMetres, 'float8');
    const point = 'public.ll_to_earth(pl.latitude, pl.longitude)';
    const placeWhere = [
      `public.earth_box(${centre}, ${radius}) OPERATOR(public.@>) ${point}`,
      `public.earth_distance(${point}, ${centre}) <= ${radius}`,
    ];
    if (q.settlementKey) placeWhere.push(`pl.settlement_key = ${p.add(q.settlementKey)}`);
    if (q.areaKey) placeWhere.push(`pl.area_key = ${p.add(q.areaKey)}`);
    if (q.divisionId) placeWhere.push(`pl.division_id = ${p.add(q.divisionId, 'uuid')}`);
    const cte =
      `WITH n AS (SELECT pl.doctor_id, min(public.earth_distance(${point}, ${centre})) AS dist ` +
      `FROM directory.doctor_listing_place pl WHERE ${placeWhere.join(' AND ')} GROUP BY pl.doctor_id) `;
    return {
      from: { with: cte, tables: 'n JOIN directory.doctor_listing l ON l.doctor_id = n.doctor_id' },
      where,
      rank,
      sortColumns: 'n.dist, l.doctor_id',
    };
  }

  private keyset(after: CursorKey, rank: string, p: Params): string {
    const id = p.add(after.id, 'uuid');
    switch (after.order) {
      case 'alphabetical':
        return `(l.sort_key, l.doctor_id) > (${p.add(after.sortKey, 'text')}, ${id})`;
      case 'relevance':
        return `(${rank}, l.sort_key, l.doctor_id) > (${p.add(after.rank, 'int')}, ${p.add(after.sortKey, 'text')}, ${id})`;
      case 'distance':
        return `(n.dist, l.doctor_id) > (${p.add(after.distance, 'float8')}, ${id})`;
    }
  }
}
