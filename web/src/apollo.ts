/**
 * Apollo Client with persisted queries only: each request carries the operation's id from the
 * state cabinet's manifest and never its text (no retry with the full query), as production
 * requires (the gateway holds the state cabinet to its list).
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import manifest from 'virtual:state-manifest';
import { getToken } from './auth';

const persisted = new PersistedQueryLink({
  ...generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest }),
  retry: () => false,
  disable: () => false,
});

const auth = new SetContextLink((prev) => {
  const token = getToken();
  return { headers: { ...prev.headers, ...(token ? { authorization: `Bearer ${token}` } : {}), 'apollographql-client-name': 'state-cabinet-web' } };
});

export function createClient(): ApolloClient {
  return new ApolloClient({
    link: ApolloLink.from([auth, persisted, new HttpLink({ uri: '/graphql' })]),
    cache: new InMemoryCache(),
  });
}
