import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { requireActingFor, requireDoctor, type Caller } from '@pc/auth';
import { UserErrorsException, forbidden, type UserError } from '@pc/errors';
import { isUuid } from '@pc/graphql-kit';
import { DeclarationCode, declarationError } from '../domain/codes';
import {
  checkEligibility,
  declarationPeriod,
  doctorLimit,
  hasRoom,
  initialDeclarationStatus,
  type DoctorFacts,
  type ErrorFields,
  type PersonFacts,
} from '../domain/rules';
import { formatDeclarationNumber } from '../domain/declarationNumber';
import { Declaration } from '../entities/Declaration';
import { DeclarationRequest } from '../entities/DeclarationRequest';
import type {
  CancelDeclarationRequestInput,
  RejectDeclarationRequestInput,
  SignDeclarationRequestInput,
  SubmitDeclarationRequestInput,
} from '../generated/graphql';
import type { Loaders } from '../loaders/createLoaders';
import {
  cancelOpenRequests,
  closeOpenRequest,
  countPlaces,
  currentDeclarationDoctors,
  lockDoctorLists,
  lockPerson,
  lockRequest,
  nextDeclarationSeq,
  openRequestDoctors,
  publishCounts,
  terminateCurrentDeclarations,
  type RequestClosing,
} from '../queries';
import { placesTaken } from './doctorLists';
import { today, type DeclarationsEnv } from './DeclarationsEnv';
import { inTransaction } from './inTransaction';

/**
 * The payload of every mutation on a request. On success `declarationRequest` is the row as the
 * mutation's own transaction committed it (read inside that transaction after its last write,
 * while the row cannot change: see {@link DeclarationRequestService.write}). With user errors
 * nothing was written and it is the row as committed when the answer was built.
 */
export interface DeclarationRequestPayload {
  declarationRequest: DeclarationRequest | null;
  userErrors: UserError[];
}

/** A transaction's result: the request it wrote, and the declaration it created, if any. */
interface Written {
  id: string;
  declarationId?: string;
}

const ID_FIELD = ['input', 'id'];
// At signing every problem is about the request itself.
const SIGN_FIELDS: ErrorFields = { doctor: ID_FIELD, division: ID_FIELD, person: ID_FIELD };
const SUBMIT_FIELDS: ErrorFields = { doctor: ['input', 'doctorId'], division: ['input', 'divisionId'], person: ['input'] };

/**
 * The life of a declaration request: the patient submits and cancels, the doctor named in it
 * signs (creating the declaration) or rejects. Each rule of docs/domain.md is checked at
 * submission and again at signing, against data read from its owner before any transaction.
 */
export class DeclarationRequestService {
  constructor(
    private readonly env: DeclarationsEnv,
    private readonly caller: Caller,
    private readonly loaders: Loaders,
  ) {}

