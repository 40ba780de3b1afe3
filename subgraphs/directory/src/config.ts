import { num, parseConfig, port } from '@pc/config';
import { subgraphSpec, type SubgraphProcessConfig } from '@pc/server';
import { DEFAULT_SEARCH_LIMITS, type SearchLimits } from './domain/searchArgs';
import type { Speciality } from './domain/model';

/** The directory's own settings (domain.md marks the declaration limits as configurable). */
export const directorySpec = {
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
};

/** Parsed environment of the directory process. */
export type DirectoryConfig = SubgraphProcessConfig & {
  DECLARATION_LIMIT_FAMILY_DOCTOR: number;
  DECLARATION_LIMIT_THERAPIST: number;
  DECLARATION_LIMIT_PEDIATRICIAN: number;
  SEARCH_DEFAULT_RADIUS_KM: number;
  SEARCH_MAX_RADIUS_KM: number;
};

/** Parses the directory subgraph's environment once at start. */
export const loadConfig = (): DirectoryConfig =>
  parseConfig({ ...subgraphSpec, PORT: port({ default: 4003 }), ...directorySpec }) as unknown as DirectoryConfig;

/** What the services need from the configuration. */
export interface DirectorySettings {
  declarationLimits: Record<Speciality, number>;
  search: SearchLimits;
}

/**
 * The settings from a parsed config; keys a caller left out (the test harness passes only
 * the common ones) take the documented defaults.
 */
export function directorySettings(config: Partial<DirectoryConfig> = {}): DirectorySettings {
  return {
    declarationLimits: {
      FAMILY_DOCTOR: config.DECLARATION_LIMIT_FAMILY_DOCTOR ?? 1800,
      THERAPIST: config.DECLARATION_LIMIT_THERAPIST ?? 2000,
      PEDIATRICIAN: config.DECLARATION_LIMIT_PEDIATRICIAN ?? 900,
    },
    search: {
      ...DEFAULT_SEARCH_LIMITS,
      defaultRadiusKm: config.SEARCH_DEFAULT_RADIUS_KM ?? DEFAULT_SEARCH_LIMITS.defaultRadiusKm,
      maxRadiusKm: config.SEARCH_MAX_RADIUS_KM ?? DEFAULT_SEARCH_LIMITS.maxRadiusKm,
    },
  };
}
