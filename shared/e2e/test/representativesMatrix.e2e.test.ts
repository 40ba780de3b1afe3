import { DEMO_PERSONAS, PATIENT_SCOPES } from '@pc/demo';
import { deterministicUuid } from '@pc/fixtures';
import { startSystem, type RunningSystem } from '../src';

/*
 * The authorization matrix of docs/representatives.md: every actor × every operation that takes
 * a person, with the child as the person. Only the parent (an active relationship) is allowed;
 * every other cell is FORBIDDEN and writes nothing (checked against the database after each).
 */

const PEDIATRICIAN = deterministicUuid('demo-directory', 11);
const DIVISION = deterministicUuid('demo-directory', 2);
const CHILD = DEMO_PERSONAS.child.id;
const PARENT = DEMO_PERSONAS.parent.id;
const EXPIRED_PARENT = '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d01';
const SIBLING = '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d02';

type Actor = 'self' | 'parent' | 'expiredParent' | 'otherAdult' | 'teenSibling' | 'doctor';
const ACTORS: Actor[] = ['self', 'expiredParent', 'otherAdult', 'teenSibling', 'doctor', 'parent'];

type Result = { data?: Record<string, unknown> | null; errors?: readonly { extensions?: Record<string, unknown> }[] };
const codes = (r: Result) => (r.errors ?? []).map((e) => e.extensions?.code);

const READS: Record<string, string> = {
  person: 'id firstName',
  capabilities: 'capabilities { canView canEditPersonalData canSubmitDeclaration }',
  changeHistory: 'changeHistory(first: 1) { totalCount }',
  declarations: 'declarations { id }',
  activeDeclaration: 'activeDeclaration { id }',
  declarationRequests: 'declarationRequests { id }',
  accessGrants: 'accessGrants { id }',
  accessLog: 'accessLog(first: 1) { totalCount }',
  prescriptions: 'prescriptions(first: 1) { edges { node { id } } }',
  encounters: 'encounters(first: 1) { edges { node { id } } }',
  conditions: 'conditions(first: 1) { edges { node { id } } }',
  diagnosticReports: 'diagnosticReports(first: 1) { edges { node { id } } }',
};

const PAYLOAD_PERSON = '{ person { id version } userErrors { code } }';
const MUTATIONS: Record<string, { input: string; select: string; input0: (s: State) => Record<string, unknown> }> = {
  updateContacts: {
    input: 'UpdateContactsInput',
    select: PAYLOAD_PERSON,
    input0: (s) => ({ expectedVersion: s.version, email: `child${s.version}@example.com` }),
  },
  updateAddresses: {
    input: 'UpdateAddressesInput',
    select: PAYLOAD_PERSON,
    input0: (s) => ({
      expectedVersion: s.version,
      addresses: [
        {
          type: 'RESIDENCE',
          country: 'UA',
          area: 'м. Київ',
          settlement: 'Київ',
          settlementType: 'CITY',
          street: 'Січових Стрільців',
          building: `${s.version + 1}`,
        },
      ],
    }),
  },
  updateDocuments: {
    input: 'UpdateDocumentsInput',
    select: PAYLOAD_PERSON,
    input0: (s) => ({
      expectedVersion: s.version,
      documents: [{ type: 'BIRTH_CERTIFICATE', number: 'І-КИ571204', issuedAt: '2019-05-31', issuedBy: `ДРАЦС ${s.version}` }],
    }),
  },
  updateEmergencyContact: {
    input: 'UpdateEmergencyContactInput',
    select: PAYLOAD_PERSON,
    input0: (s) => ({
      expectedVersion: s.version,
      emergencyContact: { firstName: 'Ірина', lastName: 'Мельник', phones: [{ type: 'MOBILE', number: `+38093771228${s.version % 10}` }] },
    }),
  },
  submitDeclarationRequest: {
    input: 'SubmitDeclarationRequestInput',
    select: '{ declarationRequest { id status } userErrors { code } }',
    input0: () => ({ doctorId: PEDIATRICIAN, divisionId: DIVISION }),
  },
  cancelDeclarationRequest: {
    input: 'CancelDeclarationRequestInput',
    select: '{ declarationRequest { id status } userErrors { code } }',
    input0: (s) => ({ id: s.requestId }),
  },
  terminateDeclaration: {
    input: 'TerminateDeclarationInput',
    select: '{ declaration { id status } userErrors { code } }',
    input0: (s) => ({ id: s.declarationId }),
  },
};

