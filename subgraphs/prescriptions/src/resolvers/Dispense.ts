import type { DispenseResolvers } from '../generated/graphql';

/** A dispense; its pharmacy is joined by the loader that read it. */
export const Dispense = {
  pharmacy: (d) => {
    if (!d.pharmacy) throw new Error(`Dispense ${d.id} was read without its pharmacy`);
    return d.pharmacy;
  },
  reimbursedAmount: (d) => (d.reimbursedAmount === null ? null : Number(d.reimbursedAmount)),
} satisfies DispenseResolvers;
