import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Statuses of a declaration request (docs/domain.md). */
export type DeclarationRequestStatus = 'NEW' | 'APPROVED' | 'SIGNED' | 'REJECTED' | 'CANCELLED' | 'EXPIRED';
/**
 * Why a request is CANCELLED: the patient withdrew it, or a newer request of the same person
 * (to any doctor) replaced it. Internal: the public schema has no field for it yet.
 */
export type CancellationReason = 'manual_person' | 'auto_new_request';

/**
 * A patient's request to sign a declaration with a doctor. Person, doctor and division are ids
 * of records owned by other subgraphs; the personal data copied at submission is wiped when the
 * request expires.
 */
@Entity({ name: 'declaration_request' })
export class DeclarationRequest {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'person_id' })
  personId: string;

  @Column('text', { name: 'doctor_id' })
  doctorId: string;

  @Column('text', { name: 'division_id' })
  divisionId: string;

  /** The doctor's employer when the request was made (informational; re-read at signing). */
  @Column('text', { name: 'legal_entity_id', nullable: true })
  legalEntityId: string | null;

  @Column('text')
  status: DeclarationRequestStatus;

  /** ONLINE (the cabinet); other channels would create NEW requests awaiting the patient's approval. */
  @Column('text')
  channel: string;

  /** Snapshot of the person at submission, shown to the doctor; wiped on expiry. */
  @Column('text', { name: 'person_first_name', nullable: true })
  personFirstName: string | null;

  @Column('text', { name: 'person_last_name', nullable: true })
  personLastName: string | null;

  @Column('date', { name: 'person_birth_date', nullable: true })
  personBirthDate: string | null;

  /** The doctor's speciality at submission. */
  @Column('text', { name: 'doctor_speciality', nullable: true })
  doctorSpeciality: string | null;

  @Column('text', { name: 'rejection_reason', nullable: true })
  rejectionReason: string | null;

  /** CANCELLED only: who cancelled it (null for requests cancelled before reasons were kept). */
  @Column('text', { name: 'cancellation_reason', nullable: true })
  cancellationReason: CancellationReason | null;

  /** CANCELLED with `auto_new_request`: the newer request of the same person that replaced it. */
  @Column('uuid', { name: 'replaced_by', nullable: true })
  replacedBy: string | null;

  /** The representative who submitted it for the person (docs/representatives.md); null when the person did. */
  @Column('uuid', { name: 'submitted_by', nullable: true })
  submittedBy: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;
}
