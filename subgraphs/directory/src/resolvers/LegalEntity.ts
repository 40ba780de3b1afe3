import type { LegalEntityResolvers } from '../generated/graphql';

/** The LegalEntity entity. References resolve legal entities in any status. */
export const LegalEntity = {
  __resolveReference: (ref, ctx) => ctx.directory.legalEntityReference(ref.id),
  divisions: (e, _, ctx) => ctx.loaders.activeDivisionsOfLegalEntity.load(e.id),
} satisfies LegalEntityResolvers;
