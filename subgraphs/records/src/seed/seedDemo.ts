import type { DataSource } from 'typeorm';
import { DEMO_PERSONAS } from '@pc/demo';
import { deterministicUuid } from '@pc/fixtures';
import type { Logger } from '@pc/logging';
import { diagnosisCodes, serviceCatalogue, type DiagnosisSystem } from '../domain/codeLists';
import { interpret } from '../domain/interpretation';
import { Condition, type ClinicalStatus, type VerificationStatus } from '../entities/Condition';
import { DiagnosticReport } from '../entities/DiagnosticReport';
import { Encounter } from '../entities/Encounter';
import { Observation } from '../entities/Observation';

// The directory's hand-written demo records (fixed ids derived as the directory derives them).
const directoryId = (n: number): string => deterministicUuid('demo-directory', n);
/** Ids of the directory's demo records the demo medical record names. */
export const DEMO_DIRECTORY_REFS = { legalEntityId: directoryId(1), divisionId: directoryId(2), doctorId: DEMO_PERSONAS.doctor.id } as const;

const id = (n: number): string => deterministicUuid('demo-records', n);
/** Fixed ids of the demo records. */
export const DEMO_RECORDS = {
  /** The patient's check-up visit (hypertension, hypercholesterolaemia). */
  checkUp: id(1),
  /** The patient's visit with a cold (resolved). */
  cold: id(2),
  /** The patient's diabetes follow-up. */
  followUp: id(3),
  /** The patient's blood count (normal), lipid panel (high), HbA1c and chest X-ray. */
  bloodCount: id(11),
  lipids: id(12),
  hba1c: id(13),
  chestXray: id(14),
  /** The `other` persona's visit and blood glucose (what the patient must never see). */
  othersVisit: id(21),
  othersGlucose: id(22),
} as const;

const patient = DEMO_PERSONAS.patient.id;
const other = DEMO_PERSONAS.other.id;
const { doctorId, divisionId, legalEntityId } = DEMO_DIRECTORY_REFS;

type Dx = [system: DiagnosisSystem, code: string, clinical: ClinicalStatus, verification: VerificationStatus, onset: string | null];
const VISITS: { id: string; personId: string; date: string; cls: string; reasons: string[]; dx: Dx[] }[] = [
  {
    id: DEMO_RECORDS.checkUp,
    personId: patient,
    date: '2026-03-12',
    cls: 'PHC',
    reasons: ['A98', 'K85'],
    dx: [
      ['ICD10', 'I10', 'ACTIVE', 'CONFIRMED', '2026-03-12'],
      ['ICD10', 'E78.0', 'ACTIVE', 'PROVISIONAL', null],
    ],
  },
  {
    id: DEMO_RECORDS.cold,
    personId: patient,
    date: '2026-09-20',
    cls: 'PHC',
    reasons: ['R05', 'A03'],
    dx: [['ICPC2', 'R74', 'RESOLVED', 'CONFIRMED', '2026-09-18']],
  },
  {
    id: DEMO_RECORDS.followUp,
    personId: patient,
    date: '2026-11-02',
    cls: 'AMB',
    reasons: ['A04'],
    dx: [['ICD10', 'E11.9', 'ACTIVE', 'CONFIRMED', '2026-10-30']],
  },
  {
    id: DEMO_RECORDS.othersVisit,
    personId: other,
    date: '2026-10-05',
    cls: 'PHC',
    reasons: ['R05'],
    dx: [['ICD10', 'J06.9', 'RESOLVED', 'CONFIRMED', '2026-10-03']],
  },
];
const REPORTS: { id: string; personId: string; service: string; issuedAt: string; conclusion: string | null; values: Record<string, string> }[] = [
  {
    id: DEMO_RECORDS.bloodCount,
    personId: patient,
    service: 'LAB-CBC',
    issuedAt: '2026-03-13T10:20:00Z',
    conclusion: null,
    values: { '718-7': '138', '789-8': '4.6', '6690-2': '6.1', '777-3': '245', '4544-3': '41', '30341-2': '8' },
  },
  {
    id: DEMO_RECORDS.lipids,
    personId: patient,
    service: 'LAB-LIPID',
    issuedAt: '2026-03-13T10:25:00Z',
    conclusion: 'Гіперхолестеринемія',
    values: { '14647-2': '6.4', '14646-4': '1.1', '22748-8': '4.2', '14927-8': '1.9' },
  },
  { id: DEMO_RECORDS.hba1c, personId: patient, service: 'LAB-HBA1C', issuedAt: '2026-11-01T08:40:00Z', conclusion: null, values: { '4548-4': '7.2' } },
  { id: DEMO_RECORDS.chestXray, personId: patient, service: 'IMG-CHEST-XR', issuedAt: '2026-09-21T12:00:00Z', conclusion: 'Без патологічних змін', values: {} },
  { id: DEMO_RECORDS.othersGlucose, personId: other, service: 'LAB-GLU', issuedAt: '2026-10-06T09:00:00Z', conclusion: null, values: { '15074-8': '5.1' } },
];

