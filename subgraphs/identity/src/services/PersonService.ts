import { GraphQLError } from 'graphql';
import { isRepresentativeOf, isService, requirePatient, requireSelfOrService, type Caller } from '@pc/auth';
import { ErrorCode } from '@pc/errors';
import { encodeCursor, isUuid, pageSize, readCursor } from '@pc/graphql-kit';
import { personCapabilities, representativeCapabilities, type CapacityRules, type CapabilityReason, type PersonCapabilities } from '../domain/capabilities';
import type { ConfidantPerson } from '../domain/personData';
import type { Person } from '../entities/Person';
import type { HistoryPage, Loaders } from '../loaders/createLoaders';

/** A FORBIDDEN error that also says which capacity rule refused (`extensions.reason`). */
export function capacityForbidden(message: string, reason: CapabilityReason | null): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN, reason } });
}

const HISTORY = 'changeHistory';

/** Opaque cursor of a history entry (`@pc/graphql-kit`'s codec). */
export const encodeHistoryCursor = (id: string): string => encodeCursor(HISTORY, [id]);

/** The entry id inside a history cursor; BAD_USER_INPUT (reason INVALID_CURSOR) for anything this service did not issue. */
function decodeHistoryCursor(cursor: string): string {
  return readCursor(cursor, HISTORY, ([id]) => (typeof id === 'string' && /^\d{1,19}$/.test(id) ? id : null));
}

/** Reads of a person's record, and who may see it. */
export class PersonService {
  constructor(
    private readonly loaders: Loaders,
    private readonly caller: Caller,
    private readonly rules: CapacityRules,
    /** `YYYY-MM-DD` in the cabinet's time zone, fixed for the whole request. */
    readonly today: string,
  ) {}

  /**
   * The signed-in patient's own record (needs `person:read`). A person under the cabinet's
   * minimum age may not use the cabinet alone, so they get FORBIDDEN rather than their data.
   */
  async me(): Promise<Person | null> {
    const id = requirePatient(this.caller, 'person:read');
    const person = await this.loaders.personById.load(id);
    if (person) this.assertMayView(person);
    return person;
  }

  /**
   * A person referenced from another subgraph (e.g. Declaration.person). A patient sees only
   * themselves (with `person:read`, and only from the minimum age); internal services see anyone;
   * everyone else is refused.
   */
  async byReference(id: string): Promise<Person | null> {
    requireSelfOrService(this.caller, id, 'person:read');
    const person = await this.loaders.personById.load(id);
    if (person && !isService(this.caller) && !isRepresentativeOf(this.caller, id)) this.assertMayView(person);
    return person;
  }

  /**
   * `Query.person(id)`: the signed-in person or someone they represent. Anyone else, and an id
   * that does not exist, get the same FORBIDDEN (the check runs before any read).
   */
  async byId(id: string): Promise<Person | null> {
    if (!isUuid(id)) requireSelfOrService(this.caller, '', 'person:read');
    return this.byReference(id);
  }

  /** The people the signed-in patient represents today (active relationships), with their records. */
  async representations(person: Person): Promise<{ person: Person; relationType: ConfidantPerson['relationType']; validTo: string | null }[]> {
    // Only the person themselves sees whom they represent (not a representative, not a service).
    if (this.caller.subject !== person.id) return [];
    const rows = await this.loaders.representationsOf.load(person.id);
    const persons = await this.loaders.personById.loadMany(rows.map((r) => r.personId));
    return rows.flatMap((r, i) => {
      const p = persons[i];
      return p && !(p instanceof Error) ? [{ person: p, relationType: r.relationType as ConfidantPerson['relationType'], validTo: r.validTo }] : [];
    });
  }

  /**
   * What the signed-in caller may do with this record today: the person's own capacity, or —
   * read by their representative (through `person(id)`) — what the representative may do for them.
   */
  capabilities(person: Person): PersonCapabilities {
    if (isRepresentativeOf(this.caller, person.id)) return representativeCapabilities(person);
    return personCapabilities(person, this.today, this.rules);
  }

  /** A page of the person's change history, newest first. Callers have already been authorised for `person`. */
  async history(
    person: Person,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<{ page: HistoryPage; totalCount: () => Promise<number> }> {
    const size = pageSize(first);
    const afterId = after == null ? null : decodeHistoryCursor(after);
    const page = await this.loaders.historyPage.load({ personId: person.id, first: size, afterId });
    return { page, totalCount: () => this.loaders.historyCount.load(person.id) };
  }

  private assertMayView(person: Person): void {
    const caps = this.capabilities(person);
    if (!caps.canView) {
      throw capacityForbidden('Under the minimum age the cabinet is used by a legal representative', caps.reason);
    }
  }
}
