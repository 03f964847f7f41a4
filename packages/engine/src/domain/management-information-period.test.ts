// The management information's period as the server checks it, against the vectors the
// portal's check in the page is held to as well (test/vectors/management-information-periods.json).
import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { lastClosedMonth, periodMonths } from './management-information.js';

const V = vectors.managementInformationPeriods();
const yyyymm = (month: string) => Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));

describe('the period (test/vectors/management-information-periods.json)', () => {
  for (const c of V.lastClosedMonth)
    it(`at ${c.now} the newest closed month is ${c.month}`, () => {
      expect(lastClosedMonth(Date.parse(c.now))).toBe(yyyymm(c.month));
    });

  for (const c of V.periods)
    it(`${c.note}: ${c.from}…${c.to} refused at ${c.refused.join(', ') || 'nothing'}`, () => {
      const answer = periodMonths(c.from, c.to, Date.parse(c.now));
      if (c.refused.length > 0) expect(answer).toEqual({ refused: expect.any(Array) });
      expect('refused' in answer ? [...answer.refused].sort() : []).toEqual(c.refused);
      if ('months' in answer) {
        expect(answer.months[0]).toBe(yyyymm(c.from));
        expect(answer.months[answer.months.length - 1]).toBe(yyyymm(c.to));
      }
    });
});
