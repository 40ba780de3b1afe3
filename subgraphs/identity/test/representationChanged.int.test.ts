/**
 * Migration RepresentationChanged (docs/representatives.md): a change of who may act for whom
 * NOTIFYs `identity_representation_changed` with the actors whose lists may differ, so gateways
 * drop them at once. Changes are made on the listening connection itself, which works on
 * PostgreSQL and on PGlite alike (PGlite delivers a notification to the session that sent it).
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { useSubgraph } from '@pc/testing';
import { subgraph } from '../src/subgraph';
import { freshPerson } from './helpers';

const sg = useSubgraph(subgraph);

const confidant = (personId: string | null) => ({
  relationType: 'PRIMARY',
  personId,
  firstName: 'Ірина',
  lastName: 'Мельник',
  secondName: null,
  birthDate: '1988-02-09',
  gender: 'FEMALE',
  taxId: null,
  phones: [],
  relationshipDocument: { type: 'COURT_DECISION', number: '1/1/24', issuedAt: '2024-01-01', issuedBy: 'суд', activeTo: null },
});

describe('representation change notifications', () => {
  let client: Client;
  const received: string[] = [];
  /** Runs `sql` on the listening connection and returns the notifications it caused. */
  const run = async (sql: string, values: unknown[]): Promise<unknown[]> => {
    received.length = 0;
    await client.query(sql, values);
    await client.query('SELECT 1');
    return received.map((p) => JSON.parse(p) as unknown);
  };
  const setConfidants = (id: string, list: unknown[]) =>
    run('UPDATE identity.person SET confidant_persons = $2::jsonb, version = version + 1 WHERE id = $1', [id, JSON.stringify(list)]);

  beforeAll(async () => {
    client = new Client({ connectionString: sg.database.url });
    await client.connect();
    client.on('notification', (m) => {
      if (m.channel === 'identity_representation_changed' && m.payload) received.push(m.payload);
    });
    await client.query('LISTEN identity_representation_changed');
  });
  afterAll(async () => {
    await client?.end();
  });

  it('names the actors before and after a change of confidant_persons, and only then', async () => {
    const [a, b] = [randomUUID(), randomUUID()].sort();
    const person = await freshPerson(sg.dataSource, { taxId: null, unzr: null, documents: [] });

    expect(await setConfidants(person, [confidant(a), confidant(null)])).toEqual([{ actors: [a] }]);
    expect(await setConfidants(person, [confidant(b)])).toEqual([{ actors: [a, b] }]);
    // The same list again, or another field: nothing to say.
    expect(await setConfidants(person, [confidant(b)])).toEqual([]);
    expect(await run(`UPDATE identity.person SET email = 'x@example.com', version = version + 1 WHERE id = $1`, [person])).toEqual([]);
    // The birth date decides when a parent's relationship ends.
    expect(await run(`UPDATE identity.person SET birth_date = birth_date - 1, version = version + 1 WHERE id = $1`, [person])).toEqual([{ actors: [b] }]);

    // A new record with confidants, and its removal.
    const copy = randomUUID();
    expect(
      await run(
        `INSERT INTO identity.person SELECT (jsonb_populate_record(NULL::identity.person, to_jsonb(p) || jsonb_build_object('id', $2::text))).* FROM identity.person p WHERE id = $1`,
        [person, copy],
      ),
    ).toEqual([{ actors: [b] }]);
    expect(await run('DELETE FROM identity.person WHERE id = $1', [copy])).toEqual([{ actors: [b] }]);
    // Removing the last relationship names the actor it named.
    expect(await setConfidants(person, [])).toEqual([{ actors: [b] }]);
  });

  it('sends "all" when the actors would not fit in one notification (8,000 bytes)', async () => {
    const person = await freshPerson(sg.dataSource, { taxId: null, unzr: null, documents: [] });
    const many = Array.from({ length: 250 }, () => confidant(randomUUID()));
    expect(await setConfidants(person, many)).toEqual([{ all: true }]);
  });
});
