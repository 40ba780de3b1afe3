import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { isUuid } from '@pc/graphql-kit';
import { byKeys, groupByKeys } from '@pc/server';
import { Division } from '../entities/Division';
import { Doctor } from '../entities/Doctor';
import { LegalEntity } from '../entities/LegalEntity';
import { selectDivisionsOfDoctors, selectListedDoctorsOfDivisions } from '../queries';

// Ids come from clients (`doctor(id: "…")`, filters, representations); PostgreSQL would reject
// a malformed uuid with an error for the whole batch, so such keys simply find nothing.
const wellFormed = (ids: readonly string[]): string[] => [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
const lower = (id: string): string => id.toLowerCase();

/** A by-id batch function that skips the query when no key is a well-formed id. */
function byId<T extends { id: string }>(fetch: (ids: string[]) => Promise<T[]>) {
  return async (keys: readonly string[]): Promise<(T | null)[]> => {
    const ids = wellFormed(keys);
    return byKeys(keys.map(lower), ids.length ? await fetch(ids) : [], (row) => row.id);
  };
}

/**
 * Per-request loaders: one SQL statement per access pattern per tick, whatever the number of
 * doctors on a page. A doctor's divisions come with their links in one statement (on the
 * critical path of every search page); a division's doctors load ids first and then the rows
 * through the by-id loader. Loaded rows prime the by-id loaders, so nothing is read twice.
 */
export function createLoaders(ds: DataSource) {
  const doctorById = new DataLoader<string, Doctor | null>(byId((ids) => ds.getRepository(Doctor).findBy({ id: In(ids) })));
  const divisionById = new DataLoader<string, Division | null>(byId((ids) => ds.getRepository(Division).findBy({ id: In(ids) })));
  const legalEntityById = new DataLoader<string, LegalEntity | null>(byId((ids) => ds.getRepository(LegalEntity).findBy({ id: In(ids) })));

  /** Listed doctors only (the public `doctor(id)`): joined with the listing. */
  const listedDoctorById = new DataLoader<string, Doctor | null>(
    byId(async (ids) => {
      const rows = await ds
        .getRepository(Doctor)
        .createQueryBuilder('d')
        .where('d.id IN (:...ids)', { ids })
        .andWhere('EXISTS (SELECT 1 FROM directory.doctor_listing l WHERE l.doctor_id = d.id)')
        .getMany();
      for (const d of rows) doctorById.prime(d.id, d);
      return rows;
    }),
  );

  /** ACTIVE divisions of ACTIVE legal entities only (the public `division(id)`). */
  const publicDivisionById = new DataLoader<string, Division | null>(
    byId(async (ids) => {
      const rows = await ds
        .getRepository(Division)
        .createQueryBuilder('v')
        .innerJoin(LegalEntity, 'le', "le.id = v.legal_entity_id AND le.status = 'ACTIVE'")
        .where("v.status = 'ACTIVE'")
        .andWhere('v.id IN (:...ids)', { ids })
        .getMany();
      for (const v of rows) divisionById.prime(v.id, v);
      return rows;
    }),
  );

  /** A doctor's divisions (ACTIVE only, or all), by name: links and rows in one prepared statement. */
  const divisionsOfDoctor = (includeInactive: boolean) =>
    new DataLoader<string, Division[]>(async (doctorIds) => {
      const ids = wellFormed(doctorIds);
      if (ids.length === 0) return doctorIds.map(() => []);
      const links = await selectDivisionsOfDoctors(ds, ids, includeInactive);
      for (const { division } of links) divisionById.prime(division.id, division);
      return groupByKeys(doctorIds.map(lower), links, (l) => l.doctorId).map((group) => group.map((l) => l.division));
    });

  /** Listed doctors at a division (ids; alphabetical). */
  const listedDoctorIdsOfDivision = new DataLoader<string, string[]>(async (divisionIds) => {
    const links = await selectListedDoctorsOfDivisions(ds, wellFormed(divisionIds));
    return groupByKeys(divisionIds, links, (l) => l.divisionId).map((group) => group.map((l) => l.doctorId));
  });

  /** ACTIVE divisions of a legal entity, by name. */
  const activeDivisionsOfLegalEntity = new DataLoader<string, Division[]>(async (legalEntityIds) => {
    const rows = await ds.getRepository(Division).find({
      where: { legalEntityId: In(wellFormed(legalEntityIds)), status: 'ACTIVE' },
      order: { name: 'ASC', id: 'ASC' },
    });
    for (const v of rows) divisionById.prime(v.id, v);
    return groupByKeys(legalEntityIds, rows, (v) => v.legalEntityId);
  });

  return {
    doctorById,
    divisionById,
    legalEntityById,
    listedDoctorById,
    publicDivisionById,
    activeDivisionsOfDoctor: divisionsOfDoctor(false),
    allDivisionsOfDoctor: divisionsOfDoctor(true),
    listedDoctorIdsOfDivision,
    activeDivisionsOfLegalEntity,
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
