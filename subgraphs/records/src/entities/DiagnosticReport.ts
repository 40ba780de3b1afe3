import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Interpretation } from '../domain/interpretation';

export type ReportCategory = 'LABORATORY' | 'IMAGING' | 'OTHER';
export type ReportStatus = 'FINAL' | 'AMENDED' | 'ENTERED_IN_ERROR';

/** One result as read with its report (records.observation, joined by the report's statement). */
export interface ObservationRow {
  system: 'LOINC';
  code: string;
  display: string;
  value: string;
  unit: string | null;
  low: number | null;
  high: number | null;
  text: string | null;
  interpretation: Interpretation | null;
}

/** Results of a diagnostic service. Never deleted: a wrong one is ENTERED_IN_ERROR. */
@Entity({ name: 'diagnostic_report' })
export class DiagnosticReport {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'person_id' })
  personId: string;

  @Column('text')
  category: ReportCategory;

  @Column('text', { name: 'service_code' })
  serviceCode: string;

  @Column('text', { name: 'service_display' })
  serviceDisplay: string;

  @Column('text')
  status: ReportStatus;

  @Column('timestamptz', { name: 'issued_at' })
  issuedAt: Date;

  /** The directory's legal entity that performed it. */
  @Column('uuid', { name: 'performer_id', nullable: true })
  performerId: string | null;

  @Column('uuid', { name: 'doctor_id' })
  doctorId: string;

  @Column('text', { nullable: true })
  conclusion: string | null;

  @Column('timestamptz', { name: 'recorded_at' })
  recordedAt: Date;

  /** Filled by the statements that read reports (never a column). */
  observations?: ObservationRow[];
}
