import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A catalogue entry: a medication by INN, dosage form and strength. */
@Entity({ name: 'medication' })
export class Medication {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  inn: string;

  @Column('text', { name: 'dosage_form' })
  dosageForm: string;

  @Column('text')
  strength: string;

  /** The most units one prescription may name. */
  @Column('integer', { name: 'max_quantity' })
  maxQuantity: number;
}
