import type { DataSource } from 'typeorm';
import { badUserInput } from '@pc/errors';
import { connectionOf, invalidCursor, type Connection } from '@pc/graphql-kit';
import { encodeCursor } from '../domain/cursor';
import { parseSearchArgs, SearchArgumentError, SearchCursorError, type SearchDoctorsArgs } from '../domain/searchArgs';
import type { Division } from '../entities/Division';
import type { Doctor } from '../entities/Doctor';
import type { LegalEntity } from '../entities/LegalEntity';
import type { Loaders } from '../loaders/createLoaders';
import type { DirectorySettings } from '../config';
import { DoctorSearch } from './DoctorSearch';

/** A page of `searchDoctors`, shaped as the `DoctorConnection` type. */
export interface DoctorConnection extends Connection<Doctor> {
  /** Resolved only when the client selects it: counting is a statement of its own. */
  totalCount: () => Promise<number>;
}

/**
 * Reads of the public directory and who sees what. Everything here is public (no token needed):
 * the public entry points show only listed doctors, ACTIVE divisions and ACTIVE legal entities,
 * while references from other subgraphs (a past declaration's doctor) resolve any record, since
 * history must stay readable after a doctor is dismissed.
 */
export class DirectoryService {
  private readonly search: DoctorSearch;

  constructor(
    ds: DataSource,
    private readonly loaders: Loaders,
    private readonly settings: DirectorySettings,
  ) {
    this.search = new DoctorSearch(ds);
  }

  /** `Query.doctor`: a listed doctor, else null. */
  doctor(id: string): Promise<Doctor | null> {
    return this.loaders.listedDoctorById.load(id);
  }

  /** `Query.division`: an ACTIVE division of an ACTIVE legal entity, else null. */
  division(id: string): Promise<Division | null> {
    return this.loaders.publicDivisionById.load(id);
  }

  /** `Query.legalEntity`: an ACTIVE legal entity, else null. */
  async legalEntity(id: string): Promise<LegalEntity | null> {
    const entity = await this.loaders.legalEntityById.load(id);
    return entity?.status === 'ACTIVE' ? entity : null;
  }

  /** A doctor referenced from another subgraph, in any status. */
  doctorReference(id: string): Promise<Doctor | null> {
    return this.loaders.doctorById.load(id);
  }

  /** A division referenced from another subgraph, in any status. */
  divisionReference(id: string): Promise<Division | null> {
    return this.loaders.divisionById.load(id);
  }

  /** A legal entity referenced from another subgraph, in any status. */
  legalEntityReference(id: string): Promise<LegalEntity | null> {
    return this.loaders.legalEntityById.load(id);
  }

  /** The configured declaration limit of a doctor's main speciality. */
  declarationLimit(doctor: Doctor): number {
    return this.settings.declarationLimits[doctor.speciality];
  }

  /**
   * `Query.searchDoctors`: validates the arguments (BAD_USER_INPUT with a clear message) and runs
   * the page query, which returns the page's doctor rows too. When the client asks for
   * `totalCount` and the page query will not count (alphabetical order, or a later page), the
   * count runs at the same time as the page, on another connection, instead of after it.
   */
  async searchDoctors(args: SearchDoctorsArgs, wantsTotal = false): Promise<DoctorConnection> {
    let query;
    try {
      query = parseSearchArgs(args, this.settings.search);
    } catch (err) {
      if (err instanceof SearchCursorError) throw invalidCursor(err.message);
      if (err instanceof SearchArgumentError) throw badUserInput(err.message);
      throw err;
    }
    const early = wantsTotal && !this.search.countsInPage(query) ? this.search.count(query) : null;
    // Observed now so that a page failure does not leave the count's rejection unhandled.
    early?.catch(() => undefined);
    const page = await this.search.page(query);
    // Later references to these doctors in the same request (nested fields) hit the loader's cache.
    for (const hit of page.hits) this.loaders.doctorById.prime(hit.id, hit.doctor);
    const { edges, pageInfo } = connectionOf({ nodes: page.hits, hasNextPage: page.hasNextPage }, (hit) => encodeCursor(hit.key, query.fingerprint));
    return {
      edges: edges.map(({ cursor, node }) => ({ cursor, node: node.doctor })),
      pageInfo,
      totalCount: async () => page.total ?? (await (early ?? this.search.count(query))),
    };
  }
}
