/**
 * Validation of `searchDoctors(filter, first, after)` into a normalised {@link SearchQuery}.
 * Pure: every bad argument becomes a {@link SearchArgumentError} with a message meant for the
 * client developer, before any SQL runs.
 *
 * @packageDocumentation
 */
import { isUuid, PAGE_SIZE } from '@pc/graphql-kit';
import type { DoctorSearchFilter, QuerySearchDoctorsArgs } from '../generated/graphql';
import { CursorError, decodeCursor, filterFingerprint, type CursorKey, type SearchOrder } from './cursor';
import { SPECIALITIES, type Speciality } from './model';
import { areaKey, placeKey, searchWords } from './searchText';

/** `DoctorSearchFilter` as GraphQL delivers it (absent and null both mean "no criterion"). */
export type DoctorSearchFilterInput = DoctorSearchFilter;
/** Arguments of `searchDoctors`. */
export type SearchDoctorsArgs = QuerySearchDoctorsArgs;

/** Limits of the search; configurable, defaults in {@link DEFAULT_SEARCH_LIMITS}. */
export interface SearchLimits {
  /** Page size when `first` is absent. */
  defaultFirst: number;
  /** Largest `first` accepted. */
  maxFirst: number;
  /** Radius when `near` comes without `radiusKm`. */
  defaultRadiusKm: number;
  /** Largest `radiusKm` accepted. */
  maxRadiusKm: number;
}

/** Smallest radius accepted: one metre. */
const MIN_RADIUS_KM = 0.001;

/** A coordinate rounded to 7 decimal places of a degree, about a centimetre on the ground. */
function toCentimetres(degrees: number): number {
  return Math.round(degrees * 1e7) / 1e7;
}

/** Default search limits: pages of 20 up to 100, radius 25 km by default and 500 km at most. */
export const DEFAULT_SEARCH_LIMITS: SearchLimits = { defaultFirst: PAGE_SIZE.default, maxFirst: PAGE_SIZE.max, defaultRadiusKm: 25, maxRadiusKm: 500 };

/** Name search words: at most this many, each at most {@link MAX_TEXT_LENGTH} characters in all. */
const MAX_NAME_WORDS = 5;
/** Longest text accepted in a text criterion. */
const MAX_TEXT_LENGTH = 100;
/** Words at least this long also match with a typo (trigram similarity to a word of the name). */
export const FUZZY_MIN_LENGTH = 4;
/**
 * Trigram similarity from which a word counts as a typo of a name word. 0.45 accepts one
 * dropped, added or changed letter in a word of seven or more letters ("Шевчнко", "Коваленка")
 * and rejects names that merely share a beginning ("Шевчук" for "Шевчнко" is 0.36).
 */
export const TYPO_SIMILARITY = 0.45;

/** A validated, normalised search. */
export interface SearchQuery {
  first: number;
  order: SearchOrder;
  /** Position to continue after; null for the first page. */
  after: CursorKey | null;
  /** Identifies the filter inside cursors. */
  fingerprint: string;
  /** Normalised name words (each must match), or null. */
  nameWords: string[] | null;
  speciality: Speciality | null;
  settlementKey: string | null;
  areaKey: string | null;
  /** Centre and radius in metres, or null. */
  near: { latitude: number; longitude: number; radiusMetres: number } | null;
  acceptingNewPatients: boolean | null;
  legalEntityId: string | null;
  divisionId: string | null;
}

/** A bad argument; resolvers turn it into a BAD_USER_INPUT error with this message. */
export class SearchArgumentError extends Error {}

/** An `after` that is not a cursor of this search; resolvers answer it as every list's INVALID_CURSOR. */
export class SearchCursorError extends SearchArgumentError {}

function text(value: string | null | undefined, field: string): string | null {
  if (value == null || value.trim() === '') return null;
  if (value.length > MAX_TEXT_LENGTH) throw new SearchArgumentError(`filter.${field} must be at most ${MAX_TEXT_LENGTH} characters`);
  return value;
}

function id(value: string | null | undefined, field: string): string | null {
  if (value == null) return null;
  if (!isUuid(value)) throw new SearchArgumentError(`filter.${field} is not a valid id`);
  return value.toLowerCase();
}

