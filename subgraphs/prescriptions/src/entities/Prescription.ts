import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MedicalProgram } from './MedicalProgram';
import { Medication } from './Medication';

/** Statuses of a prescription (docs/prescriptions.md). */
export type PrescriptionStatus = 'ACTIVE' | 'COMPLETED' | 'REJECTED' | 'EXPIRED';

/** An electronic prescription (a medication request). */
@Entity({ name: 'prescription' })
export class Prescription {
  @PrimaryColumn('uuid')
  id: string;

  /** XXXX-XXXX-XXXX, random (docs/prescriptions.md "Numbers"). */
  @Column('text')
  number: string;

  @Column('uuid', { name: 'person_id' })
  personId: string;

  @Column('uuid', { name: 'prescriber_id' })
  prescriberId: string;

  @Column('uuid', { name: 'division_id' })
  divisionId: string;

  @Column('uuid', { name: 'legal_entity_id' })
  legalEntityId: string;

  @Column('text')
  status: PrescriptionStatus;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  /** YYYY-MM-DD. */
  @Column('date', { name: 'valid_from' })
  validFrom: string;

  /** YYYY-MM-DD, the last day it may be dispensed. */
  @Column('date', { name: 'valid_to' })
  validTo: string;

  @Column('uuid', { name: 'medication_id' })
  medicationId: string;

  @ManyToOne(() => Medication, { nullable: false })
  @JoinColumn({ name: 'medication_id' })
  medication?: Medication;

  @Column('integer')
  quantity: number;

  /** Units dispensed so far; equals quantity exactly when COMPLETED. */
  @Column('integer', { name: 'dispensed_quantity' })
  dispensedQuantity: number;

  @Column('text', { name: 'dosage_instruction' })
  dosageInstruction: string;

  @Column('uuid', { name: 'program_id', nullable: true })
  programId: string | null;

  @ManyToOne(() => MedicalProgram, { nullable: true })
  @JoinColumn({ name: 'program_id' })
  program?: MedicalProgram | null;

  /** Four digits; shown only to the person. */
  @Column('text', { name: 'verification_code' })
  verificationCode: string;

  @Column('text', { name: 'rejection_reason', nullable: true })
  rejectionReason: string | null;

  /** Wrong verification codes in a row since the last right one or the last lock. */
  @Column('integer', { name: 'code_failures' })
  codeFailures: number;

  /** Until when the code is refused after too many wrong ones; null when it is not. */
  @Column('timestamptz', { name: 'code_locked_until', nullable: true })
  codeLockedUntil: Date | null;
}
