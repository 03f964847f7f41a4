// The last day a signal is active, as the server keeps it, against the vectors the portal's
// placement preview is held to as well (test/vectors/signal-end-dates.json).
import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { parseDate } from '../time.js';
import { signalExpiresAt } from './signal-end.js';

const V = vectors.signalEndDates();

describe('signalExpiresAt (test/vectors/signal-end-dates.json)', () => {
  for (const c of V.cases) {
    it(`${c.note}: active through ${c.lastActiveDay}`, () => {
      const endDay = c.endDate === null ? undefined : parseDate(c.endDate);
      expect(c.endDate === null || endDay !== undefined).toBe(true);
      const at = signalExpiresAt(Date.parse(c.placedAt), endDay, c.activeTermDays);
      expect(new Date(at).toISOString().slice(0, 10)).toBe(c.lastActiveDay);
    });
  }

  it('ends at the end of the end date, not at its start', () => {
    const at = signalExpiresAt(Date.parse('2026-12-04T10:00:00.000Z'), parseDate('2027-06-01'), 730);
    expect(new Date(at).toISOString()).toBe('2027-06-01T23:59:59.999Z');
  });
});
