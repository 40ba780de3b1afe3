import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import { DEMO_CABINETS } from '@pc/demo';
import { manifestsDir, operationsDir } from '@pc/schema';
import { startSystem, type RunningSystem } from '../src/lib';

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
        new HttpLink({ uri: sys.gatewayUrl, headers: { authorization: `Bearer ${token}`, 'apollographql-client-name': 'zdorovia-web' }, fetch: recordingFetch }),
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
