/**
 * Page sizes and Relay connections, shaped as every subgraph's `…Connection` and `PageInfo`
 * types (`edges { cursor node }`, `pageInfo { hasNextPage endCursor }`, `totalCount`).
 *
 * @packageDocumentation
 */
import { badUserInput } from '@pc/errors';

/** Page size limits of a list. */
export interface PageLimits {
  /** Size when `first` is absent. */
  default: number;
  /** Largest `first` accepted. */
  max: number;
}

/** The page sizes of every list of the API: 20 unless asked, at most 100. */
export const PAGE_SIZE: PageLimits = { default: 20, max: 100 };

/**
 * The validated `first` argument: `limits.default` when absent, otherwise an integer from 1 to
 * `limits.max`.
 *
 * @throws GraphQLError BAD_USER_INPUT for anything else
 */
export function pageSize(first: number | null | undefined, limits: PageLimits = PAGE_SIZE): number {
  if (first === null || first === undefined) return limits.default;
  if (!Number.isInteger(first) || first < 1 || first > limits.max) throw badUserInput(`\`first\` must be between 1 and ${limits.max}`);
  return first;
}

/** One page of a list: its nodes and whether more follow. */
export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
}

/** A page from rows read with `LIMIT first + 1`: the extra row only says that another page exists. */
export function pageOf<T>(rows: readonly T[], first: number): Page<T> {
  return { nodes: rows.slice(0, first), hasNextPage: rows.length > first };
}

/** A Relay connection without its `totalCount` (which each list adds when it can count). */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The connection of a page, each node's cursor made by `cursorOf`. */
export function connectionOf<T>(page: Page<T>, cursorOf: (node: T) => string): Connection<T> {
  const edges = page.nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
