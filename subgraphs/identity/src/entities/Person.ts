import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A person's record; private to the identity subgraph (other subgraphs hold only its id). */
@Entity({ name: 'person' })
export class Person {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'first_name' })
  firstName: string;

  @Column('text', { name: 'last_name' })
  lastName: string;

  @Column('text', { name: 'second_name', nullable: true })
  secondName: string | null;

  @Column('date', { name: 'birth_date' })
  birthDate: string;

  @Column('text')
  gender: 'MALE' | 'FEMALE';

  @Column('text', { name: 'tax_id', nullable: true })
  taxId: string | null;

  @Column('boolean', { name: 'no_tax_id', default: false })
  noTaxId: boolean;

  @Column('text', { nullable: true })
  unzr: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { name: 'verification_status' })
  verificationStatus: string;

  /** Optimistic concurrency: every accepted change increments it (UPDATE … WHERE version = $expected). */
  @Column('int')
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
