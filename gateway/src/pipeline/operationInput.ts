import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, getVariableValues, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context';

/** A refused request: HTTP 400 `BAD_USER_INPUT` with graphql-js's own message. */
function badUserInput(message: string, nodes?: GraphQLError['nodes']): GraphQLError {
  return new GraphQLError(message, { nodes, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/** graphql-js's wording for a document with no operation to run (as `execute` reports it). */
function operationResolutionMessage(document: DocumentNode, operationName: string | null | undefined): string {
  if (operationName) return `Unknown operation named "${operationName}".`;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  return operations > 1 ? 'Must provide operation name if query contains multiple operations.' : 'Must provide an operation.';
}

/**
 * Checks what the client sends alongside a valid document before anything is planned:
 *
 * - the operation to run exists (an unknown `operationName`, several operations without one);
 * - the variables coerce to their declared types with graphql-js `getVariableValues` over the
 *   API schema — unknown enum values, `first: "abc"`, `1.5`, `2147483648`, a missing required
 *   variable, `null` for a non-null one, an impossible `Date` (the API schema parses the shared
 *   custom scalars, see `useSharedScalars`).
 *
 * Apollo Server does not coerce variables itself when it serves a gateway; without this the
 * operation limits' cost estimate or @apollo/gateway's operation lookup fails first, with an error
 * that becomes HTTP 500 INTERNAL_SERVER_ERROR. Here each is HTTP 400 `BAD_USER_INPUT` with the
 * message graphql-js gives (the first problem found). It must come before other plugins'
 * `didResolveOperation`: the first hook to fail decides the response.
 */
export function operationInputPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        // Throws before its first await, so its promise is already rejected when Apollo collects the hooks.
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) throw badUserInput(operationResolutionMessage(document, request.operationName));
          const definitions = operation.variableDefinitions ?? [];
          if (definitions.length === 0) return;
          const { errors } = getVariableValues(schema as GraphQLSchema, definitions, request.variables ?? {}, { maxErrors: 1 });
          if (errors?.length) throw badUserInput(errors[0].message, errors[0].nodes);
        },
      };
    },
  };
}
