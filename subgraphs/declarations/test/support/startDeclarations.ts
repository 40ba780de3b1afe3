import { doctorCaller, patientCaller, startSubgraph, startTestDatabase, type GraphQLResponse, type RunningSubgraph, type TestDatabase } from '@pc/testing';
import { subgraph } from '../../src/subgraph';
import { startFakeOwners, type FakeOwners } from './fakeOwners';

/** A user error as the payloads return it. */
export interface UserErrorShape {
  field: string[] | null;
  code: string;
  message: string;
}

/** The request fields the tests read. */
export interface RequestShape {
  id: string;
  status: string;
  expiresAt: string;
  declaration: { id: string; number: string; status: string; startDate: string; endDate: string } | null;
}

type Payload<K extends string, T> = Record<K, { userErrors: UserErrorShape[] } & Record<string, T | null>>;

const REQUEST_FIELDS = 'id status expiresAt declaration { id number status startDate endDate }';

/** The declarations subgraph on a fresh database, talking to fake owners; jobs and relay off unless configured. */
export interface DeclarationsUnderTest {
  db: TestDatabase;
  owners: FakeOwners;
  sg: RunningSubgraph;
  submit(personId: string, doctorId: string, divisionId: string): Promise<GraphQLResponse<Payload<'submitDeclarationRequest', RequestShape>>>;
  sign(doctorId: string, requestId: string): Promise<GraphQLResponse<Payload<'signDeclarationRequest', RequestShape>>>;
  reject(doctorId: string, requestId: string, reason?: string): Promise<GraphQLResponse<Payload<'rejectDeclarationRequest', RequestShape>>>;
  cancel(personId: string, requestId: string): Promise<GraphQLResponse<Payload<'cancelDeclarationRequest', RequestShape>>>;
  terminate(
    personId: string,
    declarationId: string,
    reason?: string,
  ): Promise<GraphQLResponse<Payload<'terminateDeclaration', { id: string; status: string; terminationReason: string | null }>>>;
  /** Submits for `personId` and signs as the doctor; returns the signed declaration's id. */
  declare(personId: string, doctorId: string, divisionId: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts everything a declarations integration test needs. */
export async function startDeclarations(config: Record<string, unknown> = {}): Promise<DeclarationsUnderTest> {
  const db = await startTestDatabase();
  const owners = await startFakeOwners();
  let sg: RunningSubgraph;
  try {
    sg = await startSubgraph(subgraph, {
      databaseUrl: db.url,
      seed: false,
      config: { IDENTITY_URL: owners.identityUrl, DIRECTORY_URL: owners.directoryUrl, DECLARATION_JOBS_INTERVAL_MS: 0, OUTBOX_RELAY_ENABLED: false, ...config },
    });
  } catch (err) {
    await owners.stop();
    await db.stop();
    throw err;
  }
  const t: DeclarationsUnderTest = {
    db,
    owners,
    sg,
    submit: (personId, doctorId, divisionId) =>
      sg.call(
        `mutation($i: SubmitDeclarationRequestInput!) { submitDeclarationRequest(input: $i) { declarationRequest { ${REQUEST_FIELDS} } userErrors { field code message } } }`,
        { i: { doctorId, divisionId } },
        patientCaller(personId),
      ),
    sign: (doctorId, id) =>
      sg.call(
        `mutation($i: SignDeclarationRequestInput!) { signDeclarationRequest(input: $i) { declarationRequest { ${REQUEST_FIELDS} } userErrors { field code message } } }`,
        { i: { id } },
        doctorCaller(doctorId),
      ),
    reject: (doctorId, id, reason = 'Не приймаю за цією адресою') =>
      sg.call(
        `mutation($i: RejectDeclarationRequestInput!) { rejectDeclarationRequest(input: $i) { declarationRequest { ${REQUEST_FIELDS} } userErrors { field code message } } }`,
        { i: { id, reason } },
        doctorCaller(doctorId),
      ),
    cancel: (personId, id) =>
      sg.call(
        `mutation($i: CancelDeclarationRequestInput!) { cancelDeclarationRequest(input: $i) { declarationRequest { ${REQUEST_FIELDS} } userErrors { field code message } } }`,
        { i: { id } },
        patientCaller(personId),
      ),
    terminate: (personId, id, reason) =>
      sg.call(
        `mutation($i: TerminateDeclarationInput!) { terminateDeclaration(input: $i) { declaration { id status terminationReason } userErrors { field code message } } }`,
        { i: { id, reason } },
        patientCaller(personId),
      ),
    async declare(personId, doctorId, divisionId) {
      const s = await t.submit(personId, doctorId, divisionId);
      const req = s.data?.submitDeclarationRequest.declarationRequest;
      if (!req) throw new Error(`submit failed: ${JSON.stringify(s)}`);
      const g = await t.sign(doctorId, req.id);
      const decl = g.data?.signDeclarationRequest.declarationRequest?.declaration;
      if (!decl) throw new Error(`sign failed: ${JSON.stringify(g)}`);
      return decl.id;
    },
    async stop() {
      await sg?.stop();
      await owners?.stop();
      await db?.stop();
    },
  };
  return t;
}

/** The codes of a payload's user errors. */
export const codes = (p: { userErrors: UserErrorShape[] } | undefined | null): string[] => (p?.userErrors ?? []).map((e) => e.code);
