import { isDeepStrictEqual } from 'node:util';
import type { DataSource, EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { requireActingFor, type Caller } from '@pc/auth';
import { ErrorCode, codedError, type UserError } from '@pc/errors';
import type { Address, EmergencyContact, PersonDocument, Phone, VerificationStatus } from '../domain/personData';
import {
  type PhoneInput,
  validateAddresses,
  validateDocuments,
  validateEmail,
  validateEmergencyContact,
  validatePhones,
  validatePreferredChannel,
  validateTextLength,
  validateUnzr,
} from '../domain/validation';
import { Person } from '../entities/Person';
import { PersonChange } from '../entities/PersonChange';
import type { UpdateAddressesInput, UpdateContactsInput, UpdateDocumentsInput, UpdateEmergencyContactInput } from '../generated/graphql';
import type { Loaders } from '../loaders/createLoaders';
import { capacityForbidden, type PersonService } from './PersonService';

/** GraphQL `UpdatePersonPayload`. */
export interface UpdatePersonPayload {
  person: Person | null;
  userErrors: UserError[];
}

/** Codes of user errors raised here rather than by the validators. */
const UpdateCode = {
  /** `expectedVersion` is not the record's current version: someone changed it meanwhile. */
  VERSION_CONFLICT: ErrorCode.VERSION_CONFLICT,
  /** A UNZR is on file and the input names a different one; the register never re-numbers. */
  UNZR_NOT_CHANGEABLE: 'UNZR_NOT_CHANGEABLE',
} as const;

const VERSION_CONFLICT_ERROR: UserError = {
  field: ['input', 'expectedVersion'],
  code: UpdateCode.VERSION_CONFLICT,
  message: 'The record changed since you read it; reload it and try again / Дані змінилися після того, як ви їх відкрили; оновіть їх і повторіть',
};

/** The fields a patient may change online. */
type EditableField = 'email' | 'phones' | 'preferredWayOfCommunication' | 'addresses' | 'documents' | 'unzr' | 'emergencyContact' | 'verificationStatus';
type Patch = Partial<Pick<Person, EditableField>>;

/** What a mutation wants to write, or why it may not. */
interface Plan {
  errors: UserError[];
  patch: Patch;
}

/** Thrown inside the transaction to roll it back when the versioned UPDATE matched no row. */
class VersionConflict extends Error {}

const phone = (p: PhoneInput): Phone => ({ type: p.type, number: p.number });

/**
 * Changes of the signed-in person's own record. Every mutation runs the same pipeline:
 * scope → record → capacity → validation and version check → diff → one transaction holding
 * `UPDATE … WHERE id = $1 AND version = $2` and the history row. Bad input and a stale version are
 * user errors with nothing written; capacity and scope are FORBIDDEN errors.
 */
export class PersonUpdateService {
  constructor(
    private readonly ds: DataSource,
    private readonly loaders: Loaders,
    private readonly caller: Caller,
    private readonly persons: PersonService,
  ) {}

  /** Phones, e-mail and the preferred channel; omitted fields stay, null clears e-mail or channel. */
  updateContacts(input: UpdateContactsInput): Promise<UpdatePersonPayload> {
    return this.update('updateContacts', input, (person) => {
      const errors: UserError[] = [];
      const patch: Patch = {};
      if (input.email !== undefined) {
        if (input.email !== null) errors.push(...validateEmail(input.email, ['input', 'email']));
        patch.email = input.email;
      }
      if (input.phones != null) {
        errors.push(...validatePhones(input.phones, ['input', 'phones']));
        patch.phones = input.phones.map(phone);
      }
      if (input.preferredWayOfCommunication !== undefined) patch.preferredWayOfCommunication = input.preferredWayOfCommunication;
      // Checked on the record as it would be after the change, so that dropping the e-mail while
      // e-mail stays the preferred channel is caught as well as choosing a channel one lacks.
      const after = { ...person, ...patch };
      errors.push(...validatePreferredChannel(after, ['input', 'preferredWayOfCommunication']));
      return { errors, patch };
    });
  }

  /** The whole address list. */
  updateAddresses(input: UpdateAddressesInput): Promise<UpdatePersonPayload> {
    return this.update('updateAddresses', input, () => {
      const path = ['input', 'addresses'];
      const errors = validateAddresses(input.addresses, path);
      input.addresses.forEach((a, i) => {
        for (const field of ['country', 'area', 'region', 'settlement', 'settlementId', 'streetType', 'street', 'apartment'] as const) {
          errors.push(...validateTextLength(a[field], [...path, String(i), field]));
        }
      });
      const addresses: Address[] = input.addresses.map((a) => ({
        type: a.type,
        country: a.country,
        area: a.area,
        region: a.region ?? null,
        settlement: a.settlement,
        settlementType: a.settlementType,
        settlementId: a.settlementId ?? null,
        streetType: a.streetType ?? null,
        street: a.street ?? null,
        building: a.building ?? null,
        apartment: a.apartment ?? null,
        zip: a.zip ?? null,
      }));
      return { errors, patch: { addresses } };
    });
  }

  /**
   * The whole document list (and the UNZR of a new ID card when none is on file). Any actual
   * change sends the record back to VERIFICATION_NEEDED: the new documents are unchecked.
   */
  updateDocuments(input: UpdateDocumentsInput): Promise<UpdatePersonPayload> {
    return this.update(
      'updateDocuments',
      input,
      (person) => {
        const errors: UserError[] = [];
        const patch: Patch = {};
        if (input.unzr != null) {
          if (person.unzr !== null && person.unzr !== input.unzr) {
            errors.push({
              field: ['input', 'unzr'],
              code: UpdateCode.UNZR_NOT_CHANGEABLE,
              message: 'The UNZR on file cannot be changed online; contact support / УНЗР не змінюється онлайн; зверніться до підтримки',
            });
          } else {
            errors.push(...validateUnzr(input.unzr, person.birthDate, ['input', 'unzr']));
            patch.unzr = input.unzr;
          }
        }
        const path = ['input', 'documents'];
        errors.push(...validateDocuments(input.documents, { birthDate: person.birthDate, today: this.persons.today, unzr: patch.unzr ?? person.unzr }, path));
        input.documents.forEach((d, i) => errors.push(...validateTextLength(d.issuedBy, [...path, String(i), 'issuedBy'])));
        patch.documents = input.documents.map((d): PersonDocument => ({
          type: d.type,
          number: d.number,
          issuedAt: d.issuedAt,
          issuedBy: d.issuedBy,
          expirationDate: d.expirationDate ?? null,
        }));
        return { errors, patch };
      },
      (): Patch => ({ verificationStatus: 'VERIFICATION_NEEDED' satisfies VerificationStatus }),
    );
  }

  /** The emergency contact. */
  updateEmergencyContact(input: UpdateEmergencyContactInput): Promise<UpdatePersonPayload> {
    return this.update('updateEmergencyContact', input, () => {
      const c = input.emergencyContact;
      const errors = validateEmergencyContact(c, ['input', 'emergencyContact']);
      const emergencyContact: EmergencyContact = {
        firstName: c.firstName,
        lastName: c.lastName,
        secondName: c.secondName ?? null,
        phones: (c.phones ?? []).map(phone),
      };
      return { errors, patch: { emergencyContact } };
    });
  }

  /**
   * The shared pipeline.
   *
   * @param action - the mutation's name, recorded in the history
   * @param expectedVersion - the version the client read
   * @param plan - validates the input against the stored record and says what to write
   * @param onChange - extra fields to write when the plan changes anything (e.g. verification)
   */
  private async update(
    action: string,
    input: { expectedVersion: number; personId?: string | null },
    plan: (person: Person) => Plan,
    onChange?: () => Patch,
  ): Promise<UpdatePersonPayload> {
    const { expectedVersion } = input;
    // The person themselves, or someone they represent (input.personId); FORBIDDEN otherwise.
    const { personId } = requireActingFor(this.caller, input.personId, 'person:write');
    // Read fresh rather than through the loader: an earlier mutation of the same request may
    // have changed the row since the loader cached it.
    const person = await this.ds.getRepository(Person).findOneBy({ id: personId });
    if (!person) throw codedError(ErrorCode.NOT_FOUND, 'No record for this person');
    // Belt and braces: the embedded database's multiplexer can hand one connection another
    // connection's rows under concurrency (pglite-socket, electric-sql/pglite#1046). Writing on
    // the strength of someone else's record must be impossible, whatever the driver does.
    if (person.id !== personId) throw new Error('the database returned another person than asked for');
    const caps = this.persons.capabilities(person);
    if (!caps.canEditPersonalData) {
      throw capacityForbidden('Your personal data can be changed only by your legal representative or through support', caps.reason);
    }

    const { errors, patch } = plan(person);
    if (person.version !== expectedVersion) errors.push(VERSION_CONFLICT_ERROR);
    if (errors.length > 0) return { person, userErrors: errors };

    const changed = (Object.keys(patch) as EditableField[]).filter((f) => !isDeepStrictEqual(patch[f], person[f]));
    if (changed.length === 0) return { person, userErrors: [] };
    const extra = onChange?.() ?? {};
    for (const f of Object.keys(extra) as EditableField[]) {
      if (!isDeepStrictEqual(extra[f], person[f])) {
        changed.push(f);
        Object.assign(patch, { [f]: extra[f] });
      }
    }

    try {
      const updated = await this.ds.transaction((em) => this.write(em, action, person, patch, changed));
      this.loaders.personById.clear(personId).prime(personId, updated);
      return { person: updated, userErrors: [] };
    } catch (err) {
      if (!(err instanceof VersionConflict)) throw err;
      const current = await this.ds.getRepository(Person).findOneBy({ id: personId });
      return { person: current, userErrors: [VERSION_CONFLICT_ERROR] };
    }
  }

  /**
   * The versioned UPDATE and its history row, in the caller's transaction, through the entities
   * (docs/architecture.md, "Data access"). The WHERE on version is what makes two concurrent
   * writers with the same `expectedVersion` safe: the second one's UPDATE waits on the first
   * one's row lock, then re-checks the row, finds the new version and matches nothing.
   */
  private async write(em: EntityManager, action: string, before: Person, patch: Patch, changed: EditableField[]): Promise<Person> {
    const set = Object.fromEntries(changed.map((f) => [f, patch[f] ?? null])) as QueryDeepPartialEntity<Person>;
    const { raw } = await em
      .createQueryBuilder()
      .update(Person)
      .set({ ...set, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: before.id, version: before.version })
      .returning(['version', 'updated_at'])
      .execute();
    const row = (raw as { version: number; updated_at: Date }[])[0];
    if (!row) throw new VersionConflict();

    const pick = (source: Patch | Person): Record<string, unknown> => Object.fromEntries(changed.map((f) => [f, source[f] ?? null]));
    const history = em.getRepository(PersonChange);
    // create() types the jsonb values as they are; insert() wants its query-partial form of them.
    await history.insert(
      history.create({
        personId: before.id,
        action,
        versionBefore: before.version,
        versionAfter: row.version,
        clientId: this.caller.clientId,
        subject: this.caller.subject,
        tokenId: this.caller.tokenId,
        requestId: this.caller.requestId,
        oldValues: pick(before),
        newValues: pick(patch),
      }) as QueryDeepPartialEntity<PersonChange>,
    );
    return Object.assign(new Person(), before, patch, { version: row.version, updatedAt: row.updated_at });
  }
}
