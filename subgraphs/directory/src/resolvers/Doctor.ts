import type { DirectoryContext } from '../context';
import type { Division } from '../entities/Division';
import type { Doctor as DoctorRow } from '../entities/Doctor';

/** Drops ids whose row vanished (or failed to load) so a list never carries a null. */
export const present = <T>(rows: (T | Error | null)[]): T[] => rows.filter((r): r is T => r !== null && !(r instanceof Error));

/** The Doctor entity. References resolve doctors in any status (history stays readable). */
export const Doctor = {
  __resolveReference: (ref: { id: string }, ctx: DirectoryContext) => ctx.directory.doctorReference(ref.id),
  fullName: (d: DoctorRow) => [d.lastName, d.firstName, d.secondName].filter(Boolean).join(' '),
  declarationLimit: (d: DoctorRow, _: unknown, ctx: DirectoryContext) => ctx.directory.declarationLimit(d),
  legalEntity: (d: DoctorRow, _: unknown, ctx: DirectoryContext) => ctx.loaders.legalEntityById.load(d.legalEntityId),
  divisions: (d: DoctorRow, { includeInactive }: { includeInactive?: boolean | null }, ctx: DirectoryContext): Promise<Division[]> =>
    (includeInactive ? ctx.loaders.allDivisionsOfDoctor : ctx.loaders.activeDivisionsOfDoctor).load(d.id),
};
