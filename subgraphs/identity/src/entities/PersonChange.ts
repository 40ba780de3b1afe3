import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One accepted change of a person's record: who (cabinet, caller, token, request), when, and the
 * old and new values of the fields it changed. Append-only: a trigger refuses UPDATE, DELETE and
 * TRUNCATE, so neither a bug nor a careless script can rewrite the history.
 */
@Entity({ name: 'person_change' })
@Index('person_change_person_idx', ['personId', 'id'])
export class PersonChange {
  /** bigint identity; node-postgres returns int8 as a string, which keeps it exact. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid', { name: 'person_id' })
  personId: string;

  /** The mutation that made the change, e.g. `updateContacts`. */
  @Column('text')
  action: string;

  @Column('int', { name: 'version_before' })
  versionBefore: number;

  @Column('int', { name: 'version_after' })
  versionAfter: number;

  /** The cabinet (OAuth client) the caller's token was issued to. */
  @Column('text', { name: 'client_id', nullable: true })
  clientId: string | null;

  /** The caller's subject: the person themself today, a confidant once proxy access exists. */
  @Column('text', { nullable: true })
  subject: string | null;

  @Column('text', { name: 'token_id', nullable: true })
  tokenId: string | null;

  @Column('text', { name: 'request_id' })
  requestId: string;

  @Column('timestamptz', { name: 'changed_at', default: () => 'now()' })
  changedAt: Date;

  /** `{ field: value }` of the changed fields before the change. */
  @Column('jsonb', { name: 'old_values' })
  oldValues: Record<string, unknown>;

  /** `{ field: value }` of the changed fields after the change. */
  @Column('jsonb', { name: 'new_values' })
  newValues: Record<string, unknown>;
}
