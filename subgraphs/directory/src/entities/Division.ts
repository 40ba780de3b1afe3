import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ContactPhone, DivisionStatus, DivisionType, SettlementType, WorkingHoursDay } from '../domain/model';

/** A branch of a legal entity where patients are seen (підрозділ). */
@Entity({ name: 'division' })
export class Division {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'legal_entity_id' })
  legalEntityId: string;

  @Column('text')
  name: string;

  @Column('text')
  type: DivisionType;

  @Column('text')
  status: DivisionStatus;

  @Column('text')
  country: string;

  /** Oblast as written, e.g. "Київська"; `areaKey` is its search form. */
  @Column('text')
  area: string;

  @Column('text', { nullable: true })
  region: string | null;

  @Column('text')
  settlement: string;

  @Column('text', { name: 'settlement_type' })
  settlementType: SettlementType;

  @Column('text', { name: 'street_type', nullable: true })
  streetType: string | null;

  @Column('text', { nullable: true })
  street: string | null;

  @Column('text', { nullable: true })
  building: string | null;

  @Column('text', { nullable: true })
  zip: string | null;

  /** `placeKey(settlement)`, written with the row so that SQL never re-derives it. */
  @Column('text', { name: 'settlement_key' })
  settlementKey: string;

  /** `areaKey(area)`. */
  @Column('text', { name: 'area_key' })
  areaKey: string;

  @Column('double precision', { nullable: true })
  latitude: number | null;

  @Column('double precision', { nullable: true })
  longitude: number | null;

  @Column('jsonb', { name: 'working_hours', default: () => "'[]'::jsonb" })
  workingHours: WorkingHoursDay[];

  @Column('jsonb', { default: () => "'[]'::jsonb" })
  phones: ContactPhone[];

  @Column('text', { nullable: true })
  email: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
