import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { byKeys, groupByKeys } from '@pc/server';
import { Declaration } from '../entities/Declaration';
import { DeclarationRequest } from '../entities/DeclarationRequest';
import { readPlaces } from '../queries';
import type { DoctorPlaces } from '../services/doctorLists';

/**
 * Per-request loaders: one SQL statement per access pattern per tick, whatever the number of
 * people or doctors in the operation. A person's declarations and requests are few (a history,
 * not a feed), so each list loader fetches them all and the resolvers filter by status: any mix
 * of status arguments still costs one statement.
 */
export function createLoaders(ds: DataSource) {
  const declarations = ds.getRepository(Declaration);
  const requests = ds.getRepository(DeclarationRequest);
  return {
    declarationById: new DataLoader<string, Declaration | null>(async (ids) => byKeys(ids, await declarations.findBy({ id: In([...ids]) }), (d) => d.id)),
    requestById: new DataLoader<string, DeclarationRequest | null>(async (ids) => byKeys(ids, await requests.findBy({ id: In([...ids]) }), (r) => r.id)),
    declarationByRequestId: new DataLoader<string, Declaration | null>(async (ids) =>
      byKeys(ids, await declarations.findBy({ declarationRequestId: In([...ids]) }), (d) => d.declarationRequestId ?? ''),
    ),
    /** Newest first. */
    declarationsOfPerson: new DataLoader<string, Declaration[]>(async (personIds) =>
      groupByKeys(personIds, await declarations.find({ where: { personId: In([...personIds]) }, order: { signedAt: 'DESC', id: 'DESC' } }), (d) => d.personId),
    ),
    /** Newest first. */
    requestsOfPerson: new DataLoader<string, DeclarationRequest[]>(async (personIds) =>
      groupByKeys(personIds, await requests.find({ where: { personId: In([...personIds]) }, order: { createdAt: 'DESC', id: 'DESC' } }), (r) => r.personId),
    ),
    /**
     * Public reads of how full a list is: the stored count of declarations (one row per doctor),
     * never a count of the list (see readPlaces). Writes that check the limit count live instead.
     */
    doctorPlaces: new DataLoader<string, DoctorPlaces>(async (doctorIds) => {
      const places = await readPlaces(ds, doctorIds);
      return doctorIds.map((id) => places.get(id) ?? { declarations: 0, approvedRequests: 0 });
    }),
  };
}

/** The loaders of one request. */
export type Loaders = ReturnType<typeof createLoaders>;