/** The demo medical records as rows (exported for the tests). */
export function demoRows() {
  const display = new Map<string, string>([
    ...diagnosisCodes('ICD10').map(([c, d]) => [`ICD10|${c}`, d] as const),
    ...diagnosisCodes('ICPC2').map(([c, d]) => [`ICPC2|${c}`, d] as const),
  ]);
  const name = (system: string, code: string): string => {
    const d = display.get(`${system}|${code}`);
    if (!d) throw new Error(`demo code ${system} ${code} is not in the shipped lists`);
    return d;
  };
  const encounters: Encounter[] = [];
  const conditions: Condition[] = [];
  let n = 100;
  for (const v of VISITS) {
    const recordedAt = new Date(`${v.date}T12:00:00Z`);
    encounters.push({
      id: v.id,
      personId: v.personId,
      date: v.date,
      class: v.cls,
      doctorId,
      divisionId,
      reasons: v.reasons.map((code) => ({ system: 'ICPC2', code, display: name('ICPC2', code) })),
      recordedAt,
    });
    for (const [rank, [system, code, clinicalStatus, verificationStatus, onsetDate]] of v.dx.entries()) {
      conditions.push({
        id: id(n++),
        personId: v.personId,
        encounterId: v.id,
        rank,
        system,
        code,
        display: name(system, code),
        clinicalStatus,
        verificationStatus,
        onsetDate,
        recordedAt,
        recordedBy: doctorId,
      });
    }
  }
  const catalogue = new Map(serviceCatalogue().map((s) => [s.code, s]));
  const reports: DiagnosticReport[] = [];
  const observations: Observation[] = [];
  for (const r of REPORTS) {
    const s = catalogue.get(r.service)!;
    const issuedAt = new Date(r.issuedAt);
    reports.push({
      id: r.id,
      personId: r.personId,
      category: s.category,
      serviceCode: s.code,
      serviceDisplay: s.display,
      status: 'FINAL',
      issuedAt,
      performerId: legalEntityId,
      doctorId,
      conclusion: r.conclusion,
      recordedAt: issuedAt,
    });
    s.observations.forEach((t, position) => {
      const value = r.values[t.code];
      if (value === undefined) return;
      const ref = { low: t.low ?? null, high: t.high ?? null, text: t.text ?? null };
      observations.push({
        reportId: r.id,
        position,
        code: t.code,
        display: t.display,
        value,
        unit: t.unit ?? null,
        low: ref.low,
        high: ref.high,
        refText: ref.text,
        interpretation: interpret(value, ref),
      });
    });
  }
  return { encounters, conditions, reports, observations };
}

/** The demo personas' medical records; idempotent (ON CONFLICT DO NOTHING). */
export async function seedDemo(ds: DataSource, log: Logger): Promise<void> {
  const rows = demoRows();
  await ds.createQueryBuilder().insert().into(Encounter).values(rows.encounters).orIgnore().execute();
  await ds.createQueryBuilder().insert().into(Condition).values(rows.conditions).orIgnore().execute();
  await ds.createQueryBuilder().insert().into(DiagnosticReport).values(rows.reports).orIgnore().execute();
  await ds.createQueryBuilder().insert().into(Observation).values(rows.observations).orIgnore().execute();
  log.info({ encounters: rows.encounters.length, reports: rows.reports.length }, 'records demo data');
}
