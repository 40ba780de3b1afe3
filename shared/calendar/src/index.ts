/**
 * `@pc/calendar`: calendar dates as `YYYY-MM-DD` strings — today in a time zone, age on a date,
 * day and year arithmetic, epoch-day conversions. Used by domain code (ages, document dates,
 * declaration terms) and by `@pc/fixtures` alike; pure apart from {@link todayIn}'s default clock.
 *
 * @packageDocumentation
 */

export * from './civil';
export * from './dates';
export * from './today';
