import type { Caller } from '@pc/auth';

interface Entry {
  caller: Caller;
  /** ms since the epoch after which the token is not served from here. */
  until: number;
}

/**
 * Caller tokens this subgraph has already verified, until they expire. The gateway reuses one
 * caller token per caller and subgraph while it has at least 15 s to live, so most requests
 * carry a token seen before; checking its HMAC and claims again (jose) was ~5% of a subgraph's
 * CPU per request. Only successfully verified tokens are kept, keyed by the whole token string
 * (signature included), each until its own `exp` — never longer than `maxAgeMs` — so a cached
 * answer is exactly what a new verification would give, minus the 5 s clock tolerance. Bounded:
 * beyond `maxEntries` the oldest entry goes (tokens live 60 s, so the oldest is also nearly
 * expired).
 */
export class VerifiedCallerTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 5000,
    private readonly maxAgeMs = 60_000,
  ) {}

  /** The caller of a token verified before and not expired yet, or undefined. */
  get(token: string, now = Date.now()): Caller | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.caller;
  }

  /** Keeps a verified token's caller until the token's `exp` (read from its payload). */
  set(token: string, caller: Caller, now = Date.now()): void {
    const exp = expiryOf(token);
    if (exp === undefined) return;
    const until = Math.min(exp * 1000, now + this.maxAgeMs);
    if (until <= now) return;
    // Insertion order is about expiry order (the gateway's tokens all live 60 s): drop the oldest.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    Object.freeze(caller.roles);
    Object.freeze(caller.scopes);
    this.entries.set(token, { caller: Object.freeze(caller), until });
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The `exp` claim of a JWT already verified (no check here), or undefined. */
function expiryOf(token: string): number | undefined {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first < 0 || second < 0) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}
