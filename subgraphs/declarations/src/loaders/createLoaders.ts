import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { byKeys, groupByKeys } from '@pc/server';
import { hotEntities } from '@pc/db';
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
    // Entity resolution and the cabinet's lists are hot reads ({@link hotEntities}: one prepared
    // statement each, entities shaped as TypeORM's; its query building was 18% of this subgraph's
    // busy CPU in a national CabinetHome profile, docs/performance.md).
    declarationById: new DataLoader<string, Declaration | null>(async (ids) =>
      byKeys(ids, await hotEntities(ds, Declaration, 'd', 'WHERE d.id = ANY($1::uuid[])', [[...ids]]), (d) => d.id),
    ),
    requestById: new DataLoader<string, DeclarationRequest | null>(async (ids) => byKeys(ids, await requests.findBy({ id: In([...ids]) }), (r) => r.id)),
    declarationByRequestId: new DataLoader<string, Declaration | null>(async (ids) =>
      byKeys(ids, await declarations.findBy({ declarationRequestId: In([...ids]) }), (d) => d.declarationRequestId ?? ''),
    ),
    /** Newest first. */
    declarationsOfPerson: new DataLoader<string, Declaration[]>(async (personIds) =>
      groupByKeys(
        personIds,
        await hotEntities(ds, Declaration, 'd', 'WHERE d.person_id = ANY($1::text[]) ORDER BY d.signed_at DESC, d.id DESC', [[...personIds]]),
        (d) => d.personId,
      ),
    ),
    /** Newest first. */
    requestsOfPerson: new DataLoader<string, DeclarationRequest[]>(async (personIds) =>
      groupByKeys(
        personIds,
        await hotEntities(ds, DeclarationRequest, 'r', 'WHERE r.person_id = ANY($1::text[]) ORDER BY r.created_at DESC, r.id DESC', [[...personIds]]),
        (r) => r.personId,
      ),
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
