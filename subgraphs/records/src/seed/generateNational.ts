import type { DataSource } from 'typeorm';

/** Who issues results: a doctor of a provider (ids of the directory's records). */
export interface Performer {
  doctorId: string;
  legalEntityId: string;
}

/** What {@link seedNationalRecords} writes. */
export interface NationalRecordsOptions {
  /** The people (identity's ids); each gets 1 to 2 × `perPerson` − 1 laboratory reports (on average `perPerson`). */
  persons: readonly string[];
  /** Who issues them; a person's reports come from one of them (chosen by the person's id). */
  performers: readonly Performer[];
  /** Average reports per person; default 1.5 (1,000,000 people → about 1,500,000 reports and 3,750,000 observations). */
  perPerson?: number;
  /** Seed of the choices; default 1. */
  seed?: number;
  /** People per INSERT statement; default 100,000. */
  batch?: number;
  progress?: (line: string) => void;
}

/**
 * Writes a national-scale set of laboratory reports with their observations, set-based: per batch
 * of people one INSERT … SELECT over `unnest(people) × generate_series` writes the reports and,
 * from its RETURNING joined with the service catalogue (records.service_test), every test of each
 * (2.5 per report on average: a blood count has 6, a glucose test 1). Every choice is a hash of the
 * person, the row and the seed: the service (the 8 laboratory services alike), the day in the last
 * two years (whole seconds), the value (about 20% below and 20% above the range; 10% of
 * qualitative results abnormal), so the data is the same on every run. Idempotent per person (ids
 * are md5 of seed, person and row; ON CONFLICT DO NOTHING).
 *
 * @returns reports and observations in the tables afterwards
 */
export async function seedNationalRecords(ds: DataSource, o: NationalRecordsOptions): Promise<{ reports: number; observations: number }> {
  const perPerson = o.perPerson ?? 1.5;
  const seed = o.seed ?? 1;
  const batch = o.batch ?? 100_000;
  const maxPer = Math.max(1, Math.round(2 * perPerson - 1));
  const q = ds.createQueryRunner();
  await q.connect();
  try {
    for (let start = 0; start < o.persons.length; start += batch) {
      const people = o.persons.slice(start, start + batch);
      const t = Date.now();
      await q.query(
        `WITH services AS (
           SELECT service_code, service_display, row_number() OVER (ORDER BY service_code) - 1 AS k, count(*) OVER () AS n
           FROM (SELECT DISTINCT service_code, service_display FROM records.service_test WHERE category = 'LABORATORY') s),
         rows AS (
           SELECT p.id AS person_id, g,
                  ('x' || substr(md5($1::text || ':' || p.id || ':' || g), 1, 8))::bit(32)::int & 2147483647 AS h,
                  ('x' || substr(md5($1::text || ':' || p.id), 1, 8))::bit(32)::int & 2147483647 AS ph
           FROM unnest($2::uuid[]) AS p(id)
           CROSS JOIN LATERAL generate_series(1, 1 + (('x' || substr(md5('n:' || p.id), 1, 4))::bit(16)::int % $3)) g),
         inserted AS (
           INSERT INTO records.diagnostic_report
             (id, person_id, category, service_code, service_display, status, issued_at, performer_id, doctor_id, conclusion, recorded_at)
           SELECT md5('report:' || $1 || ':' || r.person_id || ':' || r.g)::uuid, r.person_id, 'LABORATORY', s.service_code, s.service_display, 'FINAL',
                  (current_date - (r.h % 730))::timestamp + time '07:00' + (r.h % 36000) * interval '1 second',
                  ($5::uuid[])[1 + r.ph % $6], ($4::uuid[])[1 + r.ph % $6], NULL,
                  (current_date - (r.h % 730))::timestamp + time '18:00'
           FROM rows r JOIN services s ON s.k = (r.h / 7) % s.n
           ON CONFLICT DO NOTHING
           RETURNING id, service_code)
         INSERT INTO records.observation (report_id, position, code, display, value, unit, low, high, ref_text, interpretation)
         SELECT i.id, t.position, t.test_code, t.test_display, v.value, t.unit, t.low, t.high, t.ref_text, v.interpretation
         FROM inserted i
         JOIN records.service_test t ON t.service_code = i.service_code AND t.test_code IS NOT NULL
         CROSS JOIN LATERAL (SELECT abs(hashtext(i.id::text || ':' || t.position)) % 140 AS x) hx
         CROSS JOIN LATERAL (SELECT CASE WHEN t.low IS NULL AND t.high IS NULL THEN NULL
                                         ELSE round((t.low + (t.high - t.low) * (hx.x - 20) / 100.0)::numeric, 2) END AS num) n
         CROSS JOIN LATERAL (SELECT
             CASE WHEN n.num IS NULL THEN CASE WHEN hx.x % 10 = 0 THEN t.allowed_values[array_length(t.allowed_values, 1)] ELSE t.ref_text END
                  ELSE greatest(n.num, 0)::text END AS value,
             CASE WHEN n.num IS NULL THEN CASE WHEN hx.x % 10 = 0 THEN 'ABNORMAL' ELSE 'NORMAL' END
                  WHEN greatest(n.num, 0) < t.low THEN 'LOW' WHEN greatest(n.num, 0) > t.high THEN 'HIGH' ELSE 'NORMAL' END AS interpretation) v
         ON CONFLICT DO NOTHING`,
        [seed, people, maxPer, o.performers.map((p) => p.doctorId), o.performers.map((p) => p.legalEntityId), o.performers.length],
      );
      o.progress?.(
        `records: ${Math.min(start + batch, o.persons.length).toLocaleString('en')} of ${o.persons.length.toLocaleString('en')} people (${Date.now() - t} ms)`,
      );
    }
    await q.query('ANALYZE records.diagnostic_report');
    await q.query('ANALYZE records.observation');
    const [{ r, ob }] = await q.query(`SELECT (SELECT count(*) FROM records.diagnostic_report) AS r, (SELECT count(*) FROM records.observation) AS ob`);
    return { reports: Number(r), observations: Number(ob) };
  } finally {
    await q.release();
  }
}
