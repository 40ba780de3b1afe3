import type { DirectoryContext } from '../context';
import type { DeclarationCount } from '../services/ProviderStore';

/** Internal writes from other domains (hidden from the public API). */
export const Mutation = {
  recordDeclarationCounts: async (_: unknown, { input }: { input: { counts: DeclarationCount[] } }, ctx: DirectoryContext) => ({
    recorded: await ctx.declarationCounts.record(input.counts),
  }),
};
