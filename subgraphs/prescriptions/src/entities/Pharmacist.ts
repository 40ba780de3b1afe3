import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A pharmacist (the subject of a PHARMACIST token) and the pharmacy they dispense for. */
@Entity({ name: 'pharmacist' })
export class Pharmacist {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'pharmacy_id' })
  pharmacyId: string;

  @Column('text', { name: 'full_name' })
  fullName: string;
}
