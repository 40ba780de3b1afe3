import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Statuses of a declaration (docs/domain.md). */
export type DeclarationStatus = 'ACTIVE' | 'PENDING_VERIFICATION' | 'TERMINATED' | 'CLOSED' | 'REJECTED';
/** Statuses that hold a place in the doctor's list; a person has at most one declaration in them. */
export const CURRENT_DECLARATION_STATUSES: DeclarationStatus[] = ['ACTIVE', 'PENDING_VERIFICATION'];

/** A declaration signed by a doctor from a patient's request. */
@Entity({ name: 'declaration' })
export class Declaration {
  @PrimaryColumn('uuid')
  id: string;

  /** `0001-XXXX-XXXX`, from the declaration_number_seq sequence. */
  @Column('text')
  number: string;

  @Column('uuid', { name: 'declaration_request_id', nullable: true })
  declarationRequestId: string | null;

  @Column('text', { name: 'person_id' })
  personId: string;

  @Column('text', { name: 'doctor_id' })
  doctorId: string;

  @Column('text', { name: 'division_id' })
  divisionId: string;

  @Column('text', { name: 'legal_entity_id', nullable: true })
  legalEntityId: string | null;

  /** The doctor's speciality when signed (decides the term). */
  @Column('text')
  speciality: string;

  @Column('text')
  status: DeclarationStatus;

  @Column('date', { name: 'start_date' })
  startDate: string;

  @Column('date', { name: 'end_date' })
  endDate: string;

  @Column('timestamptz', { name: 'signed_at' })
  signedAt: Date;

  @Column('timestamptz', { name: 'terminated_at', nullable: true })
  terminatedAt: Date | null;

  @Column('text', { name: 'termination_reason', nullable: true })
  terminationReason: string | null;

  @Column('text', { name: 'termination_description', nullable: true })
  terminationDescription: string | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
