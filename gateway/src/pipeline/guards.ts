import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Caller } from '@pc/auth';
import type { Logger } from '@pc/logging';

/** The parsed GraphQL-over-HTTP request a guard sees (POST body or GET query string). */
export interface GraphQLRequestBody {
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: { persistedQuery?: { version?: number; sha256Hash?: string } } & Record<string, unknown>;
}

/** The HTTP request as guards see it. */
export interface GuardRequest {
  /**
   * The client's address as Express' `req.ip` gave it: the socket's peer, or X-Forwarded-For as
   * far as TRUST_PROXY trusts the hops (pipeline/httpFront.ts); computed when first read.
   */
  readonly ip: string;
  headers: IncomingHttpHeaders;
  method: string;
}

/** What a guard gets: the verified caller so far, the request, and a request-scoped logger. */
export interface GuardInput {
  caller: Caller;
  body: GraphQLRequestBody;
  req: GuardRequest;
  log: Logger;
}

/**
 * A check that runs after authentication and before Apollo plans anything (grant checks,
 * persisted-query rules, rate limits). It returns the caller to continue with — possibly
 * narrowed, e.g. scopes intersected with a grant — or throws a GraphQLError with a code
 * (and optionally `extensions.http.status`), which becomes the whole response.
 */
export type RequestGuard = (input: GuardInput) => Promise<Caller> | Caller;

/** Writes a GraphQL-shaped error response (`{ errors: [{ message, extensions }] }`) with `status`: every error the gateway answers outside Apollo. */
export function sendErrorBody(res: ServerResponse, status: number, message: string, extensions: Record<string, unknown>): void {
  const text = JSON.stringify({ errors: [{ message, extensions }] });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** Writes a guard's refusal as a GraphQL response (`{ errors: [...] }`) with its HTTP status. */
export function sendGuardError(res: ServerResponse, err: GraphQLError, fallbackStatus = 400): void {
  const http = err.extensions?.http as { status?: number; headers?: Record<string, string> } | undefined;
  for (const [k, v] of Object.entries(http?.headers ?? {})) res.setHeader(k, v);
  const { http: _omit, ...extensions } = err.extensions ?? {};
  sendErrorBody(res, http?.status ?? fallbackStatus, err.message, extensions);
}

export { GraphQLError };
