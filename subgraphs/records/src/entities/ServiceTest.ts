import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A service of the catalogue with one of its tests (loaded from data/lab-services.json by the migration); a service without tests has one row with position 0 and no test. */
@Entity({ name: 'service_test' })
export class ServiceTest {
  @PrimaryColumn('text', { name: 'service_code' })
  serviceCode: string;

  @PrimaryColumn('smallint')
  position: number;

  @Column('text', { name: 'service_display' })
  serviceDisplay: string;

  @Column('text')
  category: 'LABORATORY' | 'IMAGING' | 'OTHER';

  @Column('text', { name: 'test_code', nullable: true })
  testCode: string | null;

  @Column('text', { name: 'test_display', nullable: true })
  testDisplay: string | null;

  @Column('text', { nullable: true })
  unit: string | null;

  @Column('double precision', { nullable: true })
  low: number | null;

  @Column('double precision', { nullable: true })
  high: number | null;

  @Column('text', { name: 'ref_text', nullable: true })
  refText: string | null;

  /** The values a qualitative test accepts. */
  @Column('text', { name: 'allowed_values', array: true, nullable: true })
  allowedValues: string[] | null;
}
