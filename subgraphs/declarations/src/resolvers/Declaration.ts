import type { DeclarationResolvers } from '../generated/graphql';

/** Declaration: references to the owners' entities are keys only; the gateway fetches the rest. */
export const Declaration = {
  __resolveReference: (ref, ctx) => ctx.declarations.declarationById(ref.id),
  person: (d) => ({ id: d.personId }),
  doctor: (d) => ({ id: d.doctorId }),
  division: (d) => ({ id: d.divisionId }),
  declarationRequest: (d, _, ctx) => (d.declarationRequestId ? ctx.loaders.requestById.load(d.declarationRequestId) : null),
} satisfies DeclarationResolvers;
