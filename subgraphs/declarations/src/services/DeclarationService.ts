import type { EntityManager } from 'typeorm';
import { hasScope, isRepresentativeOf, isService, requireActingFor, requireSelfOrService, type Caller } from '@pc/auth';
import { UserErrorsException, forbidden, type UserError } from '@pc/errors';
import { isUuid } from '@pc/graphql-kit';
import { DeclarationCode, declarationError } from '../domain/codes';
import { CURRENT_DECLARATION_STATUSES, Declaration, type DeclarationStatus } from '../entities/Declaration';
import type { DeclarationRequest, DeclarationRequestStatus } from '../entities/DeclarationRequest';
import type { TerminateDeclarationInput } from '../generated/graphql';
import type { Loaders } from '../loaders/createLoaders';
import { lockDoctorLists, lockPerson, publishCounts, terminateDeclaration } from '../queries';
import { placesTaken } from './doctorLists';
import type { DeclarationsEnv } from './DeclarationsEnv';
import { inTransaction } from './inTransaction';

/** The payload of terminateDeclaration. */
export interface DeclarationPayload {
  declaration: Declaration | null;
  userErrors: UserError[];
}

/** The reason a patient gives when ending their own declaration (eHealth's code). */
const MANUAL_PERSON = 'manual_person';
const ID_FIELD = ['input', 'id'];

/**
 * Reads of declarations and requests with who may see them, and the patient's termination.
 * A patient sees only their own; a doctor sees the declarations and requests naming them;
 * internal services see everything.
 */
export class DeclarationService {
  constructor(
    private readonly env: DeclarationsEnv,
    private readonly loaders: Loaders,
    private readonly caller: Caller,
  ) {}

  /** The person's declarations, newest first, optionally filtered by status. */
  async ofPerson(personId: string, status?: DeclarationStatus[] | null): Promise<Declaration[]> {
    this.requireReaderOf(personId);
    const all = await this.loaders.declarationsOfPerson.load(personId);
    return status?.length ? all.filter((d) => status.includes(d.status)) : all;
  }

  /** The person's current declaration (ACTIVE or PENDING_VERIFICATION), if any. */
  async currentOf(personId: string): Promise<Declaration | null> {
    return (await this.ofPerson(personId, CURRENT_DECLARATION_STATUSES))[0] ?? null;
  }

  /** The person's requests, newest first, optionally filtered by status. */
  async requestsOf(personId: string, status?: DeclarationRequestStatus[] | null): Promise<DeclarationRequest[]> {
    this.requireReaderOf(personId);
    const all = await this.loaders.requestsOfPerson.load(personId);
    return status?.length ? all.filter((r) => status.includes(r.status)) : all;
  }

  /** A declaration referenced from another subgraph or a payload; null when not visible. */
  async declarationById(id: string): Promise<Declaration | null> {
    const d = isUuid(id) ? await this.loaders.declarationById.load(id) : null;
    return d && this.mayRead(d) ? d : null;
  }

  /** A request referenced from another subgraph; null when not visible. */
  async requestById(id: string): Promise<DeclarationRequest | null> {
    const r = isUuid(id) ? await this.loaders.requestById.load(id) : null;
    return r && this.mayRead(r) ? r : null;
  }

  /** The declaration signed from a request (visible to whoever sees the request). */
  async ofRequest(requestId: string): Promise<Declaration | null> {
    return this.loaders.declarationByRequestId.load(requestId);
  }

  /** Declarations holding a place in the doctor's list (public, as the directory is). */
  async activeCount(doctorId: string): Promise<number> {
    return (await this.loaders.doctorPlaces.load(doctorId)).declarations;
  }

  /** Whether the doctor's list has room below `limit` (public). */
  async accepting(doctorId: string, limit: number | null | undefined): Promise<boolean> {
    if (limit === null || limit === undefined) return false;
    return placesTaken(await this.loaders.doctorPlaces.load(doctorId)) < limit;
  }

  /**
   * The patient ends their own current declaration (reason manual_person). It needs the same
   * capacity as signing one, read from identity before the transaction.
   */
  async terminate(input: TerminateDeclarationInput): Promise<DeclarationPayload> {
    const { personId, asRepresentative } = requireActingFor(this.caller, input.personId, 'declaration:write');
    const declaration = isUuid(input.id) ? await this.env.dataSource.getRepository(Declaration).findOneBy({ id: input.id }) : null;
    if (!declaration) return { declaration: null, userErrors: [declarationError(DeclarationCode.DECLARATION_NOT_FOUND, ID_FIELD)] };
    if (declaration.personId !== personId) throw forbidden('Not your declaration');
    if (input.reason != null && input.reason.trim().toLowerCase() !== MANUAL_PERSON) {
      return { declaration, userErrors: [declarationError(DeclarationCode.INVALID_TERMINATION_REASON, ['input', 'reason'])] };
    }
    if (!CURRENT_DECLARATION_STATUSES.includes(declaration.status)) {
      return { declaration, userErrors: [declarationError(DeclarationCode.DECLARATION_NOT_ACTIVE, ID_FIELD)] };
    }
    const person = await this.env.owners.person(personId, this.caller.requestId);
    if (!person || (!asRepresentative && !person.canSubmitDeclaration))
      throw forbidden('You may not change your declarations alone; a legal representative acts for you');

    // Answered with the row as this transaction commits it (read inside it, under the row lock
    // its UPDATE holds until the commit), or, with user errors, as committed now.
    let committed: Declaration;
    try {
      committed = await inTransaction(this.env.dataSource, async (m: EntityManager) => {
        await lockPerson(m, personId);
        const versions = await lockDoctorLists(m, [declaration.doctorId]);
        const terminated = await terminateDeclaration(m, declaration.id, MANUAL_PERSON, input.description?.trim() || null);
        if (!terminated) throw new UserErrorsException([declarationError(DeclarationCode.DECLARATION_NOT_ACTIVE, ID_FIELD)]);
        await publishCounts(m, versions);
        return m.getRepository(Declaration).findOneByOrFail({ id: declaration.id });
      });
    } catch (err) {
      if (err instanceof UserErrorsException)
        return { declaration: await this.env.dataSource.getRepository(Declaration).findOneBy({ id: declaration.id }), userErrors: err.userErrors };
      throw err;
    }
    this.env.countsChanged();
    return { declaration: committed, userErrors: [] };
  }

  /** Throws FORBIDDEN unless the caller is this person (with declaration:read) or a service. */
  private requireReaderOf(personId: string): void {
    requireSelfOrService(this.caller, personId, 'declaration:read');
  }

  private mayRead(row: { personId: string; doctorId: string }): boolean {
    const c = this.caller;
    if (isService(c)) return true;
    if (c.roles.includes('PATIENT') && (c.subject === row.personId || isRepresentativeOf(c, row.personId)))
      return hasScope(c, 'declaration:read') || hasScope(c, 'declaration:write');
    if (c.roles.includes('DOCTOR') && c.subject === row.doctorId) return true;
    return false;
  }
}
