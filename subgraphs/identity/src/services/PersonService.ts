import type { DataSource } from 'typeorm';
import { requirePatient, type Caller } from '@pc/auth';
import { forbidden } from '@pc/errors';
import type { Person } from '../entities/Person';
import type { Loaders } from '../loaders/createLoaders';

/** Reads of a person's record and who may see it. */
export class PersonService {
  constructor(
    private readonly ds: DataSource,
    private readonly loaders: Loaders,
    private readonly caller: Caller,
  ) {}

  /** The signed-in patient's own record (needs `person:read`). */
  async me(): Promise<Person | null> {
    const id = requirePatient(this.caller, 'person:read');
    return this.loaders.personById.load(id);
  }

  /**
   * A person referenced from another subgraph (e.g. Declaration.person). A patient sees only
   * themselves; internal services see anyone; everyone else is refused.
   */
  async byReference(id: string): Promise<Person | null> {
    const c = this.caller;
    const self = c.roles.includes('PATIENT') && c.subject === id;
    if (!self && !c.roles.includes('SERVICE')) throw forbidden('Not your record');
    return this.loaders.personById.load(id);
  }

  /** The data source, for write services built on top of this one. */
  get dataSource(): DataSource {
    return this.ds;
  }
}
