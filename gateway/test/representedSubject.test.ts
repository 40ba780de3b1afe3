import { representedSubject } from '../src/access/accessLogPlugin';

const CHILD = 'af506e3c-1d2b-4a24-9b12-d1cdbcaf9f24';
const OTHER_CHILD = 'b0000000-1d2b-4a24-9b12-d1cdbcaf9f24';

describe('representedSubject: whose log a representative’s operation belongs to', () => {
  it('is the represented person the operation names, in its variables or its text', () => {
    expect(representedSubject([CHILD], 'query($id: ID!) { person(id: $id) { id } }', { id: CHILD })).toBe(CHILD);
    expect(
      representedSubject([OTHER_CHILD, CHILD], `mutation { updateContacts(input: { personId: "${CHILD}", expectedVersion: 1 }) { userErrors { code } } }`, {}),
    ).toBe(CHILD);
    expect(
      representedSubject([CHILD], 'mutation($i: SubmitDeclarationRequestInput!) { submitDeclarationRequest(input: $i) { userErrors { code } } }', {
        i: { personId: CHILD },
      }),
    ).toBe(CHILD);
  });

  it('is nobody for a caller who represents no one, or an operation on their own data', () => {
    expect(representedSubject(undefined, 'query($id: ID!) { person(id: $id) { id } }', { id: CHILD })).toBeNull();
    expect(representedSubject([], '{ me { id } }', undefined)).toBeNull();
    expect(representedSubject([CHILD], '{ me { id } }', {})).toBeNull();
  });
});
