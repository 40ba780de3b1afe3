import { randomUUID } from 'node:crypto';
import { requireDoctor, type Caller } from '@pc/auth';
import { isIsoDate } from '@pc/calendar';
import { forbidden, type UserError } from '@pc/errors';
import { isUuid } from '@pc/graphql-kit';
import { RecordsCode, recordsError } from '../domain/codes';
import { interpret, numericValue } from '../domain/interpretation';
import { Condition, type ClinicalStatus, type VerificationStatus } from '../entities/Condition';
import { DiagnosticReport } from '../entities/DiagnosticReport';
import { Encounter, type StoredCoding } from '../entities/Encounter';
import { Observation } from '../entities/Observation';
import { CodeListEntry } from '../entities/CodeListEntry';
import { ServiceTest } from '../entities/ServiceTest';
import type { Loaders } from '../loaders/createLoaders';
import { reportsByIds } from '../queries';
import { today, type RecordsEnv } from './RecordsEnv';

/** The scope every write of the medical record needs. */
export const WRITE_SCOPE = 'medical:write';
/** Encounter classes (eHealth's): outpatient, primary care, home visit, emergency, remote. */
export const ENCOUNTER_CLASSES = ['AMB', 'PHC', 'HOME', 'EMER', 'VR'] as const;
const MAX_ITEMS = 20;
const MAX_CONCLUSION = 4000;
const EARLIEST = '1900-01-01';
/** Clock skew allowed for an issuedAt from a laboratory's system. */
const SKEW_MS = 5 * 60_000;

interface CodingInput {
  system: string;
  code: string;
}
/** Input of recordEncounter. */
export interface RecordEncounterInput {
  personId: string;
  divisionId: string;
  date: string;
  class: string;
  reasons: CodingInput[];
  diagnoses: { code: CodingInput; clinicalStatus?: ClinicalStatus | null; verificationStatus?: VerificationStatus | null; onsetDate?: string | null }[];
}
/** Input of recordDiagnosticReport. */
export interface RecordDiagnosticReportInput {
  personId: string;
  serviceCode: string;
  issuedAt?: Date | null;
  conclusion?: string | null;
  observations: { code: string; value: string; unit?: string | null }[];
}

/**
 * The doctor's writes: every rule is checked before anything is written (input, then the code
 * lists and catalogue in the database, then the owners: identity for the person, the directory
 * for the author and division), then one transaction inserts. Bad input stores nothing.
 * Nothing is ever deleted: markEnteredInError changes a status, conditionally.
 */
export class RecordWrites {
  constructor(
    private readonly env: RecordsEnv,
    private readonly loaders: Loaders,
    private readonly caller: Caller,
  ) {}

