import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One read or change of a person's data through the graph. Append-only (a trigger refuses
 * UPDATE, DELETE and TRUNCATE); the gateway writes rows in batches, this subgraph reads them.
 */
@Entity({ name: 'access_log' })
export class AccessLogEntry {
  /** Chosen by the writer, so a replayed batch is recognised (INSERT … ON CONFLICT DO NOTHING). */
  @PrimaryColumn('uuid')
  id: string;

  /** When the response went out; millisecond precision, so cursors round-trip exactly. Part of the key: the table is partitioned by month on it. */
  @PrimaryColumn({ type: 'timestamptz', precision: 3 })
  at: Date;

  @Column('uuid', { name: 'person_id' })
  personId: string;

  @Column('uuid', { name: 'cabinet_id', nullable: true })
  cabinetId: string | null;

  /** Subject of the caller (the person, a doctor's id or a service name). */
  @Column('text')
  actor: string;

  @Column('text', { name: 'actor_role' })
  actorRole: string;

  /** The represented person a representative acted for (docs/representatives.md); null otherwise. */
  @Column('uuid', { name: 'subject_id', nullable: true })
  subjectId: string | null;

  @Column('text')
  action: 'READ' | 'CHANGE';

  @Column('text')
  resource: string;

  @Column('text', { name: 'operation_name', nullable: true })
  operationName: string | null;

  @Column('text', { name: 'request_id', nullable: true })
  requestId: string | null;

  @Column('text', { name: 'token_id', nullable: true })
  tokenId: string | null;

  @Column('timestamptz', { name: 'recorded_at' })
  recordedAt: Date;
}
