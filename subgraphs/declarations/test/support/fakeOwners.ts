/**
 * Stand-ins for the owner subgraphs (identity, directory) in the declarations' integration
 * tests: real HTTP servers built by the same factory as every subgraph, so they verify the
 * caller token exactly as the real owners do, answering `_entities` from in-memory records the
 * test controls (a doctor's limit, a division's status, a person's verification…). They are
 * not mocks of our database: the declarations subgraph runs on a real one.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Caller } from '@pc/auth';
import { DEV_INTERNAL_TOKEN_SECRET } from '@pc/config';
import { createLogger } from '@pc/logging';
import { createSubgraphServer, type SubgraphBaseContext, type SubgraphServer } from '@pc/server';

/** A person as the fake identity serves it. */
export interface FakePerson {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  verificationStatus: string;
  authenticationMethod: string;
  taxId: string | null;
  capabilities: { canSubmitDeclaration: boolean };
}

/** A doctor as the fake directory serves it. */
export interface FakeDoctor {
  id: string;
  status: string;
  speciality: string;
  declarationLimit: number;
  legalEntity: { id: string; status: string; type: string };
}

/** A division as the fake directory serves it. */
export interface FakeDivision {
  id: string;
  status: string;
  legalEntity: { id: string };
}

/** One recordDeclarationCounts call received. */
export interface RecordedCounts {
  caller: Caller;
  counts: { doctorId: string; activeDeclarationCount: number; approvedRequestCount: number }[];
}

const IDENTITY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ping: Boolean }
  type Person @key(fields: "id") { id: ID! firstName: String lastName: String birthDate: String! verificationStatus: VerificationStatus!
    authenticationMethod: AuthenticationMethod! taxId: String capabilities: Capabilities! }
  enum VerificationStatus { VERIFICATION_NEEDED IN_REVIEW NOT_VERIFIED VERIFIED CHANGES_NEEDED }
  enum AuthenticationMethod { OTP OFFLINE THIRD_PERSON NA }
  type Capabilities { canSubmitDeclaration: Boolean! }`;

const DIRECTORY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ping: Boolean }
  type Doctor @key(fields: "id") { id: ID! status: DoctorStatus! speciality: String declarationLimit: Int! legalEntity: LegalEntity }
  enum DoctorStatus { NEW APPROVED DISMISSED }
  type LegalEntity { id: ID! status: LegalEntityStatus! type: String! }
  enum LegalEntityStatus { ACTIVE SUSPENDED CLOSED REORGANIZED }
  type Division @key(fields: "id") { id: ID! status: DivisionStatus! legalEntity: LegalEntity }
  enum DivisionStatus { ACTIVE INACTIVE }
  input DeclarationCountInput { doctorId: ID! activeDeclarationCount: Int! approvedRequestCount: Int }
  input RecordDeclarationCountsInput { counts: [DeclarationCountInput!]! }
  type RecordDeclarationCountsPayload { recorded: Int! }
  type Mutation { recordDeclarationCounts(input: RecordDeclarationCountsInput!): RecordDeclarationCountsPayload! }`;

/** The two fake owners, their records, and switches that make them fail. */
export interface FakeOwners {
  identityUrl: string;
  directoryUrl: string;
  persons: Map<string, FakePerson>;
  doctors: Map<string, FakeDoctor>;
  divisions: Map<string, FakeDivision>;
  /** Every recordDeclarationCounts call, in order. */
  recorded: RecordedCounts[];
  /** Callers of `_entities`, to check that the declarations subgraph calls as a SERVICE. */
  entityCallers: Caller[];
  /** While true the server answers 503 to everything. */
  down: { identity: boolean; directory: boolean };
  /**
   * Awaited by the fake identity before it answers for a person: lets a test make something
   * happen between a mutation's owner reads and its transaction.
   */
  hooks: { personRead?: (personId: string) => Promise<void> | void };
  /** An adult, verified, OTP person with a tax number (override any field). */
  addPerson(p?: Partial<FakePerson>): FakePerson;
  /** An APPROVED family doctor at an ACTIVE PRIMARY_CARE legal entity with one ACTIVE division (override any field). */
  addDoctor(d?: Partial<FakeDoctor>): { doctor: FakeDoctor; division: FakeDivision };
  stop(): Promise<void>;
}

