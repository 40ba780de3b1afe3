import type { Dispense } from '../entities/Dispense';
import type { MedicalProgram } from '../entities/MedicalProgram';
import type { Pharmacy } from '../entities/Pharmacy';
import type { Prescription } from '../entities/Prescription';
import type { PrescriptionPage } from '../services/PrescriptionService';

/*
 * What the resolvers of each GraphQL type really hold (codegen.ts maps type X to XMapper here):
 * the parent of X's field resolvers and what a resolver returning X may return.
 */

/** The row, with medication and program joined. */
export type PrescriptionMapper = Prescription;
/** The row, with its pharmacy joined. */
export type DispenseMapper = Dispense;
export type PharmacyMapper = Pharmacy;
export type MedicalProgramMapper = MedicalProgram;
/** Its totalCount is counted only when selected (a function the default resolver calls). */
export type PrescriptionConnectionMapper = PrescriptionPage;
/** Only the key: the person's record is identity's. */
export interface PersonMapper {
  id: string;
}
