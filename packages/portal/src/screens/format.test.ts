import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatTime } from './format.js';

// Days are the server's UTC calendar days (docs/portal.md "Dates and times"): shown the same in
// every time zone of the browser, never as the API writes them.
describe('formatDay and formatDateTime', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('shows a calendar date on its own day west of UTC', () => {
    process.env.TZ = 'America/New_York';
    expect(formatDay('2026-12-04', 'nl')).toMatch(/^4 dec\.? 2026$/);
    expect(formatDay('2026-12-04', 'en')).toMatch(/^4 Dec 2026$/);
  });

  it('shows the day a term ends at 23:59:59.999 UTC as that day east of UTC', () => {
    process.env.TZ = 'Europe/Amsterdam';
    expect(formatDay('2028-06-14T23:59:59.999Z', 'nl')).toMatch(/^14 jun\.? 2028$/);
  });

  it('shows a moment with its time of day in Dutch time, a day without one', () => {
    process.env.TZ = 'Europe/Amsterdam';
    const moment = formatDateTime('2026-12-04T12:05:00.000Z', 'nl');
    expect(moment).toContain('2026');
    expect(moment).toContain('13:05');
    expect(formatDateTime('2026-12-04', 'en')).toMatch(/^4 Dec 2026$/);
  });

  // A match made, a code that works until: Dutch working time whatever the computer's zone.
  for (const zone of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
    it(`shows a moment in Dutch time on a computer set to ${zone}`, () => {
      process.env.TZ = zone;
      // Winter (CET, UTC+1): 23:30 UTC is already the next day in the Netherlands.
      expect(formatDateTime('2026-12-04T23:30:00.000Z', 'nl')).toMatch(/^5 dec\.? 2026(,| om) 00:30$/);
      expect(formatDateTime('2026-12-04T23:30:00.000Z', 'en')).toMatch(/^5 Dec 2026(,| at) 00:30$/);
      // Summer (CEST, UTC+2).
      expect(formatDateTime('2026-07-01T10:00:00.000Z', 'nl')).toMatch(/^1 jul\.? 2026(,| om) 12:00$/);
      expect(formatTime(Date.parse('2026-07-01T21:59:00.000Z'), 'nl')).toBe('23:59');
      expect(formatTime(Date.parse('2026-12-04T23:30:00.000Z'), 'en')).toBe('00:30');
    });
  }

  it('never echoes what it cannot read', () => {
    expect(formatDay('not a date', 'nl')).toBe('—');
    expect(formatDateTime('not a date', 'en')).toBe('—');
  });
});
