import { readFileSync } from 'node:fs';
import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { scopesOf, supergraphDirectives, supergraphPath, supergraphScopes } from '@pc/schema/src/supergraphDirectives';
import { buildSchema, parse, print, type DocumentNode } from 'graphql';
import { DEMO_PERSONAS, DOCTOR_SCOPES, PATIENT_SCOPES } from '@pc/demo';
import {
  applyNulls,
  attachSupergraphDirectives,
  authorizationPlugin,
  authorizeOperation,
  gatewaySupergraphSdl,
  unauthorizedErrors,
} from '../src/pipeline/authorization';

const sdl = readFileSync(supergraphPath, 'utf8');
const api = Supergraph.build(sdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES }).apiSchema().toGraphQLJSSchema();
const directives = supergraphDirectives(sdl);
const patient = (scopes: string[] = PATIENT_SCOPES) => ({ authenticated: true, scopes: new Set(scopes) });
const anonymous = { authenticated: false, scopes: new Set<string>() };
const without = (...missing: string[]) => patient(PATIENT_SCOPES.filter((s) => !missing.includes(s)));
const decide = (query: string, subject: { authenticated: boolean; scopes: Set<string> }, operationName?: string) =>
  authorizeOperation(api, directives, parse(query), operationName, subject);
const printed = (doc: DocumentNode | null) => (doc ? print(doc).replace(/\s+/g, ' ').trim() : null);

