/**
 * Bulk seeding of generated persons: the demo's few hundred and the benchmarks' million.
 *
 * People are streamed from {@link iteratePersons} in batches; each batch is one
 * `INSERT … SELECT FROM jsonb_to_recordset($1) ON CONFLICT (id) DO NOTHING` (one parameter, so no
 * 65,535-parameter ceiling, and the server parses the rows in a single pass), and the next batch
 * is generated while the database writes the current one. Re-running with the same seed inserts
 * nothing new, so the seed is idempotent.
 *
 * @packageDocumentation
 */
import type { DataSource } from 'typeorm';
import { addYears } from '@pc/calendar';
import type { Address, ConfidantPerson } from '../domain/personData';
import { type GeneratedConfidantPerson, type GeneratedPerson, iteratePersons } from './generatePersons';

/**
 * The date generated people are "as of" unless a run says otherwise. Fixed rather than the
 * current date so that the demo data is byte-for-byte the same on every start.
 */
export const SEED_REFERENCE_DATE = '2026-01-01';

/** Options of {@link seedPersons}. */
export interface SeedPersonsOptions {
  /** How many people. */
  count: number;
  /** Generator seed; equal seeds give equal people (and ids, see `personId`). */
  seed: number;
  /** Index of the first person; default 0 (lets parallel workers seed disjoint ranges). */
  offset?: number;
  /** The generator's "today"; default {@link SEED_REFERENCE_DATE}. */
  today?: string;
  /** Rows per INSERT; default 5,000 (about 10 MB of JSON per statement). */
  batchSize?: number;
  /** Called after each batch with the number of people written so far (inserted or skipped). */
  onProgress?: (done: number) => void;
}

// Parents represent a child until the child comes of age (Civil Code of Ukraine, art. 242), so
// the birth certificate proving the relationship is in force until the day before the 18th birthday.
function confidant(c: GeneratedConfidantPerson, childBirthDate: string): ConfidantPerson {
  const proof = c.documentsRelationship[0];
  if (!proof) throw new RangeError('a generated confidant has no relationship document');
  const eighteenth = addYears(childBirthDate, 18);
  return {
    relationType: c.relationType,
    personId: null,
    firstName: c.firstName,
    lastName: c.lastName,
    secondName: c.secondName,
    birthDate: c.birthDate,
    gender: c.gender,
    taxId: c.taxId,
    phones: c.phones,
    relationshipDocument: {
      type: 'BIRTH_CERTIFICATE',
      number: proof.number,
      issuedAt: proof.issuedAt,
      issuedBy: proof.issuedBy,
      activeTo: new Date(Date.parse(`${eighteenth}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
    },
  };
}

/** One row of {@link insertPersonRows}: a person's columns under their database names. */
export type PersonRow = Record<string, unknown>;

/** A generated person as a row of the recordset; keys are the column names. */
function toRow(p: GeneratedPerson): PersonRow {
  const addresses: Address[] = p.addresses.map((a) => ({
    type: a.type,
    country: a.country,
    area: a.area,
    region: a.region,
    settlement: a.settlement,
    settlementType: a.settlementType,
    settlementId: null,
    streetType: a.streetType,
    street: a.street,
    building: a.building,
    apartment: a.apartment,
    zip: a.zip,
  }));
  return {
    id: p.id,
    first_name: p.firstName,
    last_name: p.lastName,
    second_name: p.secondName,
    birth_date: p.birthDate,
    birth_country: p.birthCountry,
    birth_settlement: p.birthSettlement,
    gender: p.gender,
    tax_id: p.taxId,
    no_tax_id: p.noTaxId,
    unzr: p.unzr,
    email: p.email,
    phones: p.phones,
    documents: p.documents,
    addresses,
    emergency_contact: p.emergencyContact,
    confidant_persons: p.confidantPersons.map((c) => confidant(c, p.birthDate)),
    legal_capacity_document: null,
    authentication_method: p.authenticationMethod,
    preferred_way_communication: p.preferredWayOfCommunication,
    verification_status: p.verificationStatus,
  };
}

// jsonb_to_recordset turns a JSON null into SQL NULL for every column type, jsonb included,
// which keeps "no emergency contact" a NULL rather than a jsonb 'null'.
const INSERT_BATCH = `
  WITH inserted AS (
  INSERT INTO identity.person (
    id, first_name, last_name, second_name, birth_date, birth_country, birth_settlement, gender,
    tax_id, no_tax_id, unzr, email, phones, documents, addresses, emergency_contact, confidant_persons,
    legal_capacity_document, authentication_method, preferred_way_communication, verification_status, version)
  SELECT
    id, first_name, last_name, second_name, birth_date, birth_country, birth_settlement, gender,
    tax_id, no_tax_id, unzr, email, phones, documents, addresses, emergency_contact, confidant_persons,
    legal_capacity_document, authentication_method, preferred_way_communication, verification_status, 1
  FROM jsonb_to_recordset($1::jsonb) AS t(
    id uuid, first_name text, last_name text, second_name text, birth_date date, birth_country text,
    birth_settlement text, gender text, tax_id text, no_tax_id boolean, unzr text, email text,
    phones jsonb, documents jsonb, addresses jsonb, emergency_contact jsonb, confidant_persons jsonb,
    legal_capacity_document jsonb, authentication_method text, preferred_way_communication text, verification_status text)
  ON CONFLICT (id) DO NOTHING
  RETURNING 1)
  SELECT count(*)::int AS n FROM inserted`;

/**
 * Inserts person rows in one statement, skipping ids already present; returns how many were new.
 *
 * @param ds - the identity data source
 * @param rows - rows keyed by column name (missing keys become NULL, so give every NOT NULL column)
 */
export async function insertPersonRows(ds: DataSource, rows: readonly PersonRow[]): Promise<number> {
  const [result] = (await ds.query(INSERT_BATCH, [JSON.stringify(rows)])) as { n: number }[];
  return result?.n ?? 0;
}

/**
 * Writes `count` generated people (indexes `offset …`) in batches; returns how many rows were
 * new. Deterministic and idempotent: a second run with the same options inserts 0.
 *
 * @param ds - the identity data source (migrated)
 * @param options - see {@link SeedPersonsOptions}
 */
export async function seedPersons(ds: DataSource, options: SeedPersonsOptions): Promise<{ inserted: number }> {
  const batchSize = options.batchSize ?? 5_000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const people = iteratePersons({ seed: options.seed, count: options.count, offset: options.offset ?? 0, today: options.today ?? SEED_REFERENCE_DATE });
  let inserted = 0;
  let done = 0;
  let pending: Promise<void> | null = null;
  const write = async (rows: PersonRow[]): Promise<void> => {
    inserted += await insertPersonRows(ds, rows);
    done += rows.length;
    options.onProgress?.(done);
  };
  let batch: PersonRow[] = [];
  for (const person of people) {
    batch.push(toRow(person));
    if (batch.length === batchSize) {
      // Generating the next batch overlaps with the database writing this one.
      if (pending) await pending;
      pending = write(batch);
      batch = [];
    }
  }
  if (pending) await pending;
  if (batch.length > 0) await write(batch);
  return { inserted };
}
