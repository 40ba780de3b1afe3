import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A person's consent to one cabinet. One row per (person, cabinet): granting again updates it
 * (scopes merged while it is active; a fresh consent after a revocation or expiry restarts it).
 */
@Entity({ name: 'access_grant' })
export class AccessGrant {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'person_id' })
  personId: string;

  @Column('uuid', { name: 'cabinet_id' })
  cabinetId: string;

  @Column('text', { array: true })
  scopes: string[];

  /** Time of the latest fresh consent; tokens issued well before it are refused by the gateway. */
  @Column('timestamptz', { name: 'granted_at' })
  grantedAt: Date;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
