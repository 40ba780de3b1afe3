import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '@pc/logging';
import { formatError } from '@pc/server';

/** URLs, IPv4 addresses (with port) and `localhost:port`: where the gateway's subgraphs live. */
const ADDRESS_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\blocalhost:\d+\b/gi;

/**
 * The gateway's error formatting, on top of the shared one (stable codes, unexpected errors
 * masked in production): an error never carries `extensions.response` (the subgraph's URL, status
 * and body — in development its stack trace), and in production neither `extensions.serviceName`,
 * subgraph stack traces (`stacktrace`, `exception`), any URL or address in its message, nor
 * graphql-js's "Did you mean …?" hints about the schema (as `hideSchemaDetailsFromClientErrors`
 * does for validation, here also for variable coercion: an unknown enum value).
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown, log: Logger, production: boolean): GraphQLFormattedError {
  const base = formatError(formatted, error, log, production);
  if (!base.extensions) return production ? { ...base, message: scrub(base.message) } : base;
  const { response: _response, ...kept } = base.extensions as Record<string, unknown>;
  if (production) {
    delete kept.serviceName;
    delete kept.stacktrace;
    delete kept.exception;
    return { ...base, message: scrub(base.message), extensions: kept };
  }
  return { ...base, extensions: kept };
}

function scrub(message: string): string {
  return message.replace(ADDRESS_RE, '[internal address]').replace(/ ?Did you mean .+\?$/, '');
}
