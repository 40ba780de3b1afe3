import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type {
  Address,
  AuthenticationMethod,
  CommunicationChannel,
  ConfidantPerson,
  EmergencyContact,
  LegalCapacityDocument,
  PersonDocument,
  Phone,
  VerificationStatus,
} from '../domain/personData';

/**
 * A person's record; private to the identity subgraph (other subgraphs hold only its id).
 *
 * The lists and nested objects are jsonb columns, not child tables: each is small and bounded
 * (one per type), always read and replaced as a whole together with the person, and a
 * single-row UPDATE then changes contents and `version` atomically. docs/identity.md argues it.
 */
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

  @Column('text', { name: 'birth_country', nullable: true })
  birthCountry: string | null;

  @Column('text', { name: 'birth_settlement', nullable: true })
  birthSettlement: string | null;

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

  @Column('jsonb', { default: () => `'[]'` })
  phones: Phone[];

  @Column('jsonb', { default: () => `'[]'` })
  documents: PersonDocument[];

  @Column('jsonb', { default: () => `'[]'` })
  addresses: Address[];

  @Column('jsonb', { name: 'emergency_contact', nullable: true })
  emergencyContact: EmergencyContact | null;

  @Column('jsonb', { name: 'confidant_persons', default: () => `'[]'` })
  confidantPersons: ConfidantPerson[];

  /** Emancipation or marriage of a minor: lets a 14–18 year old act (support route only). */
  @Column('jsonb', { name: 'legal_capacity_document', nullable: true })
  legalCapacityDocument: LegalCapacityDocument | null;

  @Column('text', { name: 'authentication_method', default: 'NA' })
  authenticationMethod: AuthenticationMethod;

  @Column('text', { name: 'preferred_way_communication', nullable: true })
  preferredWayOfCommunication: CommunicationChannel | null;

  @Column('text', { name: 'verification_status' })
  verificationStatus: VerificationStatus;

  /** Optimistic concurrency: every accepted change increments it (UPDATE … WHERE version = $expected). */
  @Column('int')
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
