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
  // Every zone's offset is a whole number of minutes, so a date only changes on a minute
  // boundary: within the minute last asked, the date last formatted is still the date. (The
  // formatting itself was 0.7% of identity's CPU under load even with the formatter kept.)
  const minute = Math.floor(now.getTime() / 60_000);
  const last = lastDates.get(timeZone);
  if (last && last.minute === minute) return last.date;
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  const date = format.format(now);
  if (Number.isFinite(minute)) lastDates.set(timeZone, { minute, date });
  return date;
}

/** Per time zone, the minute last formatted and its date. */
const lastDates = new Map<string, { minute: number; date: string }>();
