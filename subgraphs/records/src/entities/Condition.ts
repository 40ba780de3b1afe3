import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ClinicalStatus = 'ACTIVE' | 'RECURRENCE' | 'REMISSION' | 'RESOLVED';
export type VerificationStatus = 'PROVISIONAL' | 'CONFIRMED' | 'REFUTED' | 'ENTERED_IN_ERROR';

/** A diagnosis, recorded at an encounter. Never deleted: a wrong one is ENTERED_IN_ERROR. */
@Entity({ name: 'condition' })
export class Condition {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'person_id' })
  personId: string;

  @Column('uuid', { name: 'encounter_id', nullable: true })
  encounterId: string | null;

  /** Order within its encounter, as the doctor listed the diagnoses. */
  @Column('smallint')
  rank: number;

  @Column('text')
  system: 'ICD10' | 'ICPC2';

  @Column('text')
  code: string;

  /** The code's name in the shipped list when recorded. */
  @Column('text')
  display: string;

  @Column('text', { name: 'clinical_status' })
  clinicalStatus: ClinicalStatus;

  @Column('text', { name: 'verification_status' })
  verificationStatus: VerificationStatus;

  @Column('date', { name: 'onset_date', nullable: true })
  onsetDate: string | null;

  @Column('timestamptz', { name: 'recorded_at' })
  recordedAt: Date;

  @Column('uuid', { name: 'recorded_by' })
  recordedBy: string;
}
