import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime, formatDay } from './format.js';

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

  it('shows a moment with its time of day in the browser time zone, a day without one', () => {
    process.env.TZ = 'Europe/Amsterdam';
    const moment = formatDateTime('2026-12-04T12:05:00.000Z', 'nl');
    expect(moment).toContain('2026');
    expect(moment).toContain('13:05');
    expect(formatDateTime('2026-12-04', 'en')).toMatch(/^4 Dec 2026$/);
  });

  it('never echoes what it cannot read', () => {
    expect(formatDay('not a date', 'nl')).toBe('—');
    expect(formatDateTime('not a date', 'en')).toBe('—');
  });
});
