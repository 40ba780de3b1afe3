import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A coded reason or diagnosis as stored: the display is copied from the code list when recorded. */
export interface StoredCoding {
  system: 'ICD10' | 'ICPC2' | 'LOINC' | 'SERVICE';
  code: string;
  display: string;
}

/** A visit. */
@Entity({ name: 'encounter' })
export class Encounter {
  @PrimaryColumn('uuid')
  id: string;

  /** The identity subgraph's person id (no foreign key across schemas). */
  @Column('uuid', { name: 'person_id' })
  personId: string;

  @Column('date')
  date: string;

  @Column('text')
  class: string;

  @Column('uuid', { name: 'doctor_id' })
  doctorId: string;

  @Column('uuid', { name: 'division_id', nullable: true })
  divisionId: string | null;

  @Column('jsonb')
  reasons: StoredCoding[];

  @Column('timestamptz', { name: 'recorded_at' })
  recordedAt: Date;
}