  /** The patient signs up with a doctor; APPROVED at once (submitting online is the patient's approval). */
  async submit(input: SubmitDeclarationRequestInput): Promise<DeclarationRequestPayload> {
    // The person themselves, or someone they represent (input.personId): FORBIDDEN for anyone else.
    const { personId, asRepresentative } = requireActingFor(this.caller, input.personId, 'declaration:write');
    const found: UserError[] = [];
    if (!isUuid(input.doctorId)) found.push(declarationError(DeclarationCode.DOCTOR_NOT_FOUND, SUBMIT_FIELDS.doctor));
    if (!isUuid(input.divisionId)) found.push(declarationError(DeclarationCode.DIVISION_NOT_FOUND, SUBMIT_FIELDS.division));
    if (found.length) return failed(found);

    const [person, { doctor, division }] = await Promise.all([
      this.env.owners.person(personId, this.caller.requestId),
      this.env.owners.doctorAndDivision(input.doctorId, input.divisionId, this.caller.requestId),
    ]);
    if (!person) return failed([declarationError(DeclarationCode.PERSON_NOT_FOUND, SUBMIT_FIELDS.person)]);
    // The patient acts beyond their capacity: FORBIDDEN, like every other capacity refusal
    // (api.md). Identity also withholds the capability from NOT_VERIFIED records; that case is
    // the PERSON_NOT_VERIFIED user error of the rules below.
    // A representative acts for a person without that capacity (a child under 14): that is the point.
    if (!asRepresentative && !person.canSubmitDeclaration && person.verificationStatus !== 'NOT_VERIFIED') {
      throw forbidden('You may not sign a declaration alone; a legal representative acts for you');
    }
    const errors = checkEligibility({ person, doctor, division, today: today(this.env) }, this.env.rules, SUBMIT_FIELDS);
    if (errors.length || !doctor) return failed(errors);

    return this.write(async (m) => {
      await lockPerson(m, personId);
      // One open request per person: the new one replaces the person's open requests, whatever
      // the doctor, and frees their places. Under the person lock no open request of this person
      // can appear (only a submission creates one, and it holds this lock), so the doctors read
      // here are every doctor whose count this transaction changes; all are locked, in id order.
      const versions = await lockDoctorLists(m, [doctor.id, ...(await openRequestDoctors(m, personId))]);
      // Before the cancellation, so a refused submission writes nothing: the person's own requests
      // never count against them, so the cancellation would not change the answer.
      await this.requireRoom(m, doctor, personId, SUBMIT_FIELDS.doctor);
      const id = randomUUID();
      // replaced_by names the new row, inserted below (the foreign key is checked at commit).
      const cancelled = await cancelOpenRequests(m, personId, id);
      if (cancelled.some((doctorId) => !versions.has(doctorId))) throw new Error('an open request appeared without the person lock');
      const hours = this.env.settings.DECLARATION_REQUEST_EXPIRATION_HOURS;
      if (!Number.isInteger(hours)) throw new Error(`DECLARATION_REQUEST_EXPIRATION_HOURS is not an integer: ${hours}`);
      await m.getRepository(DeclarationRequest).insert({
        id,
        personId,
        doctorId: doctor.id,
        divisionId: input.divisionId,
        legalEntityId: doctor.legalEntity?.id ?? null,
        status: 'APPROVED',
        channel: 'ONLINE',
        personFirstName: person.firstName,
        personLastName: person.lastName,
        personBirthDate: person.birthDate,
        doctorSpeciality: doctor.speciality,
        submittedBy: asRepresentative ? this.caller.subject : null,
        expiresAt: () => `now() + make_interval(hours => ${hours})`,
      });
      await publishCounts(m, versions);
      return { id };
    });
  }

  /** The patient withdraws their own NEW or APPROVED request. */
  async cancel(input: CancelDeclarationRequestInput): Promise<DeclarationRequestPayload> {
    const { personId, asRepresentative } = requireActingFor(this.caller, input.personId, 'declaration:write');
    const request = await this.find(input.id);
    if (!request) return failed([declarationError(DeclarationCode.REQUEST_NOT_FOUND, ID_FIELD)]);
    if (request.personId !== personId) throw forbidden('Not your declaration request');
    if (!asRepresentative) {
      // Withdrawing needs the capacity submitting does (a child under 14 acts through a representative).
      const person = await this.env.owners.person(personId, this.caller.requestId);
      if (!person || (!person.canSubmitDeclaration && person.verificationStatus !== 'NOT_VERIFIED')) {
        throw forbidden('You may not change your declarations alone; a legal representative acts for you');
      }
    }
    return this.closeOpenRequest(request, { status: 'CANCELLED', cancellationReason: 'manual_person' });
  }

  /** The doctor named in the request refuses it. */
  async reject(input: RejectDeclarationRequestInput): Promise<DeclarationRequestPayload> {
    const request = await this.findForDoctor(input.id);
    if (!request) return failed([declarationError(DeclarationCode.REQUEST_NOT_FOUND, ID_FIELD)]);
    if (!input.reason?.trim()) return failed([declarationError(DeclarationCode.REASON_REQUIRED, ['input', 'reason'])], request);
    return this.closeOpenRequest(request, { status: 'REJECTED', rejectionReason: input.reason.trim() });
  }

