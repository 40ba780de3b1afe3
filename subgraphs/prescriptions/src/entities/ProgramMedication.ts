import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A medication a program covers, and what it pays the pharmacy per unit. */
@Entity({ name: 'program_medication' })
export class ProgramMedication {
  @PrimaryColumn('uuid', { name: 'program_id' })
  programId: string;

  @PrimaryColumn('uuid', { name: 'medication_id' })
  medicationId: string;

  /** UAH per unit (numeric: pg returns it as a string). */
  @Column('numeric', { name: 'reimbursement_per_unit', precision: 12, scale: 2 })
  reimbursementPerUnit: string;
}
