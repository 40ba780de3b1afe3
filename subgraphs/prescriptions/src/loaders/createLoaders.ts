import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { byKeys, groupByKeys } from '@pc/server';
import { Dispense } from '../entities/Dispense';
import { Prescription } from '../entities/Prescription';

/**
 * Per-request loaders: one SQL statement per access pattern per tick, whatever the number of
 * prescriptions in the operation (a page of 20 with its dispenses and their pharmacies costs the
 * page, its count and one statement for all dispenses).
 */
export function createLoaders(ds: DataSource) {
  const prescriptions = ds.getRepository(Prescription);
  const dispenses = ds.getRepository(Dispense);
  return {
    /** With medication and program. */
    prescriptionById: new DataLoader<string, Prescription | null>(async (ids) =>
      byKeys(ids, await prescriptions.find({ where: { id: In([...ids]) }, relations: { medication: true, program: true } }), (p) => p.id),
    ),
    /** Oldest first, each with its pharmacy. */
    dispensesOf: new DataLoader<string, Dispense[]>(async (ids) =>
      groupByKeys(
        ids,
        await dispenses.find({ where: { prescriptionId: In([...ids]) }, relations: { pharmacy: true }, order: { dispensedAt: 'ASC', id: 'ASC' } }),
        (d) => d.prescriptionId,
      ),
    ),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
