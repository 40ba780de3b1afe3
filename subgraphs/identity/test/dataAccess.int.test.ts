/**
 * What the data-access rule (docs/architecture.md, "Data access") must not cost: the number of
 * SQL statements of a mutation, of `me` and of a history page stays as it was before the raw SQL
 * moved into src/queries.ts and the history row was written through its entity.
 */
import { patientCaller, useSubgraph } from '@pc/testing';
import { subgraph } from '../src/subgraph';
import { M, ME, freshPerson, historyRows, mutate } from './helpers';

const sg = useSubgraph(subgraph);

const HISTORY = `query($first: Int) { me { changeHistory(first: $first) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id action changes { field oldValue newValue } } }
} } }`;

async function statements(fn: () => Promise<unknown>): Promise<{ count: number; sql: string[] }> {
  const { statements: count, sql } = await sg.counter.measure(fn);
  return { count, sql };
}

describe('identity statements per operation', () => {
  it('an accepted updateContacts: the fresh read, the versioned UPDATE and the history INSERT', async () => {
    const id = await freshPerson(sg.dataSource);
    const caller = patientCaller(id);
    const { count, sql } = await statements(() => mutate(sg, M.contacts, { expectedVersion: 1, email: 'count.me@example.com' }, caller));
    expect({ count, sql }).toMatchObject({ count: 3 });
    expect(sql.filter((s) => /^\s*UPDATE/i.test(s))).toHaveLength(1);
    expect(sql.filter((s) => /^\s*INSERT/i.test(s))).toHaveLength(1);
    const [row] = await historyRows(sg.dataSource, id);
    expect(row).toMatchObject({ action: 'updateContacts', version_before: 1, version_after: 2, subject: id });
  });

  it('a rejected updateContacts reads once and writes nothing', async () => {
    const id = await freshPerson(sg.dataSource);
    const { count } = await statements(() => mutate(sg, M.contacts, { expectedVersion: 1, email: 'not-an-email' }, patientCaller(id)));
    expect(count).toBe(1);
  });

  it('me is one statement; a history page with its total, three', async () => {
    const id = await freshPerson(sg.dataSource);
    const caller = patientCaller(id);
    await mutate(sg, M.contacts, { expectedVersion: 1, email: 'history@example.com' }, caller);
    expect((await statements(() => sg.call(ME, {}, caller))).count).toBe(1);
    const history = await statements(() => sg.call(HISTORY, { first: 5 }, caller));
    expect(history.count).toBe(3);
  });
});
