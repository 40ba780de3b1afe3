/**
 * Representations (docs/representatives.md): the rule of `identity.representations_of_v1`, what
 * `me.representations` and `person(id)` answer, and what they cost in statements.
 */
import { randomUUID } from 'node:crypto';
import { patientCaller, useSubgraph } from '@pc/testing';
import type { ConfidantPerson } from '../src/domain/personData';
import { subgraph } from '../src/subgraph';
import { freshPerson } from './helpers';

const sg = useSubgraph(subgraph);

const confidant = (personId: string | null, type: ConfidantPerson['relationshipDocument']['type'], activeTo: string | null): ConfidantPerson => ({
  relationType: 'PRIMARY',
  personId,
  firstName: 'Ірина',
  lastName: 'Мельник',
  secondName: null,
  birthDate: '1988-02-09',
  gender: 'FEMALE',
  taxId: null,
  phones: [],
  relationshipDocument: { type, number: 'І-КИ000001', issuedAt: '2019-05-31', issuedBy: 'ДРАЦС', activeTo },
});
/** A person with no tax number (unique per row otherwise) born on `birthDate`, represented by `confidants`. */
const represented = (birthDate: string, confidants: ConfidantPerson[]) =>
  freshPerson(sg.dataSource, { birthDate, taxId: null, unzr: null, documents: [], confidantPersons: confidants });

const REPS = `{ me { id representations { relationType validTo person { id firstName } } } }`;
const PERSON = `query($id: ID!) { person(id: $id) { id capabilities { canView canEditPersonalData canSubmitDeclaration reason } } }`;

describe('representations', () => {
  it('lists exactly the active relationships that name the actor’s record; a parent’s ends the day before the child turns 14', async () => {
    const parent = await freshPerson(sg.dataSource, { taxId: null, unzr: null });
    const child = await represented('2019-05-20', [confidant(parent, 'BIRTH_CERTIFICATE', null)]);
    const guarded = await represented('1950-01-20', [confidant(parent, 'COURT_DECISION', '2099-12-31')]);
    await represented('2011-01-10', [confidant(parent, 'BIRTH_CERTIFICATE', '2029-01-09')]); // 15: the parent's relationship has ended
    await represented('1950-01-20', [confidant(parent, 'COURT_DECISION', '2024-01-01')]); // the court decision has ended
    await represented('2019-05-20', [confidant(null, 'BIRTH_CERTIFICATE', null)]); // names no record
    await represented('2019-05-20', [confidant(randomUUID(), 'BIRTH_CERTIFICATE', null)]); // someone else
    const r = await sg.call<{ me: { representations: { relationType: string; validTo: string | null; person: { id: string } }[] } }>(
      REPS,
      {},
      patientCaller(parent),
    );
    expect(r.errors).toBeUndefined();
    const got = r.data!.me.representations.map((x) => ({ id: x.person.id, validTo: x.validTo, relationType: x.relationType }));
    expect(got.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: child, validTo: '2033-05-19', relationType: 'PRIMARY' },
        { id: guarded, validTo: '2099-12-31', relationType: 'PRIMARY' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('costs the same statements for one represented person as for five (the function, then one batch of persons)', async () => {
    const measure = async (n: number) => {
      const parent = await freshPerson(sg.dataSource, { taxId: null, unzr: null });
      for (let i = 0; i < n; i++) await represented('2019-05-20', [confidant(parent, 'BIRTH_CERTIFICATE', null)]);
      const caller = patientCaller(parent);
      const { statements, result } = await sg.counter.measure(() => sg.call<{ me: { representations: unknown[] } }>(REPS, {}, caller));
      expect(result.data!.me.representations).toHaveLength(n);
      return statements;
    };
    const one = await measure(1);
    expect(one).toBe(3);
    expect(await measure(5)).toBe(one);
  });

  it('person(id): the represented person with the representative’s capabilities; without the relationship in the caller token, FORBIDDEN like an unknown id', async () => {
    const parent = await freshPerson(sg.dataSource, { taxId: null, unzr: null });
    const child = await represented('2019-05-20', [confidant(parent, 'BIRTH_CERTIFICATE', null)]);
    const asParent = patientCaller(parent, { actFor: [child] });
    const ok = await sg.call<{ person: { id: string; capabilities: Record<string, unknown> } }>(PERSON, { id: child }, asParent);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.person).toEqual({ id: child, capabilities: { canView: true, canEditPersonalData: true, canSubmitDeclaration: true, reason: null } });
    // The child's own capacity is unchanged: under 14 nothing alone.
    const self = await sg.call(PERSON, { id: child }, patientCaller(child));
    expect(self.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'UNDER_MINIMUM_AGE' });
    const refusals = await Promise.all(
      [
        [child, patientCaller(parent)], // the relationship is not in the caller token
        [randomUUID(), asParent], // unknown id
        ['not-a-uuid', asParent],
      ].map(async ([id, caller]) => {
        const r = await sg.call<{ person: unknown }>(PERSON, { id }, caller as ReturnType<typeof patientCaller>);
        return { data: r.data?.person ?? null, code: r.errors?.[0]?.extensions?.code, message: r.errors?.[0]?.message };
      }),
    );
    expect(new Set(refusals.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ data: null, code: 'FORBIDDEN', message: 'Not your data' })]));
  });

  it('a representative changes the child’s contacts (recorded with the representative as who changed it); another patient may not', async () => {
    const parent = await freshPerson(sg.dataSource, { taxId: null, unzr: null });
    const child = await represented('2019-05-20', [confidant(parent, 'BIRTH_CERTIFICATE', null)]);
    const M = `mutation($i: UpdateContactsInput!) { updateContacts(input: $i) { person { id email version } userErrors { code } } }`;
    const ok = await sg.call<{ updateContacts: { person: { id: string; email: string } } }>(
      M,
      { i: { personId: child, expectedVersion: 1, email: 'sofia@example.com' } },
      patientCaller(parent, { actFor: [child] }),
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.updateContacts.person).toMatchObject({ id: child, email: 'sofia@example.com' });
    const [row] = await sg.dataSource.query('SELECT subject FROM identity.person_change WHERE person_id = $1', [child]);
    expect(row.subject).toBe(parent);
    const refused = await sg.call(M, { i: { personId: child, expectedVersion: 2, email: 'x@example.com' } }, patientCaller(randomUUID()));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
