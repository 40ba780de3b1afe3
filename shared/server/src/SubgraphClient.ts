import { randomUUID } from 'node:crypto';
import { CALLER_TOKEN_HEADER, REQUEST_ID_HEADER, signCallerToken, subgraphAudience, type Caller } from '@pc/auth';
import { ErrorCode, codedError } from '@pc/errors';
import type { Logger } from '@pc/logging';
import type { GraphQLError } from 'graphql';

/** Where another subgraph listens and how long to wait for it. */
export interface SubgraphClientOptions {
  /** The target's name: the audience of the caller token. */
  name: string;
  url: string;
  timeoutMs: number;
  /** INTERNAL_TOKEN_SECRET, shared with the gateway and every subgraph. */
  secret: string;
  log: Logger;
}

/**
 * Calls another subgraph directly as this service (role SERVICE), with a caller token signed
 * for that subgraph alone: how a domain reads data it does not own (e.g. declarations reading
 * a person's birth date through identity's `_entities`). Any failure — refused connection, timeout, HTTP error, GraphQL
 * errors — becomes one DEPENDENCY_UNAVAILABLE error: the caller of this subgraph cannot fix it,
 * and the mutation that needed the answer must not write anything.
 */
export class SubgraphClient {
  constructor(
    private readonly opts: SubgraphClientOptions,
    /** This service's name, the token's subject. */
    private readonly self: string,
  ) {}

  /** Runs `query` and returns its `data`; throws DEPENDENCY_UNAVAILABLE on any failure. */
  async request<T>(query: string, variables: Record<string, unknown>, requestId: string = randomUUID()): Promise<T> {
    const caller: Caller = { subject: this.self, roles: ['SERVICE'], scopes: [], clientId: null, tokenId: null, requestId };
    const token = await signCallerToken(caller, { secret: this.opts.secret, audience: subgraphAudience(this.opts.name) });
    let body: { data?: T | null; errors?: Pick<GraphQLError, 'message' | 'extensions'>[] };
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CALLER_TOKEN_HEADER]: token, [REQUEST_ID_HEADER]: requestId },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      body = (await res.json()) as typeof body;
      if (!res.ok && !body.errors) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      // A dependency that is not listening (yet: start-up, restart) is an expected wait, one quiet
      // line without a stack; anything else (timeout, bad answer) is worth a warning.
      const reason = failureReason(err);
      if (reason === 'ECONNREFUSED') this.opts.log.info({ dependency: this.opts.name, url: this.opts.url, reason }, 'dependency not reachable (yet)');
      else this.opts.log.warn({ dependency: this.opts.name, url: this.opts.url, reason }, 'dependency call failed');
      throw unavailable(this.opts.name);
    }
    if (body.errors?.length || !body.data) {
      this.opts.log.warn(
        { dependency: this.opts.name, errors: body.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })) },
        'dependency answered with errors',
      );
      throw unavailable(this.opts.name);
    }
    return body.data;
  }
}

/** A one-word reason for a failed call: the socket error code when there is one, else the message. */
function failureReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}

const unavailable = (name: string) =>
  codedError(ErrorCode.DEPENDENCY_UNAVAILABLE, `The ${name} service did not answer; nothing was changed. Try again shortly.`);
