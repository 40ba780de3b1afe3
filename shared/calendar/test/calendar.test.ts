import fc from 'fast-check';
import { addDays, addYears, ageOn, fromEpochDay, isIsoDate, maxDate, minDate, toEpochDay, todayIn } from '../src';

describe('dates', () => {
  it('round-trips epoch days against the platform Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -80_000, max: 80_000 }), (day) => {
        const iso = fromEpochDay(day);
        expect(iso).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
        expect(toEpochDay(iso)).toBe(day);
      }),
    );
  });

  it('knows leap days and refuses what is not a YYYY-MM-DD calendar date', () => {
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    expect(isIsoDate(undefined)).toBe(false);
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(maxDate('2024-01-02', '2023-12-31')).toBe('2024-01-02');
    expect(minDate('2024-01-02', '2023-12-31')).toBe('2023-12-31');
    expect(() => toEpochDay('2024-1-1')).toThrow(RangeError);
  });
});

describe('ageOn', () => {
  it('counts completed years: a year older on the birthday, not the day before', () => {
    fc.assert(
      fc.property(fc.integer({ min: -40_000, max: 40_000 }), fc.integer({ min: 0, max: 110 }), (day, years) => {
        const birth = fromEpochDay(day);
        // A 29 February birth is a year older on 1 March of a common year, while addYears clamps
        // to 28 February: that case has its own test below.
        fc.pre(!birth.endsWith('-02-29'));
        const birthday = addYears(birth, years);
        expect(ageOn(birth, birthday)).toBe(years);
        expect(ageOn(birth, addDays(birthday, -1))).toBe(years - 1);
      }),
    );
  });

  it('makes a 29 February birth a year older on 1 March of a common year', () => {
    expect(ageOn('2008-02-29', '2022-02-28')).toBe(13);
    expect(ageOn('2008-02-29', '2022-03-01')).toBe(14);
    expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
    expect(ageOn('2010-06-15', '2024-06-14')).toBe(13);
    expect(ageOn('2010-06-15', '2024-06-15')).toBe(14);
  });

  it('refuses malformed dates', () => {
    expect(() => ageOn('2008-02-30', '2025-06-15')).toThrow(RangeError);
    expect(() => ageOn('2008-01-01', '15.06.2025')).toThrow(RangeError);
  });
});

describe('todayIn', () => {
  it('is the calendar date in the zone: Kyiv is already on the next day at 22:30 UTC', () => {
    expect(todayIn('Europe/Kyiv', new Date('2026-03-14T22:30:00Z'))).toBe('2026-03-15');
    expect(todayIn('UTC', new Date('2026-03-14T22:30:00Z'))).toBe('2026-03-14');
    // Summer time: UTC+3.
    expect(todayIn('Europe/Kyiv', new Date('2026-06-14T20:59:59Z'))).toBe('2026-06-14');
    expect(todayIn('Europe/Kyiv', new Date('2026-06-14T21:00:00Z'))).toBe('2026-06-15');
  });

  it('turns at midnight even when asked again within the same minute before it (the date is kept per minute)', () => {
    expect(todayIn('Europe/Kyiv', new Date('2026-01-15T21:59:01Z'))).toBe('2026-01-15');
    expect(todayIn('Europe/Kyiv', new Date('2026-01-15T21:59:59.999Z'))).toBe('2026-01-15');
    expect(todayIn('Europe/Kyiv', new Date('2026-01-15T22:00:00Z'))).toBe('2026-01-16');
    expect(todayIn('UTC', new Date('2026-01-15T22:00:00Z'))).toBe('2026-01-15'); // kept per zone
    expect(todayIn('Europe/Kyiv', new Date('2026-01-15T21:59:30Z'))).toBe('2026-01-15'); // back in time: formatted again
  });

  it('defaults to Kyiv', () => {
    const now = new Date('2026-12-31T22:30:00Z');
    expect(todayIn(undefined, now)).toBe('2027-01-01');
  });
});

describe('ageOn, against birthdays built as text', () => {
  it('counts completed years', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toEpochDay('1900-01-01'), max: toEpochDay('2000-12-31') }).map(fromEpochDay),
        fc.integer({ min: 0, max: 120 }),
        (birth, years) => {
          fc.pre(!birth.endsWith('-02-29'));
          const birthday = `${String(Number(birth.slice(0, 4)) + years).padStart(4, '0')}${birth.slice(4)}`;
          expect(ageOn(birth, birthday)).toBe(years);
          expect(ageOn(birth, addDays(birthday, -1))).toBe(years - 1);
        },
      ),
    );
  });
});
