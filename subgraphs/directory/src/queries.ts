/**
 * The directory loaders' raw SQL (docs/architecture.md, "Data access"): the hot read of doctors'
 * divisions on prepared statements, and the listed doctors of divisions, with their typed rows.
 * Doctor search keeps its SQL builder in services/DoctorSearch.ts and the listing's maintenance
 * in services/ListingRefresher.ts; reads of one doctor, division or legal entity go through the
 * entities.
 *
 * @packageDocumentation
 */
import type { DataSource } from 'typeorm';
import { hotQuery } from '@pc/db';
import { Division } from './entities/Division';

/** The division columns as `c<i>` and the mapper of such a row to a `Division` entity. */
interface DivisionRowShape {
  select: string;
  idAlias: string;
  toDivision: (row: Record<string, unknown>) => Division;
}

// Built once per data source from TypeORM's metadata (it was built again for every request).
const divisionShapes = new WeakMap<DataSource, DivisionRowShape>();

function divisionShape(ds: DataSource): DivisionRowShape {
  let shape = divisionShapes.get(ds);
  if (!shape) {
    const columns = ds.getMetadata(Division).columns.map((c) => [c.databaseName, c.propertyName] as const);
    shape = {
      select: columns.map(([column], i) => `v."${column}" AS c${i}`).join(', '),
      idAlias: `c${columns.findIndex(([, property]) => property === 'id')}`,
      toDivision: (row) => Object.assign(new Division(), Object.fromEntries(columns.map(([, property], i) => [property, row[`c${i}`]]))),
    };
    divisionShapes.set(ds, shape);
  }
  return shape;
}

/** A division of a doctor. */
export interface DoctorDivisionRow {
  doctorId: string;
  division: Division;
}

/**
 * The divisions of `doctorIds` (ACTIVE only, or all), by name, with their links in one prepared
 * statement ({@link hotQuery}): on the critical path of every search page. One entity per
 * division however many doctors share it.
 */
export async function selectDivisionsOfDoctors(ds: DataSource, doctorIds: readonly string[], includeInactive: boolean): Promise<DoctorDivisionRow[]> {
  const shape = divisionShape(ds);
  const rows = await hotQuery<Record<string, unknown>>(
    ds,
    `SELECT ${shape.select}, dd.doctor_id AS link_doctor_id
     FROM directory.doctor_division dd JOIN directory.division v ON v.id = dd.division_id
     WHERE dd.doctor_id = ANY ($1::uuid[])${includeInactive ? '' : " AND v.status = 'ACTIVE'"}
     ORDER BY v.name, v.id`,
    [doctorIds],
  );
  const byId = new Map<string, Division>();
  return rows.map((r) => {
    const id = String(r[shape.idAlias]);
    let division = byId.get(id);
    if (!division) byId.set(id, (division = shape.toDivision(r)));
    return { doctorId: String(r.link_doctor_id), division };
  });
}

/** A listed doctor at a division. */
export interface DivisionDoctorRow {
  divisionId: string;
  doctorId: string;
}

/** The listed doctors at `divisionIds`, alphabetical. */
export async function selectListedDoctorsOfDivisions(ds: DataSource, divisionIds: readonly string[]): Promise<DivisionDoctorRow[]> {
  const rows: { doctor_id: string; division_id: string }[] = await ds.query(
    `SELECT pl.doctor_id, pl.division_id FROM directory.doctor_listing_place pl
     JOIN directory.doctor_listing l ON l.doctor_id = pl.doctor_id
     WHERE pl.division_id = ANY($1::uuid[]) ORDER BY l.sort_key, l.doctor_id`,
    [divisionIds],
  );
  return rows.map((r) => ({ divisionId: r.division_id, doctorId: r.doctor_id }));
}
