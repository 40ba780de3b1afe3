import { grantStatus } from '../domain/grants';
import type { AccessGrantResolvers } from '../generated/graphql';

/** A grant; its status is computed at read time, so expiry needs no background job. */
export const AccessGrant = {
  __resolveReference: (ref, ctx) => ctx.grants.byReference(ref.id),
  cabinet: async (g, _, ctx) => {
    const cabinet = await ctx.loaders.cabinetById.load(g.cabinetId);
    // A foreign key holds the cabinet: its absence is a broken database, not a user error.
    if (!cabinet) throw new Error(`Cabinet ${g.cabinetId} of grant ${g.id} is missing`);
    return cabinet;
  },
  status: (g) => grantStatus(g, new Date()),
} satisfies AccessGrantResolvers;