describe('authorizeOperation: @requiresScopes and @authenticated of the supergraph, as Apollo Router applies them', () => {
  it('lets an operation the caller may fully see through unchanged (no decision, the original is planned)', () => {
    expect(decide('{ me { id firstName activeDeclaration { id doctor { fullName } } accessGrants { id cabinet { name } } } }', patient())).toBeNull();
    expect(decide('{ searchDoctors(first: 1) { totalCount } }', anonymous)).toBeNull();
    const sign = 'mutation { signDeclarationRequest(input: { id: "x" }) { declarationRequest { id declaration { id number } } userErrors { code } } }';
    expect(decide(sign, { authenticated: true, scopes: new Set(DOCTOR_SCOPES) })).toBeNull();
  });

  it('removes a field whose own scope is missing; the rest stays; it answers null with FORBIDDEN (reason UNAUTHORIZED_FIELD_OR_TYPE) at its path', () => {
    const d = decide('query Home { me { id firstName activeDeclaration { id number } } }', without('declaration:read'))!;
    expect(d.unauthorized).toEqual([['me', 'activeDeclaration']]);
    expect(printed(d.document)).toBe('query Home { me { id firstName } }');
    expect(d.nullTargets).toEqual([['me', 'activeDeclaration']]);
    expect(applyNulls({ me: { id: '1', firstName: 'Олена' } }, d.nullTargets)).toEqual({ me: { id: '1', firstName: 'Олена', activeDeclaration: null } });
    expect(unauthorizedErrors(d)).toEqual([
      { message: expect.any(String), path: ['me', 'activeDeclaration'], extensions: { code: 'FORBIDDEN', reason: 'UNAUTHORIZED_FIELD_OR_TYPE' } },
    ]);
  });

  it('refuses a field whose return type needs a scope (Person needs person:read), whatever the field', () => {
    const d = decide('{ me { id } }', without('person:read'))!;
    expect(d.unauthorized).toEqual([['me']]);
    expect(d.document).toBeNull();
    expect(applyNulls({}, d.nullTargets)).toEqual({ me: null });
  });

  it('refuses `me` to an anonymous caller (@authenticated) and still answers the public part', () => {
    const d = decide('{ me { id } searchDoctors(first: 1) { totalCount } }', anonymous)!;
    expect(d.unauthorized).toEqual([['me']]);
    expect(printed(d.document)).toBe('{ searchDoctors(first: 1) { totalCount } }');
  });

  it('propagates the null of a non-null field to the nearest nullable parent, as execution would', () => {
    // accessGrants is [AccessGrant!]!: without access:read the whole `me` becomes null.
    const d = decide('{ me { id accessGrants { id } } }', without('access:read'))!;
    expect(d.unauthorized).toEqual([['me', 'accessGrants']]);
    expect(d.nullTargets).toEqual([['me']]);
    expect(applyNulls({ me: { id: '1' } }, d.nullTargets)).toEqual({ me: null });
    const declarations = decide('{ me { declarations { id person { id firstName } } } }', patient(['declaration:read']))!;
    expect(declarations.unauthorized).toEqual([['me']]);
  });

  it('writes list-level paths with @ and nulls list items when they are nullable', () => {
    const schema = buildSchema(`type Query { a: [A] } type A { id: ID, b: [B]! } type B { secret: String!, open: String }`);
    const dirs = {
      ...directives,
      typeScopes: new Map(),
      fieldScopes: new Map([['B.secret', [['s']]]]),
      authenticatedTypes: new Set<string>(),
      authenticatedFields: new Set<string>(),
    };
    const d = authorizeOperation(schema, dirs, parse('{ a { id b { secret open } } }'), undefined, patient([]))!;
    expect(d.unauthorized).toEqual([['a', '@', 'b', '@', 'secret']]);
    expect(d.nullTargets).toEqual([['a', '@', 'b', '@']]);
    expect(applyNulls({ a: [{ id: '1', b: [{ open: 'x' }, { open: 'y' }] }, null] }, d.nullTargets)).toEqual({ a: [{ id: '1', b: [null, null] }, null] });
  });

  it('a mutation without its scope is not run at all', () => {
    const d = decide('mutation { updateContacts(input: { expectedVersion: 1 }) { person { id } userErrors { code } } }', without('person:write'))!;
    expect(d.unauthorized).toEqual([['updateContacts']]);
    expect(d.document).toBeNull();
    expect(applyNulls({}, d.nullTargets)).toBeNull(); // updateContacts is non-null: no data at all
  });

  it('inlines named fragments and removes what is refused inside them; a field left empty answers null without its own error', () => {
    const q = 'query Q { me { ...Card } } fragment Card on Person { id activeDeclaration { ...Decl } } fragment Decl on Declaration { id number }';
    const d = decide(q, without('declaration:read'))!;
    expect(printed(d.document)).toBe('query Q { me { ... on Person { id } } }');
    expect(d.unauthorized).toEqual([['me', 'activeDeclaration']]);
    const onlyGrants = decide('{ me { accessGrants { id } } }', without('access:read'))!;
    expect(onlyGrants.document).toBeNull();
  });

  it('refuses a fragment on a type the caller may not see', () => {
    const d = decide('{ me { id activeDeclaration { ... on Declaration { number } id } } }', patient(['person:read', 'declaration:read']))!;
    expect(d).toBeNull();
    const refused = authorizeOperation(
      buildSchema('type Query { n: N } interface N { id: ID } type S implements N { id: ID, x: String } type T implements N { id: ID }'),
      {
        ...directives,
        typeScopes: new Map([['S', [['s']]]]),
        fieldScopes: new Map(),
        authenticatedTypes: new Set<string>(),
        authenticatedFields: new Set<string>(),
      },
      parse('{ n { ... on S { x } ... on T { id } } }'),
      undefined,
      patient([]),
    )!;
    expect(refused.unauthorized).toEqual([['n']]);
    expect(printed(refused.document)).toBe('{ n { ... on T { id } } }');
  });

  it('two scope sets refusing different fragments at one path get different plan keys', () => {
    const schema = buildSchema(
      'type Query { n: N } interface N { id: ID } type S implements N { id: ID, x: String } type T implements N { id: ID, y: String }',
    );
    const dirs = {
      ...directives,
      typeScopes: new Map([
        ['S', [['s']]],
        ['T', [['t']]],
      ]),
      fieldScopes: new Map(),
      authenticatedTypes: new Set<string>(),
      authenticatedFields: new Set<string>(),
    };
    const doc = parse('{ n { ... on S { x } ... on T { y } } }');
    const onlyT = authorizeOperation(schema, dirs, doc, undefined, patient(['t']))!;
    const onlyS = authorizeOperation(schema, dirs, doc, undefined, patient(['s']))!;
    expect(onlyT.unauthorized).toEqual(onlyS.unauthorized);
    expect(printed(onlyT.document)).toBe('{ n { ... on T { y } } }');
    expect(onlyT.hashSuffix).not.toBe(onlyS.hashSuffix);
  });

  it('reads OR of ANDs: any one inner list of scopes is enough', () => {
    // Declaration: [["declaration:read"], ["declaration:write"], ["declaration:sign"]]; a doctor holds only declaration:sign.
    const q = 'mutation { submitDeclarationRequest(input: { doctorId: "d", divisionId: "v" }) { declarationRequest { id } userErrors { code } } }';
    expect(decide(q, patient(['declaration:write']))).toBeNull();
    expect(decide(q, patient(['declaration:read']))!.unauthorized).toEqual([['submitDeclarationRequest']]);
  });
});

describe('gatewaySupergraphSdl: @apollo/gateway accepts the supergraph only because these two features are enforced here', () => {
  it('the committed supergraph marks them for: SECURITY, which @apollo/gateway refuses; the gateway copy loads', () => {
    expect(() => Supergraph.build(sdl)).toThrow(/requiresScopes\/v0\.1 is for: SECURITY but is unsupported/);
    expect(() => Supergraph.build(gatewaySupergraphSdl(sdl))).not.toThrow();
  });

  it('any other SECURITY feature still stops the gateway', () => {
    const withPolicy = sdl.replace(
      '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)',
      '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)\n  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
    );
    expect(() => Supergraph.build(gatewaySupergraphSdl(withPolicy))).toThrow(/policy\/v0\.1 is for: SECURITY/);
  });
});

