import { Kind, buildSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { classifyAccess } from '../src/access/classifyAccess';

// The shapes of api.md, trimmed to what classification looks at.
const schema = buildSchema(`
  type Query { me: Person, doctor(id: ID!): Doctor, node: Node }
  interface Node { id: ID! }
  type Person implements Node { id: ID!, firstName: String, declarations: [Declaration!]!, activeDeclaration: Declaration, accessGrants: [AccessGrant!]!, accessLog: LogConnection! }
  type Declaration implements Node { id: ID!, doctor: Doctor!, person: Person! }
  type Doctor { id: ID!, fullName: String! }
  type AccessGrant { id: ID!, cabinet: Cabinet! }
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
`);

function classify(source: string, data: Record<string, unknown> | null) {
  const doc = parse(source);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return classifyAccess(schema, op, fragments, data)
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
