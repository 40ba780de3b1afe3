import { num, str } from '@pc/config';
import { subgraphSettings, type SubgraphConfig } from '@pc/server';
import { DEFAULT_SEARCH_LIMITS, type SearchLimits } from './domain/searchArgs';
import type { Speciality } from './domain/model';

/** The directory's settings, declared once (docs/domain.md marks the declaration limits as configurable). */
export const directorySpec = subgraphSettings(4003, {
  /** Most declarations a family doctor may hold. */
  DECLARATION_LIMIT_FAMILY_DOCTOR: num({ default: 1800 }),
  /** Most declarations a therapist may hold. */
  DECLARATION_LIMIT_THERAPIST: num({ default: 2000 }),
  /** Most declarations a pediatrician may hold. */
  DECLARATION_LIMIT_PEDIATRICIAN: num({ default: 900 }),
  /** Radius of a distance search that names no radius. */
  SEARCH_DEFAULT_RADIUS_KM: num({ default: DEFAULT_SEARCH_LIMITS.defaultRadiusKm }),
  /** Largest radius a distance search may ask for. */
  SEARCH_MAX_RADIUS_KM: num({ default: DEFAULT_SEARCH_LIMITS.maxRadiusKm }),
  /** A streaming replica for the public reads (search, doctors, divisions, legal entities), which tolerate a little lag; empty: the primary. */
  DATABASE_REPLICA_URL: str({ default: '' }),
});

/** Parsed settings of the directory. */
export type DirectoryConfig = SubgraphConfig<typeof directorySpec>;

/** What the services need from the configuration. */
export interface DirectorySettings {
  declarationLimits: Record<Speciality, number>;
  search: SearchLimits;
}

/** The services' settings from the parsed ones. */
export function directorySettings(config: DirectoryConfig): DirectorySettings {
  return {
    declarationLimits: {
      FAMILY_DOCTOR: config.DECLARATION_LIMIT_FAMILY_DOCTOR,
      THERAPIST: config.DECLARATION_LIMIT_THERAPIST,
      PEDIATRICIAN: config.DECLARATION_LIMIT_PEDIATRICIAN,
    },
    search: { ...DEFAULT_SEARCH_LIMITS, defaultRadiusKm: config.SEARCH_DEFAULT_RADIUS_KM, maxRadiusKm: config.SEARCH_MAX_RADIUS_KM },
  };
}
