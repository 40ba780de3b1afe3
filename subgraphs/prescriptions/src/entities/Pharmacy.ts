import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A pharmacy (a legal entity of type PHARMACY) as the prescriptions registry knows it. */
@Entity({ name: 'pharmacy' })
export class Pharmacy {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  settlement: string;

  @Column('boolean')
  active: boolean;
}