interface State {
  version: number;
  requestId?: string;
  declarationId?: string;
}

describe('representatives: authorization matrix (actors × operations that take a person)', () => {
  let system: RunningSystem;
  const tokens = {} as Record<Actor, string>;

  /** What a refused cell must leave as it was: the child's record, requests and declarations. */
  const snapshot = async () => {
    const [p] = await system.subgraphs.identity.dataSource.query('SELECT version FROM identity.person WHERE id = $1', [CHILD]);
    const requests = await system.subgraphs.declarations.dataSource.query(
      'SELECT id, status FROM declarations.declaration_request WHERE person_id = $1 ORDER BY id',
      [CHILD],
    );
    const declarations = await system.subgraphs.declarations.dataSource.query(
      'SELECT id, status FROM declarations.declaration WHERE person_id = $1 ORDER BY id',
      [CHILD],
    );
    return { version: Number(p.version), requests, declarations };
  };

  beforeAll(async () => {
    system = await startSystem();
    const ids = system.subgraphs.identity.dataSource;
    // A former representative (a court decision that has ended) and a 15-year-old sibling whose
    // confidant is the same parent by birth certificate (a parent's relationship ends at 14).
    await ids.query(
      `INSERT INTO identity.person (id, first_name, last_name, second_name, birth_date, gender, no_tax_id, verification_status, phones, documents, addresses, confidant_persons, authentication_method)
       SELECT $1::uuid, first_name, last_name, second_name, birth_date, gender, false, verification_status, phones, documents, addresses, '[]', authentication_method FROM identity.person WHERE id = $3::uuid
       UNION ALL
       SELECT $2::uuid, 'Марко', last_name, second_name, '2011-01-10'::date, 'MALE', false, verification_status, '[]', '[]', addresses,
         jsonb_build_array(jsonb_set(confidant_persons->0, '{relationshipDocument,activeTo}', '"2029-01-09"')), authentication_method FROM identity.person WHERE id = $4`,
      [EXPIRED_PARENT, SIBLING, PARENT, CHILD],
    );
    await ids.query(
      `UPDATE identity.person SET confidant_persons = confidant_persons || jsonb_build_array(jsonb_build_object(
         'relationType', 'SECONDARY', 'personId', $2::text, 'firstName', 'Андрій', 'lastName', 'Мельник', 'secondName', null, 'birthDate', '1986-01-01',
         'gender', 'MALE', 'taxId', null, 'phones', '[]'::jsonb,
         'relationshipDocument', jsonb_build_object('type', 'COURT_DECISION', 'number', '2-1/2024', 'issuedAt', '2023-01-01', 'issuedBy', 'Суд', 'activeTo', '2024-01-01'))), version = version + 1
       WHERE id = $1`,
      [CHILD, EXPIRED_PARENT],
    );
    const patient = (sub: string) => system.token({ sub, roles: ['PATIENT'], scopes: PATIENT_SCOPES });
    tokens.self = await system.token('child');
    tokens.parent = await system.token('parent');
    tokens.expiredParent = await patient(EXPIRED_PARENT);
    tokens.otherAdult = await system.token('other');
    tokens.teenSibling = await patient(SIBLING);
    tokens.doctor = await system.token({ sub: PEDIATRICIAN, roles: ['DOCTOR'], scopes: ['declaration:read', 'declaration:sign'] });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('representations: the parent has the child; the expired parent and the sibling’s parent-of-a-teen do not', async () => {
    const q = '{ me { representations { person { id } } } }';
    const of = async (a: Actor) =>
      ((await system.query<{ me: { representations: { person: { id: string } }[] } }>(q, {}, tokens[a])).data?.me?.representations ?? []).map(
        (r) => r.person.id,
      );
    expect(await of('parent')).toEqual([CHILD]);
    expect(await of('expiredParent')).toEqual([]);
    expect(await of('otherAdult')).toEqual([]);
    expect(await of('teenSibling')).toEqual([]);
  });

  const cells: string[] = [];
  afterAll(() => {
    // Every cell of the matrix was asserted.
    expect(cells).toHaveLength(ACTORS.length * (Object.keys(READS).length + Object.keys(MUTATIONS).length));
  });

  describe.each(Object.entries(READS))('read %s through person(id)', (field, selection) => {
    it.each(ACTORS)('%s', async (actor) => {
      const before = await snapshot();
      const r = (await system.query(`query($id: ID!) { person(id: $id) { ${selection} } }`, { id: CHILD }, tokens[actor])) as Result;
      if (actor === 'parent') {
        expect(r.errors).toBeUndefined();
        expect(r.data?.person).not.toBeNull();
      } else {
        expect(r.data?.person ?? null).toBeNull();
        expect(codes(r)).toContain('FORBIDDEN');
      }
      expect(await snapshot()).toEqual(before);
      cells.push(`${field}:${actor}`);
    });
  });

  describe.each(Object.entries(MUTATIONS))('%s with personId = the child', (name, m) => {
    it.each(ACTORS)('%s', async (actor) => {
      const before = await snapshot();
      if (name === 'cancelDeclarationRequest' && actor === ACTORS[0]) {
        const r = await system.query<{ submitDeclarationRequest: { declarationRequest: { id: string } } }>(
          `mutation($i: SubmitDeclarationRequestInput!) { submitDeclarationRequest(input: $i) { declarationRequest { id } } }`,
          { i: { personId: CHILD, doctorId: PEDIATRICIAN, divisionId: DIVISION } },
          tokens.parent,
        );
        state.requestId = r.data!.submitDeclarationRequest.declarationRequest.id;
      }
      if (name === 'terminateDeclaration' && actor === ACTORS[0]) {
        const r = await system.query<{ submitDeclarationRequest: { declarationRequest: { id: string } } }>(
          `mutation($i: SubmitDeclarationRequestInput!) { submitDeclarationRequest(input: $i) { declarationRequest { id } } }`,
          { i: { personId: CHILD, doctorId: PEDIATRICIAN, divisionId: DIVISION } },
          tokens.parent,
        );
        const signed = await system.query<{ signDeclarationRequest: { declarationRequest: { declaration: { id: string } } } }>(
          `mutation($i: SignDeclarationRequestInput!) { signDeclarationRequest(input: $i) { declarationRequest { declaration { id } } } }`,
          { i: { id: r.data!.submitDeclarationRequest.declarationRequest.id } },
          tokens.doctor,
        );
        state.declarationId = signed.data!.signDeclarationRequest.declarationRequest.declaration.id;
      }
      const start = await snapshot();
      state.version = start.version;
      const r = (await system.query(
        `mutation($i: ${m.input}!) { ${name}(input: $i) ${m.select} }`,
        { i: { ...m.input0(state), personId: CHILD } },
        tokens[actor],
      )) as Result;
      if (actor === 'parent') {
        expect(r.errors).toBeUndefined();
        expect((r.data?.[name] as { userErrors: unknown[] }).userErrors).toEqual([]);
        expect(await snapshot()).not.toEqual(start);
      } else {
        expect(r.data?.[name] ?? null).toBeNull();
        expect(codes(r)).toContain('FORBIDDEN');
        expect(await snapshot()).toEqual(start);
      }
      void before;
      cells.push(`${name}:${actor}`);
    });
  });

  const state: State = { version: 0 };
});
