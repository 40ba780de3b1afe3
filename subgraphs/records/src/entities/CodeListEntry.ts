import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A code of the shipped ICD-10 / ICPC-2 lists (loaded from data/ by the migration). */
@Entity({ name: 'code_list' })
export class CodeListEntry {
  @PrimaryColumn('text')
  system: 'ICD10' | 'ICPC2';

  @PrimaryColumn('text')
  code: string;

  @Column('text')
  display: string;
}
