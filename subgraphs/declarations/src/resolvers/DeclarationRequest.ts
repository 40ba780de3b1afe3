import type { DeclarationRequestResolvers } from '../generated/graphql';

/** DeclarationRequest: owners' entities as keys; the signed declaration through a loader. */
export const DeclarationRequest = {
  __resolveReference: (ref, ctx) => ctx.declarations.requestById(ref.id),
  person: (r) => ({ id: r.personId }),
  doctor: (r) => ({ id: r.doctorId }),
  division: (r) => ({ id: r.divisionId }),
  declaration: (r, _, ctx) => (r.status === 'SIGNED' ? ctx.declarations.ofRequest(r.id) : null),
} satisfies DeclarationRequestResolvers;
