// The last active day a placement shows before it is sent is the day the server keeps
// (docs/engine.md "The life of a signal"): the end date from the date of birth, capped at the
// two-year active term.
import { describe, expect, it } from 'vitest';
import { formatDate, lastActiveDay, parseDate, placementEndDate } from './dates.js';

const day = (s: string) => parseDate(s)!;

describe('lastActiveDay', () => {
  it('caps a youth end date years away at two years after placing', () => {
    const today = day('2026-12-03');
    const end = placementEndDate(day('2015-03-10'), today);
    expect(formatDate(end)).toBe('2038-03-01');
    expect(formatDate(lastActiveDay(end, today))).toBe('2028-12-02');
  });

  it('keeps an end date within the term, and gives the term without one', () => {
    const today = day('2026-12-03');
    expect(formatDate(lastActiveDay(day('2027-05-01'), today))).toBe('2027-05-01');
    expect(formatDate(lastActiveDay(undefined, today))).toBe('2028-12-02');
    expect(formatDate(lastActiveDay(undefined, day('2027-03-01')))).toBe('2029-02-28');
  });
});
