import type { DataSource, EntityManager } from 'typeorm';
import type { DiagnosticReport, ObservationRow, ReportCategory, ReportStatus } from './entities/DiagnosticReport';

/*
 * The subgraph's raw SQL, all of it: a report is read with its observations in ONE statement
 * (a correlated json_agg), whether a page or a set of ids is asked for.
 */

interface ReportRow {
  id: string;
  person_id: string;
  category: ReportCategory;
  service_code: string;
  service_display: string;
  status: ReportStatus;
  issued_at: Date;
  performer_id: string | null;
  doctor_id: string;
  conclusion: string | null;
  recorded_at: Date;
  observations: ObservationRow[];
}

const REPORT_COLUMNS = `r.id, r.person_id, r.category, r.service_code, r.service_display, r.status, r.issued_at, r.performer_id, r.doctor_id,
  r.conclusion, r.recorded_at,
  COALESCE((SELECT json_agg(json_build_object('system', 'LOINC', 'code', o.code, 'display', o.display, 'value', o.value, 'unit', o.unit,
      'low', o.low, 'high', o.high, 'text', o.ref_text, 'interpretation', o.interpretation) ORDER BY o.position)
    FROM records.observation o WHERE o.report_id = r.id), '[]'::json) AS observations`;

const toReport = (r: ReportRow): DiagnosticReport => ({
  id: r.id,
  personId: r.person_id,
  category: r.category,
  serviceCode: r.service_code,
  serviceDisplay: r.service_display,
  status: r.status,
  issuedAt: r.issued_at,
  performerId: r.performer_id,
  doctorId: r.doctor_id,
  conclusion: r.conclusion,
  recordedAt: r.recorded_at,
  observations: r.observations,
});

/** One page of a person's reports, newest first (issued_at, id), with observations: one statement. */
export async function reportPage(
  ds: DataSource,
  personId: string,
  categories: ReportCategory[] | null,
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<DiagnosticReport[]> {
  const rows: ReportRow[] = await ds.query(
    `SELECT ${REPORT_COLUMNS} FROM records.diagnostic_report r
     WHERE r.person_id = $1 AND ($2::text[] IS NULL OR r.category = ANY($2::text[]))
       AND ($3::timestamptz IS NULL OR (r.issued_at, r.id) < ($3::timestamptz, $4::uuid))
     ORDER BY r.issued_at DESC, r.id DESC LIMIT $5`,
    [personId, categories, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map(toReport);
}

/** Reports by id, with observations: one statement. */
export async function reportsByIds(db: DataSource | EntityManager, ids: readonly string[]): Promise<DiagnosticReport[]> {
  const rows: ReportRow[] = await db.query(`SELECT ${REPORT_COLUMNS} FROM records.diagnostic_report r WHERE r.id = ANY($1::uuid[])`, [ids]);
  return rows.map(toReport);
}

/** The person's reports in the given categories. */
export async function countReports(ds: DataSource, personId: string, categories: ReportCategory[] | null): Promise<number> {
  const [r] = await ds.query(
    `SELECT count(*)::int AS n FROM records.diagnostic_report WHERE person_id = $1 AND ($2::text[] IS NULL OR category = ANY($2::text[]))`,
    [personId, categories],
  );
  return r.n;
}
