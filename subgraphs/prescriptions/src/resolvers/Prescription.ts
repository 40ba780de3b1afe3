import type { PrescriptionsContext } from '../context';
import type { PrescriptionResolvers } from '../generated/graphql';
import { maySeeCode } from '../services/authorize';

/** Prescription: the owners' entities are keys only (the gateway fetches the rest); the code only for the person. */
export const Prescription = {
  __resolveReference: (ref, ctx) => ctx.prescriptions.byId(ref.id),
  medication: (p, _, ctx) => p.medication ?? medicationOf(p.id, ctx),
  program: (p) => p.program ?? null,
  verificationCode: (p, _, ctx) => (maySeeCode(ctx.caller, p) ? p.verificationCode : null),
  prescriber: (p) => ({ __typename: 'Doctor', id: p.prescriberId }),
  division: (p) => ({ __typename: 'Division', id: p.divisionId }),
  legalEntity: (p) => ({ __typename: 'LegalEntity', id: p.legalEntityId }),
  dispenses: (p, _, ctx) => ctx.loaders.dispensesOf.load(p.id),
} satisfies PrescriptionResolvers;

/** Every path that hands out a prescription joins its medication; a row without it is a bug. */
async function medicationOf(id: string, ctx: PrescriptionsContext) {
  const p = await ctx.loaders.prescriptionById.load(id);
  if (!p?.medication) throw new Error(`Prescription ${id} has no medication`);
  return p.medication;
}
