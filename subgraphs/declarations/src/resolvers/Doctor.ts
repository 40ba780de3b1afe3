import type { DoctorResolvers } from '../generated/graphql';

/** Doctor, extended with how full the doctor's list is (public, like the directory). */
export const Doctor = {
  __resolveReference: (ref) => ref,
  activeDeclarationCount: (d, _, ctx) => ctx.declarations.activeCount(d.id),
  acceptingNewPatients: (d, _, ctx) => ctx.declarations.accepting(d.id, d.declarationLimit),
} satisfies DoctorResolvers;
