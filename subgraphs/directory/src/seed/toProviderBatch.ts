import type { DivisionInput, DoctorInput, LegalEntityInput, ProviderBatch } from '../services/ProviderStore';
import type { GeneratedDivision, GeneratedDoctor, GeneratedLegalEntity } from './generateProviders';

/** A generated legal entity as a row to write; its address is its registered seat. */
export function toLegalEntityInput(e: GeneratedLegalEntity): LegalEntityInput {
  return {
    id: e.id,
    name: e.name,
    shortName: e.shortName,
    publicName: e.shortName,
    edrpou: e.edrpou,
    type: e.type,
    status: e.status,
    ownerPropertyType: e.ownerPropertyType,
    address: { type: 'REGISTRATION', ...e.address },
    phones: e.phones,
    email: e.email,
    website: e.website,
  };
}

/** A generated division as a row to write (a division has no apartment). */
export function toDivisionInput(v: GeneratedDivision): DivisionInput {
  const a = v.address;
  return {
    id: v.id,
    legalEntityId: v.legalEntityId,
    name: v.name,
    type: v.type,
    status: v.status,
    country: a.country,
    area: a.area,
    region: a.region,
    settlement: a.settlement,
    settlementType: a.settlementType,
    streetType: a.streetType,
    street: a.street,
    building: a.building,
    zip: a.zip,
    latitude: v.location.latitude,
    longitude: v.location.longitude,
    workingHours: v.workingHours,
    phones: v.phones,
    email: null,
  };
}

/**
 * A generated doctor as a row to write. The generator draws one speciality, so it is the main
 * and only entry of `specialities`; its `declarationLimit` is ignored because the limit is
 * configuration of this subgraph, not data.
 */
export function toDoctorInput(d: GeneratedDoctor): DoctorInput {
  return {
    id: d.id,
    legalEntityId: d.legalEntityId,
    divisionIds: d.divisionIds,
    firstName: d.firstName,
    lastName: d.lastName,
    secondName: d.secondName,
    gender: d.gender,
    speciality: d.speciality,
    specialityLevel: d.specialityLevel,
    specialities: [{ speciality: d.speciality, level: d.specialityLevel, main: true, attestationYear: null }],
    position: d.position,
    about: d.about,
    experienceYears: d.experienceYears,
    education: d.education.map((e) => ({
      institution: e.institution,
      city: null,
      degree: e.degree,
      speciality: e.speciality,
      graduationYear: Number(e.graduatedAt.slice(0, 4)),
    })),
    qualifications: [],
    status: d.status,
  };
}

/** Generated providers as one batch to write. */
export function toProviderBatch(p: { legalEntities: GeneratedLegalEntity[]; divisions: GeneratedDivision[]; doctors: GeneratedDoctor[] }): ProviderBatch {
  return {
    legalEntities: p.legalEntities.map(toLegalEntityInput),
    divisions: p.divisions.map(toDivisionInput),
    doctors: p.doctors.map(toDoctorInput),
  };
}
