import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DoctorSpecialityEntry, DoctorStatus, EducationEntry, Gender, QualificationEntry, Speciality, SpecialityLevel } from '../domain/model';

/** A doctor: an employee of type DOCTOR of one legal entity. */
@Entity({ name: 'doctor' })
export class Doctor {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'legal_entity_id' })
  legalEntityId: string;

  @Column('text', { name: 'first_name' })
  firstName: string;

  @Column('text', { name: 'last_name' })
  lastName: string;

  @Column('text', { name: 'second_name', nullable: true })
  secondName: string | null;

  @Column('text')
  gender: Gender;

  /** The main speciality; also the one marked `main` in `specialities`. */
  @Column('text')
  speciality: Speciality;

  @Column('text', { name: 'speciality_level' })
  specialityLevel: SpecialityLevel;

  @Column('jsonb', { default: () => "'[]'::jsonb" })
  specialities: DoctorSpecialityEntry[];

  @Column('text')
  position: string;

  @Column('text', { nullable: true })
  about: string | null;

  @Column('int', { name: 'experience_years', nullable: true })
  experienceYears: number | null;

  @Column('jsonb', { default: () => "'[]'::jsonb" })
  education: EducationEntry[];

  @Column('jsonb', { default: () => "'[]'::jsonb" })
  qualifications: QualificationEntry[];

  @Column('text')
  status: DoctorStatus;

  /** `nameKey(last, first, second)`: the form name search matches against. */
  @Column('text', { name: 'search_name' })
  searchName: string;

  /** `sortKey(...)`: orders by the Ukrainian alphabet under the "C" collation. */
  @Column('text', { name: 'sort_name' })
  sortName: string;

  /**
   * Active + pending declarations, pushed by the declarations domain (a later event consumer);
   * 0 until then.
   */
  @Column('int', { name: 'active_declaration_count', default: 0 })
  activeDeclarationCount: number;

  /** Whether the limit is not reached; kept with the count so the search can filter on it. */
  @Column('boolean', { name: 'accepting_new_patients', default: true })
  acceptingNewPatients: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