const noDatabase = { query: async () => [] } as unknown as DataSource;

type Ctx = SubgraphBaseContext;

/** Starts the fake identity and directory on free ports. */
export async function startFakeOwners(): Promise<FakeOwners> {
  const log = createLogger({ service: 'fake', level: 'silent' });
  const deps = { dataSource: noDatabase, log, internalTokenSecret: DEV_INTERNAL_TOKEN_SECRET, nodeEnv: 'test' };
  const persons = new Map<string, FakePerson>();
  const doctors = new Map<string, FakeDoctor>();
  const divisions = new Map<string, FakeDivision>();
  const recorded: RecordedCounts[] = [];
  const entityCallers: Caller[] = [];
  const down = { identity: false, directory: false };
  const hooks: FakeOwners['hooks'] = {};

  const identity = createSubgraphServer<Ctx>(
    {
      name: 'identity',
      typeDefs: parse(IDENTITY_SDL),
      resolvers: {
        Person: {
          __resolveReference: async (ref: { id: string }, ctx: Ctx) => {
            entityCallers.push(ctx.caller);
            await hooks.personRead?.(ref.id);
            return persons.get(ref.id) ?? null;
          },
        },
      },
      createContext: (base) => base,
    },
    deps,
  );
  const directory = createSubgraphServer<Ctx>(
    {
      name: 'directory',
      typeDefs: parse(DIRECTORY_SDL),
      resolvers: {
        Doctor: {
          __resolveReference: (ref: { id: string }, ctx: Ctx) => {
            entityCallers.push(ctx.caller);
            return doctors.get(ref.id) ?? null;
          },
        },
        Division: { __resolveReference: (ref: { id: string }) => divisions.get(ref.id) ?? null },
        Mutation: {
          recordDeclarationCounts: (_: unknown, { input }: { input: { counts: RecordedCounts['counts'] } }, ctx: Ctx) => {
            if (!ctx.caller.roles.includes('SERVICE')) throw new Error('SERVICE only');
            recorded.push({ caller: ctx.caller, counts: input.counts });
            return { recorded: input.counts.length };
          },
        },
      },
      createContext: (base) => base,
    },
    deps,
  );
  const gate = (server: SubgraphServer, key: keyof typeof down) =>
    server.intercept((_req, res) => {
      if (!down[key]) return false;
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'down' }] }));
      return true;
    });
  gate(identity, 'identity');
  gate(directory, 'directory');
  const [i, d] = await Promise.all([identity.listen(0), directory.listen(0)]);

  return {
    identityUrl: i.url,
    directoryUrl: d.url,
    persons,
    doctors,
    divisions,
    recorded,
    entityCallers,
    down,
    hooks,
    addPerson(p = {}) {
      const person: FakePerson = {
        id: randomUUID(),
        firstName: 'Олена',
        lastName: 'Коваленко',
        birthDate: '1985-04-12',
        verificationStatus: 'VERIFIED',
        authenticationMethod: 'OTP',
        taxId: '3118312345',
        capabilities: { canSubmitDeclaration: true },
        ...p,
      };
      persons.set(person.id, person);
      return person;
    },
    addDoctor(over = {}) {
      const legalEntity = over.legalEntity ?? { id: randomUUID(), status: 'ACTIVE', type: 'PRIMARY_CARE' };
      const doctor: FakeDoctor = { id: randomUUID(), status: 'APPROVED', speciality: 'FAMILY_DOCTOR', declarationLimit: 1800, ...over, legalEntity };
      const division: FakeDivision = { id: randomUUID(), status: 'ACTIVE', legalEntity: { id: legalEntity.id } };
      doctors.set(doctor.id, doctor);
      divisions.set(division.id, division);
      return { doctor, division };
    },
    async stop() {
      await Promise.all([identity.stop(), directory.stop()]);
    },
  };
}
