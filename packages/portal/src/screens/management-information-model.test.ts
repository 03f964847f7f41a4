import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { addMonths, checkPeriod, lastClosedMonth, noNumberShown } from './management-information-model.js';

// The period is checked by the server's rules (docs/engine.md "Management information").
describe('the management information period', () => {
  const at = (iso: string) => Date.parse(iso);

  it('closes a month on the second day of the next, in UTC', () => {
    expect(lastClosedMonth(at('2026-12-01T23:59:59Z'))).toBe('2026-10');
    expect(lastClosedMonth(at('2026-12-02T00:00:00Z'))).toBe('2026-11');
    expect(lastClosedMonth(at('2026-01-02T00:00:00Z'))).toBe('2025-12');
  });

  it('moves months across a year', () => {
    expect(addMonths('2026-02', -3)).toBe('2025-11');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
  });

  it('names each fault at its field', () => {
    const now = at('2026-12-04T12:00:00Z');
    expect(checkPeriod('2026-09', '2026-11', now)).toEqual({});
    expect(checkPeriod('2026-9', 'maart', now)).toEqual({ from: 'month', to: 'month' });
    expect(checkPeriod('2026-09', '2026-12', now)).toEqual({ to: 'closed' });
    expect(checkPeriod('2026-11', '2026-09', now)).toEqual({ from: 'order' });
    expect(checkPeriod('2016-12', '2026-11', now)).toEqual({});
    expect(checkPeriod('2016-11', '2026-11', now)).toEqual({ from: 'span' });
  });
});

// The engine's tests run the same vectors (packages/engine/src/domain/management-information-period.test.ts):
// the page refuses exactly the periods the server refuses, at the same fields.
describe('the period, by the shared vectors (test/vectors/management-information-periods.json)', () => {
  const V = vectors.managementInformationPeriods();
  it('closes months as the server does', () => {
    for (const c of V.lastClosedMonth) expect(lastClosedMonth(Date.parse(c.now)), c.now).toBe(c.month);
  });

  it('refuses what the server refuses, at the same fields', () => {
    for (const c of V.periods)
      expect(Object.keys(checkPeriod(c.from, c.to, Date.parse(c.now))).sort(), c.note).toEqual(c.refused);
  });
});

// A month in which every cell is suppressed gets a sentence (docs/portal.md "Screens", the
// Management information row):
// one number anywhere, even 0 days of a median, and it does not.
describe('a month without a number', () => {
  it('is one whose every count and median is suppressed, or that has no rows', () => {
    expect(noNumberShown(['<5', '<5', '<5', '<5'])).toBe(true);
    expect(noNumberShown([])).toBe(true);
    expect(noNumberShown(['<5', 7, '<5'])).toBe(false);
    expect(noNumberShown(['<5', 0])).toBe(false);
  });
});
