/**
 * Shared pieces of the identity integration tests: GraphQL documents, fresh persons cloned from
 * the demo patient (so each test owns its row), and raw read-backs used to prove that a rejected
 * change wrote nothing.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { UserError } from '@pc/errors';
import type { RunningSubgraph } from '@pc/testing';
import { DEMO_PERSONS, demoPersonRow, type DemoPerson } from '../src/seed/seedDemo';
import { insertPersonRows } from '../src/seed/seedPersons';

/** Every field of a person a test may compare. */
export const PERSON_FIELDS = `
  id version email preferredWayOfCommunication verificationStatus unzr birthDate authenticationMethod
  phones { type number }
  documents { type number issuedAt issuedBy expirationDate }
  addresses { type country area region settlement settlementType settlementId streetType street building apartment zip }
  emergencyContact { firstName lastName secondName phones { type number } }
  confidantPersons { relationType firstName active relationshipDocument { type activeTo } }
  capabilities { canView canEditPersonalData canSubmitDeclaration reason }`;

const payload = `{ person { ${PERSON_FIELDS} } userErrors { field code message } }`;

/** The four mutations of api.md, each with its full payload. */
export const M = {
  contacts: `mutation($i: UpdateContactsInput!) { updateContacts(input: $i) ${payload} }`,
  addresses: `mutation($i: UpdateAddressesInput!) { updateAddresses(input: $i) ${payload} }`,
  documents: `mutation($i: UpdateDocumentsInput!) { updateDocuments(input: $i) ${payload} }`,
  emergency: `mutation($i: UpdateEmergencyContactInput!) { updateEmergencyContact(input: $i) ${payload} }`,
} as const;

/** `{ me { … } }` with every field. */
export const ME = `{ me { ${PERSON_FIELDS} } }`;

/** A person as the tests read it back through GraphQL. */
export interface PersonView {
  id: string;
  version: number;
  email: string | null;
  verificationStatus: string;
  unzr: string | null;
  phones: { type: string; number: string }[];
  documents: { type: string; number: string }[];
  addresses: { type: string; settlement: string }[];
  emergencyContact: { firstName: string } | null;
  capabilities: { canView: boolean; canEditPersonalData: boolean; canSubmitDeclaration: boolean; reason: string | null };
}

/** A mutation payload as the tests read it. */
export interface Payload {
  person: PersonView | null;
  userErrors: UserError[];
}

/** The demo patient: an adult who may edit. */
export const demoPatient = DEMO_PERSONS[0] as DemoPerson;

/**
 * Inserts a copy of the demo patient under a new id with `overrides` applied; returns the id.
 * Each test works on its own row, so tests neither depend on each other's order nor on the
 * demo rows that the acceptance script changes.
 */
export async function freshPerson(ds: DataSource, overrides: Partial<DemoPerson> = {}): Promise<string> {
  const p = { ...demoPatient, ...overrides, id: overrides.id ?? randomUUID() };
  await insertPersonRows(ds, [demoPersonRow(p)]);
  return p.id;
}

/** The whole stored row as JSON text: equal text before and after means nothing was written. */
export async function rawRow(ds: DataSource, id: string): Promise<string> {
  const [row] = (await ds.query('SELECT row_to_json(p)::text AS j FROM identity.person p WHERE id = $1', [id])) as { j: string }[];
  if (!row) throw new Error(`no person ${id}`);
  return row.j;
}

/** The stored history rows of a person, oldest first. */
export async function historyRows(ds: DataSource, id: string): Promise<Record<string, unknown>[]> {
  return ds.query('SELECT * FROM identity.person_change WHERE person_id = $1 ORDER BY id', [id]);
}

/** Calls a mutation and returns its payload (failing the test on GraphQL errors). */
export async function mutate(
  sg: RunningSubgraph,
  doc: string,
  input: Record<string, unknown>,
  caller: Parameters<RunningSubgraph['call']>[2],
): Promise<Payload> {
  const r = await sg.call<Record<string, Payload>>(doc, { i: input }, caller);
  if (r.errors) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(r.errors)}`);
  const data = r.data as Record<string, Payload>;
  return Object.values(data)[0] as Payload;
}
