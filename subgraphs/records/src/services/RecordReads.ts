import { In, type FindOptionsWhere } from 'typeorm';
import { requireSelfOrService, type Caller } from '@pc/auth';
import { connectionOf, encodeSortKeyCursor, isUuid, pageOf, pageSize, readSortKeyCursor, type Connection } from '@pc/graphql-kit';
import { Condition, type ClinicalStatus } from '../entities/Condition';
import type { DiagnosticReport, ReportCategory } from '../entities/DiagnosticReport';
import { Encounter } from '../entities/Encounter';
import type { Loaders } from '../loaders/createLoaders';
import { countReports, reportPage } from '../queries';
import { mayRead } from './authorize';
import type { RecordsEnv } from './RecordsEnv';

/** A Relay page; `totalCount` is counted only when selected (a function the default resolver calls). */
export interface CountedPage<T> extends Connection<T> {
  totalCount: () => Promise<number>;
}

/** The scope every read of the medical record needs. */
export const READ_SCOPE = 'medical:read';

/**
 * Reads of the medical record. A person's lists: the person themselves (or their
 * representative) with medical:read, or a service; references by id: also the doctor who
 * recorded them. Each list page costs one statement (+1 when totalCount is asked), whatever its size.
 */
export class RecordReads {
  constructor(
    private readonly env: RecordsEnv,
    private readonly loaders: Loaders,
    private readonly caller: Caller,
  ) {}

  /** The person's encounters, newest first (date, id). */
  async encounters(personId: string, first?: number | null, after?: string | null): Promise<CountedPage<Encounter>> {
    requireSelfOrService(this.caller, personId, READ_SCOPE);
    const limit = pageSize(first);
    const from = after ? readSortKeyCursor(after, 'encounters') : null;
    const repo = this.env.dataSource.getRepository(Encounter);
    const qb = repo
      .createQueryBuilder('e')
      .where('e.person_id = :personId', { personId })
      .orderBy('e.date', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1);
    if (from) qb.andWhere('(e.date, e.id) < (CAST(:at AS date), CAST(:id AS uuid))', { at: from.at, id: from.id });
    const page = pageOf(await qb.getMany(), limit);
    for (const e of page.nodes) this.loaders.encounterById.prime(e.id, e);
    return { ...connectionOf(page, (e) => encodeSortKeyCursor('encounters', e.date, e.id)), totalCount: () => repo.countBy({ personId }) };
  }

  /** The person's conditions, newest first (recorded_at, id), optionally in some clinical statuses. */
  async conditions(personId: string, status?: ClinicalStatus[] | null, first?: number | null, after?: string | null): Promise<CountedPage<Condition>> {
    requireSelfOrService(this.caller, personId, READ_SCOPE);
    const limit = pageSize(first);
    const from = after ? readSortKeyCursor(after, 'conditions') : null;
    const repo = this.env.dataSource.getRepository(Condition);
    const qb = repo
      .createQueryBuilder('c')
      .where('c.person_id = :personId', { personId })
      .orderBy('c.recorded_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (status?.length) qb.andWhere('c.clinical_status IN (:...status)', { status });
    if (from) qb.andWhere('(c.recorded_at, c.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))', { at: from.at, id: from.id });
    const page = pageOf(await qb.getMany(), limit);
    for (const c of page.nodes) this.loaders.conditionById.prime(c.id, c);
    const where: FindOptionsWhere<Condition> = status?.length ? { personId, clinicalStatus: In(status) } : { personId };
    return { ...connectionOf(page, (c) => encodeSortKeyCursor('conditions', c.recordedAt, c.id)), totalCount: () => repo.countBy(where) };
  }

  /** The person's diagnostic reports with their observations, newest first (issued_at, id): one statement per page. */
  async reports(personId: string, category?: ReportCategory[] | null, first?: number | null, after?: string | null): Promise<CountedPage<DiagnosticReport>> {
    requireSelfOrService(this.caller, personId, READ_SCOPE);
    const limit = pageSize(first);
    const from = after ? readSortKeyCursor(after, 'diagnosticReports') : null;
    const categories = category?.length ? category : null;
    const ds = this.env.dataSource;
    const page = pageOf(await reportPage(ds, personId, categories, from && { at: new Date(from.at), id: from.id }, limit + 1), limit);
    for (const r of page.nodes) this.loaders.reportById.prime(r.id, r);
    return {
      ...connectionOf(page, (r) => encodeSortKeyCursor('diagnosticReports', r.issuedAt, r.id)),
      totalCount: () => countReports(ds, personId, categories),
    };
  }

  /** One of the person's reports; null when they have none with this id. */
  async reportOf(personId: string, id: string): Promise<DiagnosticReport | null> {
    requireSelfOrService(this.caller, personId, READ_SCOPE);
    const r = isUuid(id) ? await this.loaders.reportById.load(id) : null;
    return r && r.personId === personId ? r : null;
  }

  /** References from another subgraph (and the loaders' later reads): null when not the caller's to see. */
  async encounter(id: string): Promise<Encounter | null> {
    const e = isUuid(id) ? await this.loaders.encounterById.load(id) : null;
    return e && mayRead(this.caller, { personId: e.personId, authorId: e.doctorId }) ? e : null;
  }

  async condition(id: string): Promise<Condition | null> {
    const c = isUuid(id) ? await this.loaders.conditionById.load(id) : null;
    return c && mayRead(this.caller, { personId: c.personId, authorId: c.recordedBy }) ? c : null;
  }

  async report(id: string): Promise<DiagnosticReport | null> {
    const r = isUuid(id) ? await this.loaders.reportById.load(id) : null;
    return r && mayRead(this.caller, { personId: r.personId, authorId: r.doctorId }) ? r : null;
  }
}
