import type { PersonResolvers } from '../generated/graphql';
import { encodeHistoryCursor } from '../services/PersonService';

/**
 * The Person entity. References from other subgraphs resolve through the per-request loader;
 * the stored columns are served as they are, only the derived fields need resolvers.
 */
export const Person = {
  __resolveReference: (ref, ctx) => ctx.persons.byReference(ref.id),
  capabilities: (person, _, ctx) => ctx.persons.capabilities(person),
  representations: (person, _, ctx) => ctx.persons.representations(person),
  changeHistory: async (person, args, ctx) => {
    const { page, totalCount } = await ctx.persons.history(person, args.first, args.after);
    const edges = page.rows.map((node) => ({ cursor: encodeHistoryCursor(node.id), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      // A thunk: the count costs a statement, spent only when the client asks for it.
      totalCount,
    };
  },
} satisfies PersonResolvers;
