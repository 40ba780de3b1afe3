import type { DeclarationsContext } from '../context';

/** The reference the gateway sends: the key, plus declarationLimit from the directory for acceptingNewPatients (@requires). */
type DoctorRef = { id: string; declarationLimit?: number | null };

/** Doctor, extended with how full the doctor's list is (public, like the directory). */
export const Doctor = {
  __resolveReference: (ref: DoctorRef) => ref,
  activeDeclarationCount: (d: DoctorRef, _: unknown, ctx: DeclarationsContext) => ctx.declarations.activeCount(d.id),
  acceptingNewPatients: (d: DoctorRef, _: unknown, ctx: DeclarationsContext) => ctx.declarations.accepting(d.id, d.declarationLimit),
};
