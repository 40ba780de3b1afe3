import type { DoctorResolvers } from '../generated/graphql';

/** Drops ids whose row vanished (or failed to load) so a list never carries a null. */
export const present = <T>(rows: (T | Error | null)[]): T[] => rows.filter((r): r is T => r !== null && !(r instanceof Error));

/** A row a foreign key guarantees (a doctor's or division's legal entity): its absence is a broken database. */
export async function required<T>(row: Promise<T | null>, what: string): Promise<T> {
  const value = await row;
  if (value === null) throw new Error(`${what} is missing`);
  return value;
}

/** The Doctor entity. References resolve doctors in any status (history stays readable). */
export const Doctor = {
  __resolveReference: (ref, ctx) => ctx.directory.doctorReference(ref.id),
  fullName: (d) => [d.lastName, d.firstName, d.secondName].filter(Boolean).join(' '),
  declarationLimit: (d, _, ctx) => ctx.directory.declarationLimit(d),
  legalEntity: (d, _, ctx) => required(ctx.loaders.legalEntityById.load(d.legalEntityId), `Legal entity ${d.legalEntityId} of doctor ${d.id}`),
  divisions: (d, { includeInactive }, ctx) => (includeInactive ? ctx.loaders.allDivisionsOfDoctor : ctx.loaders.activeDivisionsOfDoctor).load(d.id),
} satisfies DoctorResolvers;
