import type express from 'express';
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

/** What a guard gets: the verified caller so far, the request, and a request-scoped logger. */
export interface GuardInput {
  caller: Caller;
  body: GraphQLRequestBody;
  req: express.Request;
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
export function sendErrorBody(res: express.Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

/** Writes a guard's refusal as a GraphQL response (`{ errors: [...] }`) with its HTTP status. */
export function sendGuardError(res: express.Response, err: GraphQLError, fallbackStatus = 400): void {
  const http = err.extensions?.http as { status?: number; headers?: Record<string, string> } | undefined;
  for (const [k, v] of Object.entries(http?.headers ?? {})) res.setHeader(k, v);
  const { http: _omit, ...extensions } = err.extensions ?? {};
  sendErrorBody(res, http?.status ?? fallbackStatus, err.message, extensions);
}

export { GraphQLError };
