/**
 * The change history: one row per accepted change and none for rejected ones, served as a Relay
 * connection, and impossible to rewrite — the database refuses UPDATE, DELETE and TRUNCATE of
 * it, and refuses any change of a person that does not advance the version.
 */
import { patientCaller, serviceCaller, useSubgraph } from '@pc/testing';
import { subgraph } from '../src/subgraph';
import { M, freshPerson, historyRows, mutate } from './helpers';

const sg = useSubgraph(subgraph);

const HISTORY = `query($first: Int, $after: String) { me { changeHistory(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id at action cabinetId changedBy versionBefore versionAfter changes { field oldValue newValue } } }
} } }`;

interface HistoryConnection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: {
    cursor: string;
    node: {
      action: string;
      versionBefore: number;
      versionAfter: number;
      cabinetId: string;
      changedBy: string;
      changes: { field: string; oldValue: string | null; newValue: string | null }[];
    };
  }[];
}

/** A person with three accepted changes and two rejected attempts between them. */
async function personWithHistory(): Promise<{ id: string; caller: ReturnType<typeof patientCaller> }> {
  const id = await freshPerson(sg.dataSource);
  const caller = patientCaller(id);
  expect((await mutate(sg, M.contacts, { expectedVersion: 1, email: 'one@example.com' }, caller)).userErrors).toEqual([]);
  expect((await mutate(sg, M.contacts, { expectedVersion: 2, email: 'broken' }, caller)).userErrors).not.toEqual([]);
  expect((await mutate(sg, M.contacts, { expectedVersion: 2, email: 'two@example.com' }, caller)).userErrors).toEqual([]);
  expect((await mutate(sg, M.contacts, { expectedVersion: 2, email: 'stale@example.com' }, caller)).userErrors).not.toEqual([]);
  const contact = { firstName: 'Ганна', lastName: 'Бондар', phones: [{ type: 'MOBILE', number: '+380631234567' }] };
  expect((await mutate(sg, M.emergency, { expectedVersion: 3, emergencyContact: contact }, caller)).userErrors).toEqual([]);
  return { id, caller };
}

describe('change history', () => {
  it('holds exactly the accepted changes, newest first, paged as a Relay connection', async () => {
    const { id, caller } = await personWithHistory();
    expect((await historyRows(sg.dataSource, id)).map((h) => h.version_after)).toEqual([2, 3, 4]);

    const page1 = await sg.call<{ me: { changeHistory: HistoryConnection } }>(HISTORY, { first: 2 }, caller);
    expect(page1.errors).toBeUndefined();
    const h1 = page1.data!.me.changeHistory;
    expect(h1.totalCount).toBe(3);
    expect(h1.pageInfo.hasNextPage).toBe(true);
    expect(h1.edges.map((e) => [e.node.action, e.node.versionAfter])).toEqual([
      ['updateEmergencyContact', 4],
      ['updateContacts', 3],
    ]);
    expect(h1.edges[1]?.node).toMatchObject({
      versionBefore: 2,
      cabinetId: caller.clientId,
      changedBy: id,
      changes: [{ field: 'email', oldValue: '"one@example.com"', newValue: '"two@example.com"' }],
    });

    const page2 = await sg.call<{ me: { changeHistory: HistoryConnection } }>(HISTORY, { first: 2, after: h1.pageInfo.endCursor }, caller);
    const h2 = page2.data!.me.changeHistory;
    expect(h2.edges.map((e) => e.node.versionAfter)).toEqual([2]);
    expect(h2.pageInfo).toEqual({ hasNextPage: false, endCursor: h2.edges[0]?.cursor });
  });

  it('loads the pages of many persons with one statement', async () => {
    const people = await Promise.all([personWithHistory(), personWithHistory(), personWithHistory()]);
    sg.counter.reset();
    const r = await sg.call<{ _entities: { changeHistory: HistoryConnection }[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { changeHistory(first: 1) { edges { node { versionAfter } } } } } }',
      { r: people.map((p) => ({ __typename: 'Person', id: p.id })) },
      serviceCaller('access'),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?._entities.map((e) => e.changeHistory.edges.map((x) => x.node.versionAfter))).toEqual([[4], [4], [4]]);
    // One for the persons, one for the histories.
    expect(sg.counter.count).toBe(2);
  });

  it('rejects cursors it did not issue and page sizes out of range', async () => {
    const id = await freshPerson(sg.dataSource);
    for (const vars of [{ after: 'bm90LWEtY3Vyc29y' }, { first: 0 }, { first: 101 }]) {
      const r = await sg.call(HISTORY, vars, patientCaller(id));
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('cannot be rewritten: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const { id } = await personWithHistory();
    const ds = sg.dataSource;
    await expect(ds.query(`UPDATE identity.person_change SET new_values = '{}' WHERE person_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(ds.query('DELETE FROM identity.person_change WHERE person_id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(ds.query('TRUNCATE identity.person_change')).rejects.toThrow(/append-only/);
    expect(await historyRows(ds, id)).toHaveLength(3);
  });

  it('cannot be bypassed: a change of a person that does not advance the version is refused', async () => {
    const id = await freshPerson(sg.dataSource);
    await expect(sg.dataSource.query(`UPDATE identity.person SET email = 'sneaky@example.com' WHERE id = $1`, [id])).rejects.toThrow(/version/);
    await expect(sg.dataSource.query('UPDATE identity.person SET version = version + 2 WHERE id = $1', [id])).rejects.toThrow(/version/);
  });
});
