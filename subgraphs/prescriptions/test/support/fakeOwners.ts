/**
 * Stand-ins for the owner subgraphs (identity, directory, declarations) in the prescriptions'
 * integration tests: real HTTP servers built by the same factory as every subgraph, so they
 * verify the caller token exactly as the real owners do, answering `_entities` from in-memory
 * records the test controls. They are not mocks of our database: the prescriptions subgraph
 * runs on a real one.
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
  verificationStatus: string;
}

/** A doctor as the fake directory serves it. */
export interface FakeDoctor {
  id: string;
  status: string;
  legalEntity: { id: string; status: string };
}

/** A division as the fake directory serves it. */
export interface FakeDivision {
  id: string;
  status: string;
  legalEntity: { id: string };
}

const IDENTITY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ping: Boolean }
  type Person @key(fields: "id") { id: ID! verificationStatus: VerificationStatus! }
  enum VerificationStatus { VERIFICATION_NEEDED IN_REVIEW NOT_VERIFIED VERIFIED CHANGES_NEEDED }`;

const DIRECTORY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ping: Boolean }
  type Doctor @key(fields: "id") { id: ID! status: DoctorStatus! legalEntity: LegalEntity }
  enum DoctorStatus { NEW APPROVED DISMISSED }
  type LegalEntity { id: ID! status: LegalEntityStatus! }
  enum LegalEntityStatus { ACTIVE SUSPENDED CLOSED REORGANIZED }
  type Division @key(fields: "id") { id: ID! status: DivisionStatus! legalEntity: LegalEntity }
  enum DivisionStatus { ACTIVE INACTIVE }`;

const DECLARATIONS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ping: Boolean }
  type Person @key(fields: "id") { id: ID! activeDeclaration: Declaration }
  type Declaration { status: String! doctor: Doctor! }
  type Doctor { id: ID! }`;

/** The three fake owners, their records, and switches that make them fail. */
export interface FakeOwners {
  identityUrl: string;
  directoryUrl: string;
  declarationsUrl: string;
  persons: Map<string, FakePerson>;
  doctors: Map<string, FakeDoctor>;
  divisions: Map<string, FakeDivision>;
  /** The person's current declaration: person id → { status, doctorId }. */
  declarations: Map<string, { status: string; doctorId: string }>;
  /** Callers of `_entities`, to check that the prescriptions subgraph calls as a SERVICE. */
  entityCallers: Caller[];
  /** While true the server answers 503 to everything. */
  down: { identity: boolean; directory: boolean; declarations: boolean };
  /** A VERIFIED person (override any field). */
  addPerson(p?: Partial<FakePerson>): FakePerson;
  /** An APPROVED doctor at an ACTIVE legal entity with one ACTIVE division (override any field). */
  addDoctor(d?: Partial<FakeDoctor>): { doctor: FakeDoctor; division: FakeDivision };
  stop(): Promise<void>;
}

const noDatabase = { query: async () => [] } as unknown as DataSource;

type Ctx = SubgraphBaseContext;

/** Starts the fake identity, directory and declarations on free ports. */
export async function startFakeOwners(): Promise<FakeOwners> {
  const log = createLogger({ service: 'fake', level: 'silent' });
  const deps = { dataSource: noDatabase, log, internalTokenSecret: DEV_INTERNAL_TOKEN_SECRET, nodeEnv: 'test' };
  const persons = new Map<string, FakePerson>();
  const doctors = new Map<string, FakeDoctor>();
  const divisions = new Map<string, FakeDivision>();
  const declarations = new Map<string, { status: string; doctorId: string }>();
  const entityCallers: Caller[] = [];
  const down = { identity: false, directory: false, declarations: false };
  const seen = (ctx: Ctx) => entityCallers.push(ctx.caller);

  const server = (name: string, sdl: string, resolvers: Record<string, unknown>) =>
    createSubgraphServer<Ctx>({ name, typeDefs: parse(sdl), resolvers: resolvers as never, createContext: (base) => base }, deps);
  const identity = server('identity', IDENTITY_SDL, {
    Person: { __resolveReference: (ref: { id: string }, ctx: Ctx) => (seen(ctx), persons.get(ref.id) ?? null) },
  });
  const directory = server('directory', DIRECTORY_SDL, {
    Doctor: { __resolveReference: (ref: { id: string }, ctx: Ctx) => (seen(ctx), doctors.get(ref.id) ?? null) },
    Division: { __resolveReference: (ref: { id: string }, ctx: Ctx) => (seen(ctx), divisions.get(ref.id) ?? null) },
  });
  const declarationsServer = server('declarations', DECLARATIONS_SDL, {
    Person: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) => (seen(ctx), { id: ref.id }),
      activeDeclaration: (p: { id: string }) => {
        const d = declarations.get(p.id);
        return d ? { status: d.status, doctor: { id: d.doctorId } } : null;
      },
    },
  });
  const gate = (s: SubgraphServer, key: keyof typeof down) =>
    s.intercept((_req, res) => {
      if (!down[key]) return false;
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'down' }] }));
      return true;
    });
  gate(identity, 'identity');
  gate(directory, 'directory');
  gate(declarationsServer, 'declarations');
  const [i, d, c] = await Promise.all([identity.listen(0), directory.listen(0), declarationsServer.listen(0)]);

  return {
    identityUrl: i.url,
    directoryUrl: d.url,
    declarationsUrl: c.url,
    persons,
    doctors,
    divisions,
    declarations,
    entityCallers,
    down,
    addPerson(p = {}) {
      const person: FakePerson = { id: randomUUID(), verificationStatus: 'VERIFIED', ...p };
      persons.set(person.id, person);
      return person;
    },
    addDoctor(over = {}) {
      const legalEntity = over.legalEntity ?? { id: randomUUID(), status: 'ACTIVE' };
      const doctor: FakeDoctor = { id: randomUUID(), status: 'APPROVED', ...over, legalEntity };
      const division: FakeDivision = { id: randomUUID(), status: 'ACTIVE', legalEntity: { id: legalEntity.id } };
      doctors.set(doctor.id, doctor);
      divisions.set(division.id, division);
      return { doctor, division };
    },
    async stop() {
      await Promise.all([identity.stop(), directory.stop(), declarationsServer.stop()]);
    },
  };
}
