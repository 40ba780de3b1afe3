import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Interpretation } from '../domain/interpretation';

/** One result of a diagnostic report, with the reference range it was interpreted against. */
@Entity({ name: 'observation' })
export class Observation {
  @PrimaryColumn('uuid', { name: 'report_id' })
  reportId: string;

  /** Order within the report (the catalogue's). */
  @PrimaryColumn('smallint')
  position: number;

  @Column('text')
  code: string;

  @Column('text')
  display: string;

  @Column('text')
  value: string;

  @Column('text', { nullable: true })
  unit: string | null;

  @Column('double precision', { nullable: true })
  low: number | null;

  @Column('double precision', { nullable: true })
  high: number | null;

  @Column('text', { name: 'ref_text', nullable: true })
  refText: string | null;

  @Column('text', { nullable: true })
  interpretation: Interpretation | null;
}
