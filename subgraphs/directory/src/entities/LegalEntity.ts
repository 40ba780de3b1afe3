import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ContactPhone, LegalEntityStatus, LegalEntityType, OwnerPropertyType, PostalAddress } from '../domain/model';

/** A medical provider (юридична особа). */
@Entity({ name: 'legal_entity' })
export class LegalEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { name: 'short_name', nullable: true })
  shortName: string | null;

  @Column('text', { name: 'public_name', nullable: true })
  publicName: string | null;

  /** 8 digits (company) or 10 (sole proprietor's RNOKPP); unique. */
  @Column('text')
  edrpou: string;

  @Column('text')
  type: LegalEntityType;

  @Column('text')
  status: LegalEntityStatus;

  @Column('text', { name: 'owner_property_type' })
  ownerPropertyType: OwnerPropertyType;

  @Column('jsonb', { nullable: true })
  address: PostalAddress | null;

  @Column('jsonb', { default: () => "'[]'::jsonb" })
  phones: ContactPhone[];

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { nullable: true })
  website: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
