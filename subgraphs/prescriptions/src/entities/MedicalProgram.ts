import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A reimbursement program, e.g. Доступні ліки. */
@Entity({ name: 'medical_program' })
export class MedicalProgram {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** Only an active program may be named by a new prescription. */
  @Column('boolean')
  active: boolean;
}
