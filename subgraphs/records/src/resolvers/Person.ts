import type { PersonResolvers } from '../generated/graphql';

/** Medical-record fields of Person; who may read them is decided in RecordReads. */
export const Person = {
  __resolveReference: (ref) => ({ id: ref.id }),
  encounters: (p, a, ctx) => ctx.reads.encounters(p.id, a.first, a.after),
  conditions: (p, a, ctx) => ctx.reads.conditions(p.id, a.clinicalStatus, a.first, a.after),
  diagnosticReports: (p, a, ctx) => ctx.reads.reports(p.id, a.category, a.first, a.after),
  diagnosticReport: (p, a, ctx) => ctx.reads.reportOf(p.id, a.id),
} satisfies PersonResolvers;