/**
 * Validates and normalises the arguments of `searchDoctors`.
 *
 * @throws SearchArgumentError on any bad argument: `first` outside 0..maxFirst; `radiusKm`
 *   without `near`, not positive, or above the maximum; coordinates out of range; a name with
 *   no letters or too many words; a malformed id; a cursor that is not from this search.
 */
export function parseSearchArgs(args: SearchDoctorsArgs, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): SearchQuery {
  const f = args.filter ?? {};

  const first = args.first ?? limits.defaultFirst;
  if (!Number.isInteger(first) || first < 0) throw new SearchArgumentError('first must be a non-negative integer');
  if (first > limits.maxFirst) {
    throw new SearchArgumentError(`first must be at most ${limits.maxFirst}; page through larger results with after`);
  }

  const rawName = text(f.name, 'name');
  let nameWords: string[] | null = null;
  if (rawName !== null) {
    nameWords = [...new Set(searchWords(rawName))];
    if (nameWords.length === 0) throw new SearchArgumentError('filter.name must contain letters');
    if (nameWords.length > MAX_NAME_WORDS) throw new SearchArgumentError(`filter.name may have at most ${MAX_NAME_WORDS} words`);
  }

  if (f.speciality != null && !SPECIALITIES.includes(f.speciality)) {
    throw new SearchArgumentError(`filter.speciality must be one of ${SPECIALITIES.join(', ')}`);
  }

  const rawSettlement = text(f.settlement, 'settlement');
  const settlement = rawSettlement === null ? null : placeKey(rawSettlement);
  if (settlement === '') throw new SearchArgumentError('filter.settlement must contain letters');
  const rawArea = text(f.area, 'area');
  const area = rawArea === null ? null : areaKey(rawArea);
  if (area === '') throw new SearchArgumentError('filter.area must contain letters');

  let near: SearchQuery['near'] = null;
  if (f.radiusKm != null && f.near == null) {
    throw new SearchArgumentError('filter.radiusKm needs filter.near: a radius around what?');
  }
  if (f.near != null) {
    const { latitude, longitude } = f.near;
    if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
      throw new SearchArgumentError('filter.near.latitude must be between -90 and 90');
    }
    if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
      throw new SearchArgumentError('filter.near.longitude must be between -180 and 180');
    }
    const radiusKm = f.radiusKm ?? limits.defaultRadiusKm;
    if (!Number.isFinite(radiusKm) || radiusKm <= 0) throw new SearchArgumentError('filter.radiusKm must be positive');
    if (radiusKm > limits.maxRadiusKm) throw new SearchArgumentError(`filter.radiusKm must be at most ${limits.maxRadiusKm}`);
    if (radiusKm < MIN_RADIUS_KM) throw new SearchArgumentError(`filter.radiusKm must be at least ${MIN_RADIUS_KM} (1 metre)`);
    // Coordinates to 7 decimals (~1 cm): finer is meaningless, and PostgreSQL's trigonometry
    // underflows on subnormal floats such as 5e-324 (ll_to_earth: "value out of range").
    near = { latitude: toCentimetres(latitude), longitude: toCentimetres(longitude), radiusMetres: radiusKm * 1000 };
  }

  const normalised = {
    nameWords,
    speciality: f.speciality ?? null,
    settlementKey: settlement,
    areaKey: area,
    near,
    acceptingNewPatients: f.acceptingNewPatients ?? null,
    legalEntityId: id(f.legalEntityId, 'legalEntityId'),
    divisionId: id(f.divisionId, 'divisionId'),
  };
  const order: SearchOrder = near ? 'distance' : nameWords ? 'relevance' : 'alphabetical';
  const fingerprint = filterFingerprint(normalised);

  let after: CursorKey | null = null;
  if (args.after != null) {
    try {
      after = decodeCursor(args.after, fingerprint, order);
    } catch (err) {
      if (err instanceof CursorError) throw new SearchCursorError(err.message);
      throw err;
    }
  }
  return { first, order, after, fingerprint, ...normalised };
}