  /**
   * The doctor named in the request signs it: every rule is checked again with fresh data from
   * the owners, then in one transaction the previous current declaration of the person is
   * terminated and the new one created (ACTIVE, or PENDING_VERIFICATION for OFFLINE
   * authentication or no tax number).
   */
  async sign(input: SignDeclarationRequestInput): Promise<DeclarationRequestPayload> {
    const request = await this.findForDoctor(input.id);
    if (!request) return failed([declarationError(DeclarationCode.REQUEST_NOT_FOUND, ID_FIELD)]);
    // Cheap checks first: no reason to ask the owners about a request that cannot be signed.
    const early = this.signable(request, this.env.now());
    if (early.length) return failed(early, request);

    const [person, { doctor, division }] = await Promise.all([
      this.env.owners.person(request.personId, this.caller.requestId),
      this.env.owners.doctorAndDivision(request.doctorId, request.divisionId, this.caller.requestId),
    ]);
    if (!person) return this.failedNow([declarationError(DeclarationCode.PERSON_NOT_FOUND, ID_FIELD)], request.id);
    const day = today(this.env);
    const errors = checkEligibility({ person, doctor, division, today: day }, this.env.rules, SIGN_FIELDS);
    // A request a representative submitted does not need the person's own capacity.
    if (!request.submittedBy && !person.canSubmitDeclaration && person.verificationStatus !== 'NOT_VERIFIED')
      errors.push(declarationError(DeclarationCode.PERSON_NO_CAPACITY, ID_FIELD));
    // The owners were asked over HTTP meanwhile: the request is shown as it is now.
    if (errors.length || !doctor) return this.failedNow(errors, request.id);

    return this.write(async (m) => {
      await lockPerson(m, request.personId);
      const versions = await lockDoctorLists(m, [doctor.id, ...(await currentDeclarationDoctors(m, request.personId))]);
      const locked = await lockRequest(m, request.id);
      // Someone may have cancelled, rejected or signed it since the first look.
      if (!locked || locked.status !== 'APPROVED') throw new UserErrorsException([declarationError(DeclarationCode.REQUEST_NOT_APPROVED, ID_FIELD)]);
      if (!locked.live) throw new UserErrorsException([declarationError(DeclarationCode.REQUEST_EXPIRED, ID_FIELD)]);
      await this.requireRoom(m, doctor, request.personId, ID_FIELD);
      await terminateCurrentDeclarations(m, request.personId, 'auto_new_declaration');
      const declarationId = await insertDeclaration(m, { request, doctor, person, day, settings: this.env.rules });
      await m.getRepository(DeclarationRequest).update({ id: request.id }, { status: 'SIGNED', updatedAt: () => 'now()' });
      await publishCounts(m, versions);
      return { id: request.id, declarationId };
    }, request.id);
  }

  /** Problems that stop `request` from being signed at `now`. */
  private signable(request: Pick<DeclarationRequest, 'status' | 'expiresAt'>, now: Date): UserError[] {
    if (request.status !== 'APPROVED') return [declarationError(DeclarationCode.REQUEST_NOT_APPROVED, ID_FIELD)];
    if (request.expiresAt.getTime() <= now.getTime()) return [declarationError(DeclarationCode.REQUEST_EXPIRED, ID_FIELD)];
    return [];
  }

  /** Throws DOCTOR_LIMIT_REACHED unless the doctor's list has a place for `personId`. Call with the doctor's list locked. */
  private async requireRoom(m: EntityManager, doctor: DoctorFacts, personId: string, field: string[]): Promise<void> {
    const places = (await countPlaces(m, [doctor.id], personId)).get(doctor.id);
    if (!places || !hasRoom(placesTaken(places), doctorLimit(doctor, this.env.rules))) {
      throw new UserErrorsException([declarationError(DeclarationCode.DOCTOR_LIMIT_REACHED, field)]);
    }
  }

  /** Moves an open request to a final status. */
  private async closeOpenRequest(request: DeclarationRequest, closing: RequestClosing): Promise<DeclarationRequestPayload> {
    return this.write(async (m) => {
      // The lock order of every request change: the person, the doctors, the row.
      await lockPerson(m, request.personId);
      const versions = await lockDoctorLists(m, [request.doctorId]);
      if (!(await closeOpenRequest(m, request.id, closing))) throw new UserErrorsException([declarationError(DeclarationCode.REQUEST_NOT_OPEN, ID_FIELD)]);
      await publishCounts(m, versions);
      return { id: request.id };
    }, request.id);
  }

