import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, getNamedType, getNullableType, getVariableValues, isListType, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { GatewayContext } from '../context';

/** Limits every operation must stay within. */
export interface OperationLimits {
  /** Deepest selection nesting; default 10 (the deepest cabinet screen is 6). */
  maxDepth?: number;
  /** Aliases per operation; default 15. */
  maxAliases?: number;
  /** Directives per operation; default 20. */
  maxDirectives?: number;
  /** Estimated cost (see {@link listAwareEstimator}); default 5,000. */
  maxCost?: number;
  /** Assumed length of a list field without a `first` argument; default 10. */
  defaultListSize?: number;
}

/** Stable error codes of the limits. */
export const LimitCode = {
  DEPTH: 'DEPTH_LIMIT_EXCEEDED',
  ALIASES: 'ALIAS_LIMIT_EXCEEDED',
  DIRECTIVES: 'DIRECTIVE_LIMIT_EXCEEDED',
  COST: 'COST_LIMIT_EXCEEDED',
  TOKENS: 'TOKEN_LIMIT_EXCEEDED',
  CHARACTERS: 'QUERY_TOO_LARGE',
} as const;

/**
 * A cost estimator that understands list sizes: a field with a `first` argument costs its
 * children times `first` (connections default to 20), any other list times `defaultListSize`.
 * So `searchDoctors(first: 100) { divisions { legalEntity } }` is priced for what it returns.
 */
export function listAwareEstimator(defaultListSize: number): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    const first = typeof args.first === 'number' ? args.first : undefined;
    const isConnection = getNamedType(field.type).name.endsWith('Connection');
    // A connection's `edges` list is already priced by the connection's `first`.
    const isList = isListType(getNullableType(field.type)) && !type.name.endsWith('Connection');
    const multiplier = first ?? (isConnection ? 20 : isList ? defaultListSize : 1);
    return 1 + childComplexity * Math.max(1, multiplier);
  };
}

/** Variable sets whose cost is remembered per document (a search screen's pages and filters). */
export const COSTS_PER_DOCUMENT = 64;
/** Longest operation name + serialised variables whose cost is remembered. */
export const COST_KEY_MAX = 1024;

function refuse(err: GraphQLError): never {
  throw new GraphQLError(err.message, { extensions: { code: err.extensions.code, http: { status: 400 } } });
}

/**
 * Depth, alias and directive limits (graphql-armor's rules, with our codes) and a list-aware
 * cost limit (graphql-query-complexity), checked once the operation is resolved and before it
 * is planned. Rule results are cached per parsed document (Apollo reuses the DocumentNode
 * for a repeated query string), and costs per document, operation name and variables (the cost
 * depends on `first`): a profile of the gateway under CabinetHome load showed the estimate's
 * walk of the whole operation (~3% of its CPU) repeated on every request for the same answer.
 * At most {@link COSTS_PER_DOCUMENT} variable sets per document are kept, and none whose
 * variables serialise to more than {@link COST_KEY_MAX} characters.
 */
export function operationLimitsPlugin(limits: OperationLimits = {}): ApolloServerPlugin<GatewayContext> {
  // graphql-armor's rules report through onReject callbacks; validation is synchronous, so the
  // rejections of one validate() call are collected in `rejected` and relabelled with our codes.
  let rejected: GraphQLError[] = [];
  const collect = (code: string) => [
    (_ctx: unknown, e: GraphQLError) => void rejected.push(new GraphQLError(e.message.replace(/^Syntax Error: /, ''), { extensions: { code } })),
  ];
  const common = { exposeLimits: true, propagateOnRejection: false };
  const rules = [
    maxDepthRule({ ...common, n: limits.maxDepth ?? 10, onReject: collect(LimitCode.DEPTH) }),
    maxAliasesRule({ ...common, n: limits.maxAliases ?? 15, onReject: collect(LimitCode.ALIASES) }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives ?? 20, onReject: collect(LimitCode.DIRECTIVES) }),
  ];
  const checked = new WeakMap<DocumentNode, GraphQLError | null>();
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  const maxCost = limits.maxCost ?? 5000;
  const estimator = listAwareEstimator(limits.defaultListSize ?? 10);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request, operationName, operation }) {
          let verdict = checked.get(document);
          if (verdict === undefined) {
            rejected = [];
            validate(schema as GraphQLSchema, document, rules);
            verdict = rejected[0] ?? null;
            checked.set(document, verdict);
          }
          if (verdict) refuse(verdict);
          let known = costs.get(document);
          if (!known) costs.set(document, (known = new Map()));
          const key = `${operationName ?? ''}\n${request.variables ? JSON.stringify(request.variables) : ''}`;
          let cost = known.get(key);
          if (cost === undefined) {
            // Variables that do not coerce are refused by operationInputPlugin (400 BAD_USER_INPUT);
            // Apollo runs every plugin's hook, so this one must not estimate with them: the estimate
            // coerces the variables with no error limit, and graphql-js prints the whole input into
            // the message of every bad field — a 28 kB input of 3,000 unknown fields held the event
            // loop for 4.7 s (the robustness run's slowest requests), quadratic in the body size.
            const definitions = operation?.variableDefinitions ?? [];
            if (definitions.length && getVariableValues(schema as GraphQLSchema, definitions, request.variables ?? {}, { maxErrors: 1 }).errors) return;
            cost = getComplexity({
              schema: schema as GraphQLSchema,
              query: document,
              operationName: operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [estimator],
            });
            if (key.length <= COST_KEY_MAX) {
              if (known.size >= COSTS_PER_DOCUMENT) known.clear();
              known.set(key, cost);
            }
          }
          if (cost > maxCost) {
            refuse(
              new GraphQLError(`Operation cost ${cost} exceeds the limit of ${maxCost}; ask for fewer items (first) or fewer nested lists`, {
                extensions: { code: LimitCode.COST },
              }),
            );
          }
        },
      };
    },
  };
}
