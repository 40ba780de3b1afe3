import type { DataSource } from 'typeorm';
import { requireSelfOrService, type Caller } from '@pc/auth';
import { connectionOf, pageOf, pageSize, type Connection } from '@pc/graphql-kit';
import { decodeLogCursor, encodeLogCursor } from '../domain/logCursor';
import { AccessLogEntry } from '../entities/AccessLogEntry';

/** A Relay page of the access log; `totalCount` is counted only when selected. */
export interface AccessLogPage extends Connection<AccessLogEntry> {
  totalCount: () => Promise<number>;
}

/** Reading a person's access log (writing is the gateway's, in batches). */
export class AccessLogService {
  constructor(
    private readonly ds: DataSource,
    private readonly caller: Caller,
  ) {}

  /** The person's entries, newest first, keyset-paginated on (at, id). */
  async page(personId: string, first?: number | null, after?: string | null): Promise<AccessLogPage> {
    requireSelfOrService(this.caller, personId, 'access:read');
    const limit = pageSize(first);
    const from = after ? decodeLogCursor(after) : null;
    const qb = this.ds
      .getRepository(AccessLogEntry)
      .createQueryBuilder('e')
      .where('e.person_id = :personId', { personId })
      .orderBy('e.at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1);
    // `e.at <= :at` repeats the keyset bound in a form partition pruning understands: a later page
    // scans only the months at or before its cursor (the row comparison alone prunes nothing).
    if (from) qb.andWhere('e.at <= :at AND (e.at, e.id) < (:at, :id)', { at: from.at, id: from.id });
    const rows = await qb.getMany();
    return {
      ...connectionOf(pageOf(rows, limit), encodeLogCursor),
      totalCount: () => this.ds.getRepository(AccessLogEntry).countBy({ personId }),
    };
  }
}
