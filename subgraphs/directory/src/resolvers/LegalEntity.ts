import type { DirectoryContext } from '../context';
import type { LegalEntity as LegalEntityRow } from '../entities/LegalEntity';

/** The LegalEntity entity. References resolve legal entities in any status. */
export const LegalEntity = {
  __resolveReference: (ref: { id: string }, ctx: DirectoryContext) => ctx.directory.legalEntityReference(ref.id),
  divisions: (e: LegalEntityRow, _: unknown, ctx: DirectoryContext) => ctx.loaders.activeDivisionsOfLegalEntity.load(e.id),
};
