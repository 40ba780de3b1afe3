import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import { DEMO_CABINETS, DEMO_PERSONAS } from '@pc/demo';
import { manifestsDir, operationsDir } from '@pc/schema';
import { startSystem, type RunningSystem } from '@pc/e2e';

/**
 * A partner cabinet as it would really be built: Apollo Client with the persisted query link
 * fed from the cabinet's manifest, so it sends only operation ids.
 */
describe('a partner cabinet using Apollo Client with its persisted query list', () => {
  let sys: RunningSystem;
  let client: ApolloClient;
  const sent: unknown[] = [];

  beforeAll(async () => {
    sys = await startSystem();
    const token = await sys.token({ clientId: DEMO_CABINETS.zdorovia.id });
    const manifest = JSON.parse(readFileSync(join(manifestsDir, 'zdorovia.json'), 'utf8'));
    const recordingFetch: typeof fetch = async (input, init) => {
      sent.push(JSON.parse(String(init?.body)));
      return fetch(input, init);
    };
    client = new ApolloClient({
      cache: new InMemoryCache(),
      link: ApolloLink.from([
        createPersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest })),
        new HttpLink({
          uri: sys.gatewayUrl,
          headers: { authorization: `Bearer ${token}`, 'apollographql-client-name': 'zdorovia-web' },
          fetch: recordingFetch,
        }),
      ]),
    });
  });
  afterAll(async () => {
    client?.stop();
    await sys?.stop();
  });

  it('runs the profile screen by id only', async () => {
    const query = gql(readFileSync(join(operationsDir, 'zdorovia', 'PartnerProfile.graphql'), 'utf8'));
    const result = await client.query<{ me: { firstName: string } }>({ query, fetchPolicy: 'network-only' });
    expect(result.data?.me.firstName).toBe('Олена');
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty('query');
    expect(sent[0]).toMatchObject({ extensions: { persistedQuery: { version: 1 } } });
  });

  it('cannot run an operation that is not in its list', async () => {
    const query = gql('query NotListed { me { id taxId } }');
    await expect(client.query({ query, fetchPolicy: 'network-only' })).rejects.toThrow();
  });
});

/**
 * The state cabinet and a doctors' tool as production runs them: Apollo Client with the
 * persisted query link fed from their lists, against the gateway in production mode, where every
 * caller is held to its list. The ids Apollo Client computes must be the listed ones.
 */
describe('first-party apps using Apollo Client with their persisted query lists in production', () => {
  let sys: RunningSystem;
  const clients: ApolloClient[] = [];
  const sent: Record<string, unknown>[] = [];
  const clientFor = (list: string, token: string) => {
    const manifest = JSON.parse(readFileSync(join(manifestsDir, `${list}.json`), 'utf8'));
    const recordingFetch: typeof fetch = async (input, init) => {
      sent.push(JSON.parse(String(init?.body)));
      return fetch(input, init);
    };
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: ApolloLink.from([
        createPersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest })),
        new HttpLink({ uri: sys.gatewayUrl, headers: { authorization: `Bearer ${token}` }, fetch: recordingFetch }),
      ]),
    });
    clients.push(client);
    return client;
  };
  const operation = (list: string, name: string) => gql(readFileSync(join(operationsDir, list, `${name}.graphql`), 'utf8'));

  beforeAll(async () => {
    sys = await startSystem({ production: true });
  });
  afterAll(async () => {
    for (const c of clients) c.stop();
    await sys?.stop();
  });

  it('the state cabinet reads and changes personal data by id only', async () => {
    const client = clientFor('state', await sys.token('other'));
    const read = await client.query<{ me: { version: number; email: string } }>({ query: operation('state', 'PersonalData'), fetchPolicy: 'network-only' });
    expect(read.data?.me.email).toBe('andrii.shevchuk@example.com');
    const changed = await client.mutate<{ updateContacts: { person: { version: number; email: string }; userErrors: unknown[] } }>({
      mutation: operation('state', 'UpdateContacts'),
      variables: { input: { expectedVersion: read.data!.me.version, email: 'a.shevchuk@example.com' } },
    });
    expect(changed.data?.updateContacts).toMatchObject({ userErrors: [], person: { version: read.data!.me.version + 1, email: 'a.shevchuk@example.com' } });
    expect(sent.every((b) => !('query' in b))).toBe(true);
  });

  it("a doctors' tool reads its dashboard by id only", async () => {
    const client = clientFor('practitioners', await sys.token('doctor'));
    const r = await client.query<{ doctor: { id: string; acceptingNewPatients: boolean } }>({
      query: operation('practitioners', 'DoctorWorkload'),
      variables: { id: DEMO_PERSONAS.doctor.id },
      fetchPolicy: 'network-only',
    });
    expect(r.data?.doctor).toMatchObject({ id: DEMO_PERSONAS.doctor.id, acceptingNewPatients: true });
    expect(sent.every((b) => !('query' in b))).toBe(true);
  });
});
