import type { Division } from '../entities/Division';
import type { Doctor } from '../entities/Doctor';
import type { LegalEntity } from '../entities/LegalEntity';
import type { DoctorConnection } from '../services/DirectoryService';

/*
 * What the resolvers of each GraphQL type really hold (codegen.ts maps type X to XMapper here):
 * the parent of X's field resolvers and what a resolver returning X may return.
 */

export type DoctorMapper = Doctor;
export type DivisionMapper = Division;
export type LegalEntityMapper = LegalEntity;
/** Its totalCount is counted only when selected (a function the default resolver calls). */
export type DoctorConnectionMapper = DoctorConnection;
