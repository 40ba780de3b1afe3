/**
 * Sign-in. Development: the persona picker asks the web server's development-only endpoint
 * (`/dev/token`, absent in production) for a state-cabinet token. The token lives in memory only
 * (never localStorage): a reload signs the person out.
 */
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
export const PERSONAS = ['patient', 'other', 'teen', 'represented'] as const;

export async function signInAs(persona: string): Promise<void> {
  const res = await fetch(`/dev/token?persona=${encodeURIComponent(persona)}`);
  if (!res.ok) throw new Error(`sign-in failed (${res.status})`);
  const body = (await res.json()) as { token: string };
  setToken(body.token);
}
