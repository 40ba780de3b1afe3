import { Kind, buildSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { supergraphDirectives, supergraphPath } from '@pc/schema/src/supergraphDirectives';
import { accessRulesFrom, classifyAccess } from '../src/access/classifyAccess';

// The shapes of api.md, trimmed to what classification looks at, with the domains' @accessLog
// directives as the supergraph carries them: the rules come from these, not from a list.
const sdl = `
  schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.patient-cabinet.dev/accessLog/v0.1", import: ["@accessLog"]) { query: Query, mutation: Mutation }
  scalar link__Import
  directive @link(url: String, as: String, import: [link__Import]) repeatable on SCHEMA
  directive @accessLog(resource: String, ignore: Boolean! = false) on OBJECT | FIELD_DEFINITION
  type Query { me: Person, doctor(id: ID!): Doctor, node: Node, clinic: Clinic }
  type Clinic { id: ID!, name: String, patient: Person }
  interface Node { id: ID! }
  type Person implements Node @accessLog(resource: "person") {
    id: ID!
    firstName: String
    declarations: [Declaration!]! @accessLog(resource: "declarations")
    activeDeclaration: Declaration @accessLog(resource: "declarations")
    accessGrants: [AccessGrant!]! @accessLog(resource: "accessGrants")
    accessLog: LogConnection! @accessLog(ignore: true)
  }
  type Declaration implements Node @accessLog(resource: "declarations") { id: ID!, doctor: Doctor!, person: Person! }
  type Doctor { id: ID!, fullName: String! }
  type AccessGrant @accessLog(resource: "accessGrants") { id: ID!, cabinet: Cabinet! }
  type Cabinet { id: ID!, name: String! }
  type LogConnection { totalCount: Int! }
  type UserError { code: String! }
  type UpdatePersonPayload { person: Person, userErrors: [UserError!]! }
  type AccessGrantPayload { accessGrant: AccessGrant, userErrors: [UserError!]! }
  type DeclarationPayload { declaration: Declaration, userErrors: [UserError!]! }
  type Mutation {
    updateContacts: UpdatePersonPayload!
    revokeAccessGrant: AccessGrantPayload!
    terminateDeclaration: DeclarationPayload!
    somethingPublic: Boolean
  }
`;
const schema = buildSchema(sdl);
const rules = accessRulesFrom(supergraphDirectives(sdl));

function classify(source: string, data: Record<string, unknown> | null) {
  const doc = parse(source);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return classifyAccess(schema, op, fragments, data, rules)
    .map((t) => `${t.action} ${t.resource}`)
    .sort();
}

describe('classifyAccess: what a response read or changed of a person’s data', () => {
  it('reads the person record through any of its own fields, id included', () => {
    expect(classify('{ me { id } }', { me: { id: '1' } })).toEqual(['READ person']);
    expect(classify('{ me { firstName } }', { me: { firstName: 'Олена' } })).toEqual(['READ person']);
  });

  it('attributes person fields of other domains to their resource, not to the person record', () => {
    expect(classify('{ me { accessGrants { id cabinet { name } } } }', { me: { accessGrants: [{ id: 'g', cabinet: { name: 'x' } }] } })).toEqual([
      'READ accessGrants',
    ]);
    expect(classify('{ me { activeDeclaration { id doctor { fullName } } } }', { me: { activeDeclaration: { id: 'd', doctor: { fullName: 'x' } } } })).toEqual([
      'READ declarations',
    ]);
  });

  it('counts an empty list as read (the person’s grants were looked at), a null as not', () => {
    expect(classify('{ me { accessGrants { id } } }', { me: { accessGrants: [] } })).toEqual(['READ accessGrants']);
    expect(classify('{ me { activeDeclaration { id } } }', { me: { activeDeclaration: null } })).toEqual([]);
    expect(classify('{ me { id } }', { me: null })).toEqual([]);
    expect(classify('{ me { id } }', null)).toEqual([]);
  });

  it('does not log reading the access log itself, nor public data', () => {
    expect(classify('{ me { accessLog { totalCount } } }', { me: { accessLog: { totalCount: 3 } } })).toEqual([]);
    expect(classify('{ doctor(id: "1") { fullName } }', { doctor: { fullName: 'x' } })).toEqual([]);
  });

  it('follows aliases, inline fragments, named fragments and abstract types', () => {
    const q = `
      query Home { who: me { ...Card ... on Person { grants: accessGrants { id } } } node { ... on Declaration { id } } }
      fragment Card on Person { declarations { id } }`;
    const data = { who: { declarations: [{ id: 'd' }], grants: [{ id: 'g' }] }, node: { __typename: 'Declaration', id: 'd' } };
    expect(classify(q, data)).toEqual(['READ accessGrants', 'READ declarations']);
  });

  it('logs a mutation as a CHANGE of the resource its payload carries', () => {
    expect(classify('mutation { updateContacts { person { id } userErrors { code } } }', { updateContacts: { person: { id: '1' }, userErrors: [] } })).toEqual([
      'CHANGE person',
    ]);
    expect(classify('mutation Revoke { r: revokeAccessGrant { accessGrant { id } } }', { r: { accessGrant: { id: 'g' } } })).toEqual(['CHANGE accessGrants']);
    expect(classify('mutation { terminateDeclaration { userErrors { code } } }', { terminateDeclaration: { userErrors: [] } })).toEqual([
      'CHANGE declarations',
    ]);
  });

  it('logs no change when the payload reports user errors, or the mutation failed', () => {
    expect(classify('mutation { updateContacts { userErrors { code } } }', { updateContacts: { userErrors: [{ code: 'VERSION_CONFLICT' }] } })).toEqual([]);
    expect(classify('mutation { revokeAccessGrant { accessGrant { id } } }', null)).toEqual([]);
    expect(classify('mutation { somethingPublic }', { somethingPublic: true })).toEqual([]);
  });
});

describe('classifyAccess: only below types that can hold a person’s data', () => {
  it('still finds a person’s data below public types that lead to it', () => {
    expect(classify('{ clinic { name patient { firstName } } }', { clinic: { name: 'A', patient: { firstName: 'Ірина' } } })).toEqual(['READ person']);
    expect(classify('{ clinic { name patient { firstName } } }', { clinic: { name: 'A', patient: null } })).toEqual([]);
  });

  it('does not look inside public data that cannot lead to it (a search page’s doctors)', () => {
    let looked = 0;
    const doctor = new Proxy({ id: 'd1', fullName: 'Лікар' }, { get: (t, k) => (looked++, Reflect.get(t, k)) });
    expect(classify('{ doctor(id: "d1") { id fullName } me { firstName } }', { doctor, me: { firstName: 'Ірина' } })).toEqual(['READ person']);
    expect(looked).toBe(0);
  });
});

describe('access-log rules: read from the @accessLog directives of the supergraph', () => {
  it('the committed supergraph gives (at least) the mapping docs/access.md describes', () => {
    const committed = accessRulesFrom(supergraphDirectives(readFileSync(supergraphPath, 'utf8')));
    expect(committed).toMatchObject({
      types: { Person: 'person', Declaration: 'declarations', DeclarationRequest: 'declarations', AccessGrant: 'accessGrants' },
      fields: {
        'Person.declarations': 'declarations',
        'Person.activeDeclaration': 'declarations',
        'Person.declarationRequests': 'declarations',
        'Person.accessGrants': 'accessGrants',
        'Person.accessLog': null,
      },
    });
  });

  it('a type or field without the directive is not personal data; a new one is, with no code change', () => {
    const bareSdl = sdl.replace(/(?<!directive) @accessLog\([^)]*\)/g, '');
    const me = parse('{ me { id } }').definitions[0] as OperationDefinitionNode;
    expect(classifyAccess(buildSchema(bareSdl), me, {}, { me: { id: '1' } }, accessRulesFrom(supergraphDirectives(bareSdl)))).toEqual([]);
    const withLab = sdl.replace('type Doctor {', 'type Doctor @accessLog(resource: "labResults") {');
    const op = parse('{ doctor(id: "1") { fullName } }').definitions[0] as OperationDefinitionNode;
    expect(classifyAccess(buildSchema(withLab), op, {}, { doctor: { fullName: 'x' } }, accessRulesFrom(supergraphDirectives(withLab)))).toEqual([
      { action: 'READ', resource: 'labResults' },
    ]);
  });

  it('follows a renamed import of the directive', () => {
    const renamed = sdl
      .replace('import: ["@accessLog"]', 'import: [{ name: "@accessLog", as: "@audit" }]')
      .replace(/@accessLog\(/g, '@audit(')
      .replace('directive @audit(', 'directive @audit(');
    expect(accessRulesFrom(supergraphDirectives(renamed))).toEqual(rules);
  });
});
