// encodeInformed remembers its last date (docs/performance.md "Twenty-fifth pass: bulk, work
// removed from the main thread"): held to the code it replaced, kept here, on sequences drawn
// again and again from small pools of dates (real, impossible, malformed), statuses and no date,
// and the round trip through decodeInformed for every real date. The delivery states' stored
// codes are pinned too: their list lives in the API (api/deliveries.ts), its order on disk.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Informed } from '../../api.js';
import { DELIVERY_STATUSES, decodeInformed, deliveryCode, encodeInformed, isoDate } from './codec.js';

const STATUSES = ['citizen', 'representative', 'both', 'not_yet'] as const;

/** The code it replaced. */
function reference(i: Informed): number {
  const status = STATUSES.indexOf(i.status);
  if (i.date === undefined) return status;
  const [y, m, d] = i.date.split('-').map(Number) as [number, number, number];
  const utc = new Date(0);
  utc.setUTCFullYear(y, m - 1, d);
  return status + 4 * (Math.floor(utc.getTime() / 86_400_000) + 1_000_000);
}

describe('encodeInformed', () => {
  it('answers as the code it replaced, whatever came before', () => {
    const dates = fc.oneof(
      fc.constantFrom('2026-01-05', '2026-01-06', '2024-02-29', '0100-01-01', '9999-12-31', '2023-02-29'),
      fc.constantFrom('', '-', '2026-1-5', '2026-13-01', 'x'),
      fc
        .date({ min: new Date('0100-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    );
    const informed = fc.record(
      { status: fc.constantFrom(...STATUSES), date: dates },
      { requiredKeys: ['status'] },
    ) as fc.Arbitrary<Informed>;
    fc.assert(
      fc.property(fc.array(informed, { minLength: 1, maxLength: 30 }), (xs) => {
        for (const i of xs) expect(encodeInformed(i)).toEqual(reference(i));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads a day number as toISOString does, for every day of the years 0000–9999 and past them', () => {
    const DAY = 86_400_000;
    const viaDate = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
    let differ = 0;
    // 0000-01-01 − 3 days … 9999-12-31 + 3 days: the arithmetic's range and the Date path beyond it.
    for (let day = -719_531; day <= 2_932_899; day++) if (isoDate(day) !== viaDate(day)) differ++;
    expect(differ).toBe(0);
    expect([
      isoDate(-719_529),
      isoDate(-719_528),
      isoDate(0),
      isoDate(2_932_896),
      isoDate(2_932_897),
    ]).toEqual(['-000001-12', '0000-01-01', '1970-01-01', '9999-12-31', '+010000-01']);
  });

  it('round-trips every real date through decodeInformed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.date({ min: new Date('0100-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (status, d) => {
          const i = { status, date: d.toISOString().slice(0, 10) };
          expect(decodeInformed(encodeInformed(i))).toEqual(i);
          expect(decodeInformed(encodeInformed({ status }))).toEqual({ status });
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('deliveries.status', () => {
  it('keeps its stored codes: pending 0, delivered 1, expired 2', () => {
    expect(DELIVERY_STATUSES.map((s) => [s, deliveryCode(s)])).toEqual([
      ['pending', '0'],
      ['delivered', '1'],
      ['expired', '2'],
    ]);
  });
});
