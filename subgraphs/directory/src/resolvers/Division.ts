import type { DirectoryContext } from '../context';
import { WEEKDAYS, type PostalAddress } from '../domain/model';
import type { Division as DivisionRow } from '../entities/Division';
import { present } from './Doctor';

/** The Division entity. References resolve divisions in any status. */
export const Division = {
  __resolveReference: (ref: { id: string }, ctx: DirectoryContext) => ctx.directory.divisionReference(ref.id),
  address: (v: DivisionRow): PostalAddress => ({
    // eHealth records a division's own address as its RESIDENCE address.
    type: 'RESIDENCE',
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
  location: (v: DivisionRow) => (v.latitude === null || v.longitude === null ? null : { latitude: v.latitude, longitude: v.longitude }),
  workingHours: (v: DivisionRow) => [...v.workingHours].sort((a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day)),
  legalEntity: (v: DivisionRow, _: unknown, ctx: DirectoryContext) => ctx.loaders.legalEntityById.load(v.legalEntityId),
  doctors: async (v: DivisionRow, _: unknown, ctx: DirectoryContext) =>
    present(await ctx.loaders.doctorById.loadMany(await ctx.loaders.listedDoctorIdsOfDivision.load(v.id))),
};
