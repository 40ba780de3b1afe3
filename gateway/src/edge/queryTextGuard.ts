import { GraphQLError } from 'graphql';
import type { RequestGuard } from '../pipeline/guards';
import { LimitCode } from './operationLimits';

/**
 * Refuses operation text longer than `maxCharacters` before it is parsed (the token limit in
 * Apollo's parser guards the rest).
 */
export function queryTextGuard(maxCharacters: number): RequestGuard {
  return ({ caller, body }) => {
    if (typeof body.query === 'string' && body.query.length > maxCharacters) {
      throw new GraphQLError(`Operation text is ${body.query.length} characters; the limit is ${maxCharacters}`, {
        extensions: { code: LimitCode.CHARACTERS, http: { status: 400 } },
      });
    }
    return caller;
  };
}
