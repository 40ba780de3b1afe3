import type { MutationResolvers } from '../generated/graphql';

/** Internal writes from other domains (hidden from the public API). */
export const Mutation = {
  recordDeclarationCounts: async (_, { input }, ctx) => ({ recorded: await ctx.declarationCounts.record(input.counts) }),
} satisfies MutationResolvers;