  async recordEncounter(input: RecordEncounterInput): Promise<{ encounter: Encounter | null; userErrors: UserError[] }> {
    const doctorId = requireDoctor(this.caller, WRITE_SCOPE);
    const errors: UserError[] = [];
    const day = today(this.env);
    if (!isUuid(input.personId)) errors.push(recordsError(RecordsCode.PERSON_NOT_FOUND, ['input', 'personId']));
    if (!isUuid(input.divisionId)) errors.push(recordsError(RecordsCode.DIVISION_NOT_ELIGIBLE, ['input', 'divisionId']));
    const dateOk = isIsoDate(input.date) && input.date <= day && input.date >= EARLIEST;
    if (!dateOk) errors.push(recordsError(RecordsCode.DATE_INVALID, ['input', 'date']));
    if (!(ENCOUNTER_CLASSES as readonly string[]).includes(input.class)) errors.push(recordsError(RecordsCode.CLASS_INVALID, ['input', 'class']));
    if (input.reasons.length > MAX_ITEMS || duplicates(input.reasons.map(key))) errors.push(recordsError(RecordsCode.LIST_INVALID, ['input', 'reasons']));
    if (input.diagnoses.length > MAX_ITEMS || duplicates(input.diagnoses.map((d) => key(d.code))))
      errors.push(recordsError(RecordsCode.LIST_INVALID, ['input', 'diagnoses']));
    input.reasons.forEach((r, i) => {
      if (r.system !== 'ICPC2') errors.push(recordsError(RecordsCode.CODE_NOT_FOUND, ['input', 'reasons', String(i)]));
    });
    input.diagnoses.forEach((d, i) => {
      const at = ['input', 'diagnoses', String(i)];
      if (d.code.system !== 'ICD10' && d.code.system !== 'ICPC2') errors.push(recordsError(RecordsCode.CODE_NOT_FOUND, [...at, 'code']));
      if (d.verificationStatus === 'ENTERED_IN_ERROR') errors.push(recordsError(RecordsCode.STATUS_INVALID, [...at, 'verificationStatus']));
      if (d.onsetDate != null) {
        if (!isIsoDate(d.onsetDate) || d.onsetDate < EARLIEST) errors.push(recordsError(RecordsCode.DATE_INVALID, [...at, 'onsetDate']));
        else if (dateOk && d.onsetDate > input.date) errors.push(recordsError(RecordsCode.ONSET_AFTER_ENCOUNTER, [...at, 'onsetDate']));
      }
    });
    // The code lists: one statement for every code of the input.
    const all = [...input.reasons, ...input.diagnoses.map((d) => d.code)].filter((c) => c.system === 'ICD10' || c.system === 'ICPC2');
    const known = new Map<string, string>();
    if (all.length) {
      const rows: CodeListEntry[] = await this.env.dataSource.query(
        `SELECT system, code, display FROM records.code_list WHERE (system, code) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [all.map((c) => c.system), all.map((c) => c.code.trim().toUpperCase())],
      );
      for (const r of rows) known.set(`${r.system}|${r.code}`, r.display);
    }
    const coded = (c: CodingInput): StoredCoding | null => {
      const code = c.code.trim().toUpperCase();
      const display = known.get(`${c.system}|${code}`);
      return display ? { system: c.system as StoredCoding['system'], code, display } : null;
    };
    input.reasons.forEach((r, i) => {
      if (r.system === 'ICPC2' && !coded(r)) errors.push(recordsError(RecordsCode.CODE_NOT_FOUND, ['input', 'reasons', String(i)]));
    });
    input.diagnoses.forEach((d, i) => {
      if ((d.code.system === 'ICD10' || d.code.system === 'ICPC2') && !coded(d.code))
        errors.push(recordsError(RecordsCode.CODE_NOT_FOUND, ['input', 'diagnoses', String(i), 'code']));
    });
    if (errors.length) return { encounter: null, userErrors: errors };

    const rid = this.caller.requestId;
    const [exists, author] = await Promise.all([this.env.owners.personExists(input.personId, rid), this.env.owners.author(doctorId, input.divisionId, rid)]);
    if (!exists) errors.push(recordsError(RecordsCode.PERSON_NOT_FOUND, ['input', 'personId']));
    errors.push(...authorErrors(author, true));
    if (errors.length) return { encounter: null, userErrors: errors };

    const id = randomUUID();
    const now = this.env.now();
    await this.env.dataSource.transaction(async (m) => {
      await m.insert(Encounter, {
        id,
        personId: input.personId,
        date: input.date,
        class: input.class,
        doctorId,
        divisionId: input.divisionId,
        reasons: input.reasons.map((r) => coded(r)!),
        recordedAt: now,
      });
      if (input.diagnoses.length) {
        await m.insert(
          Condition,
          input.diagnoses.map((d, rank) => {
            const c = coded(d.code)!;
            return {
              id: randomUUID(),
              personId: input.personId,
              encounterId: id,
              rank,
              system: c.system as Condition['system'],
              code: c.code,
              display: c.display,
              clinicalStatus: d.clinicalStatus ?? 'ACTIVE',
              verificationStatus: d.verificationStatus ?? 'CONFIRMED',
              onsetDate: d.onsetDate ?? null,
              recordedAt: now,
              recordedBy: doctorId,
            };
          }),
        );
      }
    });
    return { encounter: await this.loaders.encounterById.load(id), userErrors: [] };
  }

  async recordDiagnosticReport(input: RecordDiagnosticReportInput): Promise<{ diagnosticReport: DiagnosticReport | null; userErrors: UserError[] }> {
    const doctorId = requireDoctor(this.caller, WRITE_SCOPE);
    const errors: UserError[] = [];
    const now = this.env.now();
    if (!isUuid(input.personId)) errors.push(recordsError(RecordsCode.PERSON_NOT_FOUND, ['input', 'personId']));
    const issuedAt = input.issuedAt ?? now;
    if (Number.isNaN(issuedAt.getTime()) || issuedAt.getTime() > now.getTime() + SKEW_MS || issuedAt.toISOString().slice(0, 10) < EARLIEST)
      errors.push(recordsError(RecordsCode.DATE_INVALID, ['input', 'issuedAt']));
    const conclusion = input.conclusion?.trim() || null;
    if (conclusion && conclusion.length > MAX_CONCLUSION) errors.push(recordsError(RecordsCode.CONCLUSION_INVALID, ['input', 'conclusion']));
    if (input.observations.length > 50 || duplicates(input.observations.map((o) => o.code.trim())))
      errors.push(recordsError(RecordsCode.LIST_INVALID, ['input', 'observations']));

    const tests = await this.env.dataSource.getRepository(ServiceTest).find({ where: { serviceCode: input.serviceCode.trim() }, order: { position: 'ASC' } });
    if (!tests.length) return { diagnosticReport: null, userErrors: [...errors, recordsError(RecordsCode.SERVICE_NOT_FOUND, ['input', 'serviceCode'])] };
    const service = tests[0];
    if (service.category === 'LABORATORY' && !input.observations.length) errors.push(recordsError(RecordsCode.OBSERVATION_INVALID, ['input', 'observations']));
    const observations: Omit<Observation, 'reportId'>[] = [];
    input.observations.forEach((o, i) => {
      const at = ['input', 'observations', String(i)];
      const test = tests.find((t) => t.testCode !== null && t.testCode === o.code.trim());
      if (!test) return void errors.push(recordsError(RecordsCode.OBSERVATION_INVALID, [...at, 'code']));
      const value = o.value.trim();
      const unit = o.unit?.trim() || null;
      if (unit !== test.unit) errors.push(recordsError(RecordsCode.UNIT_INVALID, [...at, 'unit']));
      const quantitative = test.low !== null || test.high !== null;
      const valueOk = quantitative ? numericValue(value) !== null : (test.allowedValues ?? []).includes(value.toLowerCase());
      if (!valueOk) errors.push(recordsError(RecordsCode.VALUE_INVALID, [...at, 'value']));
      observations.push({
        position: test.position,
        code: test.testCode!,
        display: test.testDisplay!,
        value: quantitative ? value.replace(',', '.') : value.toLowerCase(),
        unit,
        low: test.low,
        high: test.high,
        refText: test.refText,
        interpretation: interpret(value, { low: test.low, high: test.high, text: test.refText }),
      });
    });
    if (errors.length) return { diagnosticReport: null, userErrors: errors };

    const rid = this.caller.requestId;
    const [exists, author] = await Promise.all([this.env.owners.personExists(input.personId, rid), this.env.owners.author(doctorId, null, rid)]);
    if (!exists) errors.push(recordsError(RecordsCode.PERSON_NOT_FOUND, ['input', 'personId']));
    errors.push(...authorErrors(author, false));
    if (errors.length) return { diagnosticReport: null, userErrors: errors };

    const id = randomUUID();
    const report = await this.env.dataSource.transaction(async (m) => {
      await m.insert(DiagnosticReport, {
        id,
        personId: input.personId,
        category: service.category,
        serviceCode: service.serviceCode,
        serviceDisplay: service.serviceDisplay,
        status: 'FINAL',
        issuedAt,
        performerId: author.doctor!.legalEntity!.id,
        doctorId,
        conclusion,
        recordedAt: now,
      });
      if (observations.length)
        await m.insert(
          Observation,
          observations.map((o) => ({ ...o, reportId: id })),
        );
      return (await reportsByIds(m, [id]))[0];
    });
    return { diagnosticReport: report, userErrors: [] };
  }

  /**
   * The author marks a condition or a report (or every condition of an encounter) ENTERED_IN_ERROR.
   * The rows stay and are shown as such; the update is conditional, so a second mark says so.
   */
  async markEnteredInError(input: { id: string }): Promise<{
    encounter: Encounter | null;
    condition: Condition | null;
    diagnosticReport: DiagnosticReport | null;
    userErrors: UserError[];
  }> {
    const doctorId = requireDoctor(this.caller, WRITE_SCOPE);
    const none = { encounter: null, condition: null, diagnosticReport: null };
    const notFound = { ...none, userErrors: [recordsError(RecordsCode.RECORD_NOT_FOUND, ['input', 'id'])] };
    if (!isUuid(input.id)) return notFound;
    const ds = this.env.dataSource;
    const [condition, report, encounter] = await Promise.all([
      this.loaders.conditionById.load(input.id),
      this.loaders.reportById.load(input.id),
      this.loaders.encounterById.load(input.id),
    ]);
    const author = condition?.recordedBy ?? report?.doctorId ?? encounter?.doctorId;
    if (!author) return notFound;
    if (author !== doctorId) throw forbidden('Only the author may mark a record entered in error');
    const already = { ...none, userErrors: [recordsError(RecordsCode.ALREADY_ENTERED_IN_ERROR, ['input', 'id'])] };
    if (condition) {
      const { affected } = await ds
        .getRepository(Condition)
        .createQueryBuilder()
        .update()
        .set({ verificationStatus: 'ENTERED_IN_ERROR' })
        .where('id = :id AND verification_status <> :e', { id: condition.id, e: 'ENTERED_IN_ERROR' })
        .execute();
      const now = await ds.getRepository(Condition).findOneBy({ id: condition.id });
      return affected ? { ...none, condition: now, userErrors: [] } : { ...already, condition: now };
    }
    if (report) {
      const { affected } = await ds
        .getRepository(DiagnosticReport)
        .createQueryBuilder()
        .update()
        .set({ status: 'ENTERED_IN_ERROR' })
        .where('id = :id AND status <> :e', { id: report.id, e: 'ENTERED_IN_ERROR' })
        .execute();
      const [now] = await reportsByIds(ds, [report.id]);
      return affected ? { ...none, diagnosticReport: now, userErrors: [] } : { ...already, diagnosticReport: now };
    }
    const { affected } = await ds
      .getRepository(Condition)
      .createQueryBuilder()
      .update()
      .set({ verificationStatus: 'ENTERED_IN_ERROR' })
      .where('encounter_id = :id AND verification_status <> :e', { id: encounter!.id, e: 'ENTERED_IN_ERROR' })
      .execute();
    this.loaders.conditionsOfEncounter.clear(encounter!.id);
    return affected ? { ...none, encounter, userErrors: [] } : { ...already, encounter };
  }
}

const key = (c: CodingInput): string => `${c.system}|${c.code.trim().toUpperCase()}`;
const duplicates = (keys: string[]): boolean => new Set(keys).size !== keys.length;

/** The author must be an APPROVED doctor of an ACTIVE legal entity; the division (for a visit) ACTIVE and of that entity. */
function authorErrors(
  a: {
    doctor: { status: string; legalEntity: { id: string; status: string } | null } | null;
    division: { status: string; legalEntityId: string | null } | null;
  },
  needsDivision: boolean,
): UserError[] {
  const le = a.doctor?.legalEntity;
  if (!a.doctor || a.doctor.status !== 'APPROVED' || !le || le.status !== 'ACTIVE') return [recordsError(RecordsCode.DOCTOR_NOT_ELIGIBLE, ['input'])];
  if (needsDivision && (!a.division || a.division.status !== 'ACTIVE' || a.division.legalEntityId !== le.id))
    return [recordsError(RecordsCode.DIVISION_NOT_ELIGIBLE, ['input', 'divisionId'])];
  return [];
}