describe('scopes are read from the supergraph', () => {
  it('patients consent to every required scope but those issued to a role; doctors get theirs', () => {
    const { all, byRole } = supergraphScopes();
    const issued = new Set(Object.values(byRole).flat());
    expect([...PATIENT_SCOPES].sort()).toEqual(all.filter((s) => !issued.has(s)));
    expect(PATIENT_SCOPES).toEqual(
      expect.arrayContaining(['access:read', 'access:write', 'declaration:read', 'declaration:write', 'person:read', 'person:write']),
    );
    expect(PATIENT_SCOPES).not.toContain('declaration:sign');
    expect(DOCTOR_SCOPES).toEqual(byRole.DOCTOR);
    expect(DOCTOR_SCOPES).toContain('declaration:sign');
    expect(DEMO_PERSONAS.doctor.role).toBe('DOCTOR');
  });

  it('scopesOf: @issuedTo splits the scopes by role', () => {
    const d = supergraphDirectives(`
      schema @link(url: "https://specs.apollo.dev/requiresScopes/v0.1") @link(url: "https://specs.patient-cabinet.dev/accessLog/v0.1", import: ["@issuedTo"]) { query: Query }
      type Query @requiresScopes(scopes: [["a:read"]]) { x: Int @requiresScopes(scopes: [["b:write", "c:read"], ["d:sign"]]) @issuedTo(roles: ["DOCTOR", "NURSE"]) }`);
    expect(scopesOf(d)).toEqual({
      all: ['a:read', 'b:write', 'c:read', 'd:sign'],
      patient: ['a:read'],
      byRole: { DOCTOR: ['b:write', 'c:read', 'd:sign'], NURSE: ['b:write', 'c:read', 'd:sign'] },
    });
  });
});

describe('authorizationPlugin: the hooks around planning', () => {
  const rcFor = (query: string, scopes: string[], subject: string | null = DEMO_PERSONAS.patient.id) => ({
    schema: api,
    document: parse(query),
    operationName: null as string | null,
    queryHash: `hash:${query}`,
    contextValue: { caller: { subject, roles: ['PATIENT'], scopes, clientId: 'c', tokenId: 't', requestId: 'r' } },
    response: { body: { kind: 'single', singleResult: { data: undefined as unknown, errors: undefined as unknown[] | undefined } } },
  });
  attachSupergraphDirectives(api, sdl);

  it('swaps in the filtered operation with its own plan key, then writes the nulls and errors', async () => {
    const listener = (await authorizationPlugin().requestDidStart!({} as never))!;
    const rc = rcFor(
      '{ me { firstName activeDeclaration { id } } }',
      PATIENT_SCOPES.filter((s) => s !== 'declaration:read'),
    );
    const original = rc.queryHash;
    await listener.didResolveOperation!(rc as never);
    expect(printed(rc.document)).toBe('{ me { firstName } }');
    expect(rc.queryHash).toMatch(new RegExp(`^${original}:authz:[0-9a-f]{16}$`));
    expect(await listener.responseForOperation!(rc as never)).toBeNull();
    rc.response.body.singleResult.data = { me: { firstName: 'Олена' } };
    await listener.willSendResponse!(rc as never);
    expect(rc.response.body.singleResult).toEqual({
      data: { me: { firstName: 'Олена', activeDeclaration: null } },
      errors: [{ message: expect.any(String), path: ['me', 'activeDeclaration'], extensions: { code: 'FORBIDDEN', reason: 'UNAUTHORIZED_FIELD_OR_TYPE' } }],
    });
  });

  it('answers without planning when nothing is left, and leaves allowed operations alone', async () => {
    const plugin = authorizationPlugin();
    const refused = rcFor('{ me { id } }', [], null);
    const l1 = (await plugin.requestDidStart!({} as never))!;
    await l1.didResolveOperation!(refused as never);
    expect(await l1.responseForOperation!(refused as never)).toMatchObject({ body: { kind: 'single', singleResult: { data: {} } } });
    const allowed = rcFor('{ me { id } }', PATIENT_SCOPES);
    const doc = allowed.document;
    const l2 = (await plugin.requestDidStart!({} as never))!;
    await l2.didResolveOperation!(allowed as never);
    expect(allowed.document).toBe(doc);
    expect(allowed.queryHash).toBe('hash:{ me { id } }');
  });

  it('caches one decision per (operation, scope set): the same filtered document object is reused', async () => {
    const plugin = authorizationPlugin();
    const run = async (scopes: string[]) => {
      const rc = rcFor('{ me { firstName activeDeclaration { id } } }', scopes);
      await (await plugin.requestDidStart!({} as never))!.didResolveOperation!(rc as never);
      return rc.document;
    };
    const few = ['person:read'];
    expect(await run(few)).toBe(await run([...few]));
    expect(await run(['person:read', 'access:read'])).not.toBe(await run(few));
  });

  it('with reject (Router reject_unauthorized) refuses the whole operation', async () => {
    const listener = (await authorizationPlugin({ reject: true }).requestDidStart!({} as never))!;
    const rc = rcFor('{ me { firstName activeDeclaration { id } } }', ['person:read']);
    await expect(listener.didResolveOperation!(rc as never)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN', reason: 'UNAUTHORIZED_FIELD_OR_TYPE', paths: [['me', 'activeDeclaration']] },
    });
  });
});
