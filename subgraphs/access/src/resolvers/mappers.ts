import type { AccessGrant } from '../entities/AccessGrant';
import type { AccessLogEntry } from '../entities/AccessLogEntry';
import type { Cabinet } from '../entities/Cabinet';
import type { AccessLogPage } from '../services/AccessLogService';

/*
 * What the resolvers of each GraphQL type really hold (codegen.ts maps type X to XMapper here):
 * the parent of X's field resolvers and what a resolver returning X may return.
 */

export type AccessGrantMapper = AccessGrant;
export type CabinetMapper = Cabinet;
export type AccessLogEntryMapper = AccessLogEntry;
/** Its totalCount is counted only when selected (a function the default resolver calls). */
export type AccessLogConnectionMapper = AccessLogPage;
/** Only the key: the person's record is identity's. */
export interface PersonMapper {
  id: string;
}
