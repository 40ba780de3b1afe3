import type { Condition } from '../entities/Condition';
import type { DiagnosticReport, ObservationRow } from '../entities/DiagnosticReport';
import type { Encounter, StoredCoding } from '../entities/Encounter';
import type { CountedPage } from '../services/RecordReads';

/*
 * What the resolvers of each GraphQL type really hold (codegen.ts maps type X to XMapper here):
 * the parent of X's field resolvers and what a resolver returning X may return.
 */

export type EncounterMapper = Encounter;
export type ConditionMapper = Condition;
/** The row with its observations (read in the same statement). */
export type DiagnosticReportMapper = DiagnosticReport;
export type ObservationMapper = ObservationRow;
export type CodingMapper = StoredCoding;
/** Its totalCount is counted only when selected. */
export type EncounterConnectionMapper = CountedPage<Encounter>;
export type ConditionConnectionMapper = CountedPage<Condition>;
export type DiagnosticReportConnectionMapper = CountedPage<DiagnosticReport>;
/** Only the key: the person's record is identity's. */
export interface PersonMapper {
  id: string;
}
