import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Pharmacy } from './Pharmacy';

/** Part or all of a prescription handed out by a pharmacy. */
@Entity({ name: 'dispense' })
export class Dispense {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'prescription_id' })
  prescriptionId: string;

  @Column('uuid', { name: 'pharmacy_id' })
  pharmacyId: string;

  @ManyToOne(() => Pharmacy, { nullable: false })
  @JoinColumn({ name: 'pharmacy_id' })
  pharmacy?: Pharmacy;

  @Column('uuid', { name: 'pharmacist_id' })
  pharmacistId: string;

  @Column('timestamptz', { name: 'dispensed_at' })
  dispensedAt: Date;

  @Column('integer')
  quantity: number;

  /** UAH (numeric: pg returns it as a string); null when no program pays. */
  @Column('numeric', { name: 'reimbursed_amount', precision: 12, scale: 2, nullable: true })
  reimbursedAmount: string | null;
}
