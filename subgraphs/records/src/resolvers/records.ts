import type { ConditionResolvers, DiagnosticReportResolvers, EncounterResolvers, ObservationResolvers } from '../generated/graphql';

/** A visit: the owners' entities are keys only (the gateway fetches the rest); its conditions by one loader statement per page. */
export const Encounter = {
  __resolveReference: (ref, ctx) => ctx.reads.encounter(ref.id),
  doctor: (e) => ({ __typename: 'Doctor', id: e.doctorId }),
  division: (e) => (e.divisionId ? { __typename: 'Division', id: e.divisionId } : null),
  conditions: (e, _, ctx) => ctx.loaders.conditionsOfEncounter.load(e.id),
} satisfies EncounterResolvers;

/** A diagnosis. */
export const Condition = {
  __resolveReference: (ref, ctx) => ctx.reads.condition(ref.id),
  code: (c) => ({ system: c.system, code: c.code, display: c.display }),
  recordedBy: (c) => ({ __typename: 'Doctor', id: c.recordedBy }),
  encounter: (c, _, ctx) => (c.encounterId ? ctx.loaders.encounterById.load(c.encounterId) : null),
} satisfies ConditionResolvers;

/** A report, read with its observations. */
export const DiagnosticReport = {
  __resolveReference: (ref, ctx) => ctx.reads.report(ref.id),
  code: (r) => ({ system: 'SERVICE', code: r.serviceCode, display: r.serviceDisplay }),
  performer: (r) => (r.performerId ? { __typename: 'LegalEntity', id: r.performerId } : null),
  doctor: (r) => ({ __typename: 'Doctor', id: r.doctorId }),
  observations: (r) => {
    if (!r.observations) throw new Error(`DiagnosticReport ${r.id} was read without its observations`);
    return r.observations;
  },
} satisfies DiagnosticReportResolvers;

/** One result; the reference range as the catalogue had it when recorded. */
export const Observation = {
  code: (o) => ({ system: o.system, code: o.code, display: o.display }),
  referenceRange: (o) => (o.low === null && o.high === null && o.text === null ? null : { low: o.low, high: o.high, text: o.text }),
} satisfies ObservationResolvers;