  /** A request the calling doctor may act on; FORBIDDEN for anyone but the doctor named in it. */
  private async findForDoctor(id: string): Promise<DeclarationRequest | null> {
    const doctorId = requireDoctor(this.caller, 'declaration:sign');
    const request = await this.find(id);
    if (request && request.doctorId !== doctorId) throw forbidden('Only the doctor named in the request may act on it');
    return request;
  }

  private async find(id: string): Promise<DeclarationRequest | null> {
    return isUuid(id) ? this.env.dataSource.getRepository(DeclarationRequest).findOneBy({ id }) : null;
  }

  /**
   * Runs a write and answers with the request exactly as this transaction commits it.
   *
   * The row is read inside the transaction after its last write. Nothing else can change it
   * between that read and the commit: a submission's new row is invisible to every other
   * transaction until it commits, and a signed, cancelled or rejected row stays locked by this
   * transaction's UPDATE (or SELECT … FOR UPDATE) until then. (Reading it after the commit
   * instead could show a later transaction's change, e.g. the CANCELLED written by the person's
   * next submission, and reading an entity from before the transaction could show a state that
   * never committed in it.) A later transaction may of course change the row afterwards; that is
   * visible in `Person.declarationRequests`, and for a cancellation by a newer request in the
   * row's `cancellation_reason` and `replaced_by`.
   *
   * User errors thrown inside roll the transaction back and become the payload, with the
   * request `failedId` as committed now (re-read after the rollback, never the stale entity the
   * checks started from). On success the outbox relay is woken.
   */
  private async write(work: (m: EntityManager) => Promise<Written>, failedId: string | null = null): Promise<DeclarationRequestPayload> {
    let committed: { request: DeclarationRequest; declaration: Declaration | null };
    try {
      committed = await inTransaction(this.env.dataSource, async (m) => {
        const written = await work(m);
        return {
          request: await m.getRepository(DeclarationRequest).findOneByOrFail({ id: written.id }),
          declaration: written.declarationId ? await m.getRepository(Declaration).findOneByOrFail({ id: written.declarationId }) : null,
        };
      });
    } catch (err) {
      if (err instanceof UserErrorsException) return this.failedNow(err.userErrors, failedId);
      throw err;
    }
    this.env.countsChanged();
    // The signed declaration as this transaction created it, for DeclarationRequest.declaration.
    if (committed.declaration) this.loaders.declarationByRequestId.clear(committed.request.id).prime(committed.request.id, committed.declaration);
    return { declarationRequest: committed.request, userErrors: [] };
  }

  /** A failed payload with the request `id` as committed now (nothing was written). */
  private async failedNow(userErrors: UserError[], id: string | null): Promise<DeclarationRequestPayload> {
    return failed(userErrors, id ? await this.find(id) : null);
  }
}

const failed = (userErrors: UserError[], declarationRequest: DeclarationRequest | null = null): DeclarationRequestPayload => ({
  declarationRequest,
  userErrors,
});

/** Creates the declaration of a signed request, numbered from the sequence; returns its id. */
async function insertDeclaration(
  m: EntityManager,
  a: { request: DeclarationRequest; doctor: DoctorFacts; person: PersonFacts; day: string; settings: Parameters<typeof declarationPeriod>[3] },
): Promise<string> {
  const id = randomUUID();
  const number = formatDeclarationNumber(await nextDeclarationSeq(m));
  const speciality = a.doctor.speciality ?? 'FAMILY_DOCTOR';
  const { startDate, endDate } = declarationPeriod(speciality, a.person.birthDate, a.day, a.settings);
  await m.getRepository(Declaration).insert({
    id,
    number,
    declarationRequestId: a.request.id,
    personId: a.request.personId,
    doctorId: a.request.doctorId,
    divisionId: a.request.divisionId,
    legalEntityId: a.doctor.legalEntity?.id ?? null,
    speciality,
    status: initialDeclarationStatus(a.person),
    startDate,
    endDate,
    signedAt: () => 'now()',
  });
  return id;
}
