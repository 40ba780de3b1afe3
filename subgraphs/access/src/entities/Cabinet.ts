import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** An electronic cabinet (OAuth client) that patients grant access to. */
@Entity({ name: 'cabinet' })
export class Cabinet {
  /** The client id its tokens carry as `client_id`. */
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  kind: 'STATE' | 'PRIVATE';

  @Column('text', { nullable: true })
  website: string | null;

  /** Who runs it (a legal entity's name); not shown in the public API. */
  @Column('text', { nullable: true })
  owner: string | null;

  @Column('text', { name: 'redirect_uris', array: true, default: () => "'{}'" })
  redirectUris: string[];

  /** A blocked cabinet's tokens are refused by the gateway whatever the grants say. */
  @Column('boolean', { default: false })
  blocked: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
