/**
 * How the differential test compares a response of our gateway with vanilla @apollo/gateway's:
 * `data` byte for byte (JSON, key order included), errors as a multiset of message, path, code
 * and the remaining extensions (minus what a mode drops on purpose).
 */

export interface WireError {
  message: string;
  path?: (string | number)[];
  locations?: unknown;
  extensions?: Record<string, unknown>;
}
export interface WireResponse {
  status: number;
  body: { data?: unknown; errors?: WireError[] };
}

/** An error reduced to what must match. */
export interface NormError {
  message: string;
  path: (string | number)[] | null;
  code: string | null;
  locations: unknown;
  extensions: Record<string, unknown>;
}

/** Extensions never compared: debugging detail that differs by mode and by design. */
const ALWAYS_IGNORED = ['stacktrace', 'exception', 'response'];

export function normError(e: WireError, ignore: string[] = []): NormError {
  const extensions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.extensions ?? {})) if (k !== 'code' && !ALWAYS_IGNORED.includes(k) && !ignore.includes(k)) extensions[k] = v;
  return { message: e.message, path: e.path ?? null, code: (e.extensions?.code as string | undefined) ?? null, locations: e.locations ?? null, extensions };
}

const key = (e: NormError) => JSON.stringify([e.path, e.message, e.code, e.locations, e.extensions]);
export const sortErrors = (errors: NormError[]): NormError[] => [...errors].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** What production mode is expected to make of an error vanilla reports (formatGatewayError). */
export function productionView(e: NormError): NormError {
  if (!e.code || e.code === 'INTERNAL_SERVER_ERROR')
    return { message: 'Internal server error', path: e.path, code: 'INTERNAL_SERVER_ERROR', locations: e.locations, extensions: {} };
  const { serviceName: _s, ...extensions } = e.extensions;
  return { ...e, message: scrub(e.message), extensions };
}

/** formatGatewayError's production scrub of messages (addresses and "Did you mean" hints). */
function scrub(message: string): string {
  return message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\blocalhost:\d+\b/gi, '[internal address]')
    .replace(/ ?Did you mean .+\?$/, '');
}

/** A difference between two responses, readable in a jest failure. */
export interface Mismatch {
  operation: string;
  against: string;
  what: 'status' | 'data' | 'errors' | 'leak';
  vanilla: unknown;
  ours: unknown;
}

/**
 * Compares one response of ours with vanilla's. `expectErrors` maps vanilla's normalised errors to
 * what ours should say (identity in test mode, {@link productionView} in production).
 */
export function compare(
  operation: string,
  against: string,
  vanilla: WireResponse,
  ours: WireResponse,
  expectErrors: (e: NormError) => NormError,
  ignoreExtensions: string[] = [],
): Mismatch[] {
  const out: Mismatch[] = [];
  if (vanilla.status !== ours.status) out.push({ operation, against, what: 'status', vanilla: vanilla.status, ours: ours.status });
  const vd = JSON.stringify(vanilla.body.data);
  const od = JSON.stringify(ours.body.data);
  if (vd !== od) out.push({ operation, against, what: 'data', vanilla: vanilla.body.data, ours: ours.body.data });
  const ve = sortErrors((vanilla.body.errors ?? []).map((e) => expectErrors(normError(e, ignoreExtensions))));
  const oe = sortErrors((ours.body.errors ?? []).map((e) => normError(e, ignoreExtensions)));
  if (JSON.stringify(ve) !== JSON.stringify(oe)) out.push({ operation, against, what: 'errors', vanilla: ve, ours: oe });
  return out;
}

/** Things that must never leave our gateway, whatever the mode. */
export function leaks(operation: string, against: string, ours: WireResponse, production: boolean): Mismatch[] {
  const out: Mismatch[] = [];
  for (const e of ours.body.errors ?? []) {
    const ext = e.extensions ?? {};
    const bad = ['response', ...(production ? ['serviceName', 'stacktrace', 'exception'] : [])].filter((k) => k in ext);
    if (production && /127\.0\.0\.1|localhost:\d+|https?:\/\//.test(e.message)) bad.push('address in message');
    if (bad.length) out.push({ operation, against, what: 'leak', vanilla: null, ours: { error: e, bad } });
  }
  return out;
}
