/**
 * Input validators for the identity (personal data) mutations.
 *
 * Every validator is a pure function: no I/O, no clock, no exceptions for bad user input. The
 * current date is always a `today` parameter so the same input gives the same answer in tests,
 * in replays and across time zones. Each returns a list of {@link UserError}s, empty when the
 * input is valid, so a resolver can concatenate the lists of all fields and report every
 * problem at once instead of making the patient fix them one round-trip at a time.
 *
 * Path convention (`path` argument):
 * - a validator of one scalar (`validateName`, `validateTaxId`, `validateZip`, ...) receives the
 *   full path of that scalar and reports on exactly that path;
 * - a validator of an object (`validatePhone`, `validateEmergencyContact`) receives the path of
 *   the object and reports on `[...path, fieldName]`;
 * - a validator of a list (`validatePhones`, `validateDocuments`, `validateAddresses`) receives
 *   the path of the list, reports element problems on `[...path, index, fieldName]` and
 *   whole-list problems (a missing RESIDENCE, a missing birth certificate) on `path` itself.
 *
 * Dates are `YYYY-MM-DD` strings. Once checked for shape and calendar validity they compare
 * correctly as strings, which is why no `Date` objects leak out of this module.
 *
 * Rules come from the eHealth (ЕСОЗ) person validation; see docs/domain.md, "Person".
 *
 * @packageDocumentation
 */

export type { UserError } from '@pc/errors';
export { ValidationCode } from './codes';
export * from './types';
export * from './taxId';
export * from './unzr';
export * from './names';
export * from './contacts';
export * from './documents';
export * from './addresses';
export * from './text';
