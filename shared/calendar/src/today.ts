/**
 * "Today" as a calendar date in a time zone: the one place that turns an instant into the
 * `YYYY-MM-DD` every age and document rule is counted on.
 *
 * @packageDocumentation
 */

/** The time zone of the cabinet's calendar (ages and document dates are counted in Kyiv time). */
export const KYIV = 'Europe/Kyiv';

/** One formatter per time zone: building one costs ~10% of identity's CPU per request. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date of `now` in `timeZone`, `YYYY-MM-DD`. At 23:30 UTC on the eve of a birthday
 * it is already the birthday in Kyiv.
 *
 * @param timeZone - IANA zone name (default {@link KYIV})
 * @param now - the instant; defaults to the current time
 * @throws RangeError for an unknown time zone
 */
export function todayIn(timeZone: string = KYIV, now: Date = new Date()): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(now);
}
