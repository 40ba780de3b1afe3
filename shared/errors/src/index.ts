import { GraphQLError } from 'graphql';

/**
 * Error codes shared by every service. They are part of the public API: clients branch on
 * `extensions.code` (GraphQL errors) or `code` (user errors in mutation payloads), never on
 * messages.
 */
export const ErrorCode = {
  /** Missing, malformed, expired or revoked credentials. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller is known but may not do this (not their data, capacity or scope). */
  FORBIDDEN: 'FORBIDDEN',
  /** Arguments are malformed (e.g. a bad cursor, `first` above the cap). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The object does not exist (or is not visible to the caller). */
  NOT_FOUND: 'NOT_FOUND',
  /** Optimistic concurrency: the object changed since the caller read it. */
  VERSION_CONFLICT: 'VERSION_CONFLICT',
  /** A service this one depends on did not answer; nothing was changed. */
  DEPENDENCY_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
  /** Anything unexpected; details are only in the server log. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

/** One of the shared error codes. Domains add their own user-error codes as plain strings. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * A problem with mutation input, returned in the payload's `userErrors` (api.md): nothing was
 * changed. `field` is the path into the mutation arguments, e.g. `['input', 'phones', '0']`.
 */
export interface UserError {
  field: string[];
  code: string;
  message: string;
}

/** Builds a {@link UserError}. */
export function userError(field: string[], code: string, message: string): UserError {
  return { field, code, message };
}

/** A GraphQL error with a stable `extensions.code` and, optionally, the HTTP status to use. */
export function codedError(code: ErrorCode | string, message: string, httpStatus?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: httpStatus ? { code, http: { status: httpStatus } } : { code },
  });
}

/** Missing or invalid credentials. */
export const unauthenticated = (message = 'Authentication required'): GraphQLError => codedError(ErrorCode.UNAUTHENTICATED, message);

/** The caller may not do this. */
export const forbidden = (message = 'Forbidden'): GraphQLError => codedError(ErrorCode.FORBIDDEN, message);

/** Malformed arguments. */
export const badUserInput = (message: string): GraphQLError => codedError(ErrorCode.BAD_USER_INPUT, message);

/** Thrown by domain services when a user error should abort a transaction; mapped to a payload. */
export class UserErrorsException extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((e) => e.code).join(', '));
  }
}
