/**
 * Sign-in. Development: the persona picker asks the web server's development-only endpoint
 * (`/dev/token`, absent in production) for a state-cabinet token. Production: OpenID Connect
 * authorization code + PKCE against the issuer named by /config.json (oidc-client-ts, loaded only
 * then). Tokens live in memory only (never localStorage); a reload signs the person out. Only the
 * PKCE verifier and state of a sign-in in progress sit in sessionStorage, as oidc-client-ts keeps them.
 */
import type { UserManager } from 'oidc-client-ts';

let token: string | undefined;
const listeners = new Set<() => void>();

export const getToken = (): string | undefined => token;

export function setToken(next: string | undefined): void {
  token = next;
  for (const l of listeners) l();
}

export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Demo personas offered by the picker (patients of the demo data). */
export const PERSONAS = ['patient', 'other', 'teen', 'represented', 'parent'] as const;

export async function signInAs(persona: string): Promise<void> {
  const res = await fetch(`/dev/token?persona=${encodeURIComponent(persona)}`);
  if (!res.ok) throw new Error(`sign-in failed (${res.status})`);
  const body = (await res.json()) as { token: string };
  setToken(body.token);
}

/** What the web server says the app signs in with. */
export interface SignInConfig {
  devSignIn?: boolean;
  oidc?: { authority: string; clientId: string; scope?: string };
}

export async function loadSignInConfig(): Promise<SignInConfig> {
  const res = await fetch('/config.json');
  return res.ok ? ((await res.json()) as SignInConfig) : {};
}

/** The patient scopes the state cabinet asks for. */
const DEFAULT_SCOPE = 'person:read person:write declaration:read declaration:write access:read access:write prescription:read medical:read';
export const CALLBACK_PATH = '/callback';

async function userManager(oidc: NonNullable<SignInConfig['oidc']>): Promise<UserManager> {
  const { InMemoryWebStorage, UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: oidc.authority,
    client_id: oidc.clientId,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    response_type: 'code',
    scope: oidc.scope ?? DEFAULT_SCOPE,
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    loadUserInfo: false,
  });
}

/** Sends the browser to the identity provider (authorization code with PKCE, S256). */
export async function signInWithProvider(oidc: NonNullable<SignInConfig['oidc']>): Promise<void> {
  await (await userManager(oidc)).signinRedirect();
}

/** On the callback path: exchanges the code (with the PKCE verifier) for the token. */
export async function completeSignIn(oidc: NonNullable<SignInConfig['oidc']>): Promise<void> {
  const user = await (await userManager(oidc)).signinRedirectCallback();
  window.history.replaceState(null, '', '/');
  setToken(user.access_token);
}
