import type { PersonResolvers } from '../generated/graphql';

/** Prescription fields of Person; who may read them is decided in PrescriptionService. */
export const Person = {
  __resolveReference: (ref) => ({ id: ref.id }),
  prescriptions: (p, args, ctx) => ctx.prescriptions.page(p.id, args.status, args.first, args.after),
  prescription: (p, args, ctx) => ctx.prescriptions.ofPerson(p.id, args.id),
} satisfies PersonResolvers;
