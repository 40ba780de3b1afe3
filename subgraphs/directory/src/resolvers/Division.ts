import { WEEKDAYS } from '../domain/model';
import type { DivisionResolvers } from '../generated/graphql';
import { present, required } from './Doctor';

/** The Division entity. References resolve divisions in any status. */
export const Division = {
  __resolveReference: (ref, ctx) => ctx.directory.divisionReference(ref.id),
  address: (v) => ({
    // eHealth records a division's own address as its RESIDENCE address.
    type: 'RESIDENCE' as const,
    country: v.country,
    area: v.area,
    region: v.region,
    settlement: v.settlement,
    settlementType: v.settlementType,
    streetType: v.streetType,
    street: v.street,
    building: v.building,
    apartment: null,
    zip: v.zip,
  }),
  location: (v) => (v.latitude === null || v.longitude === null ? null : { latitude: v.latitude, longitude: v.longitude }),
  workingHours: (v) => [...v.workingHours].sort((a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day)),
  legalEntity: (v, _, ctx) => required(ctx.loaders.legalEntityById.load(v.legalEntityId), `Legal entity ${v.legalEntityId} of division ${v.id}`),
  doctors: async (v, _, ctx) => present(await ctx.loaders.doctorById.loadMany(await ctx.loaders.listedDoctorIdsOfDivision.load(v.id))),
} satisfies DivisionResolvers;
