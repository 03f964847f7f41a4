import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runLengths, runsOf } from './chunks.js';

describe('runsOf and runLengths', () => {
  it('cut the rows in order into runs of the largest size that fits, the rest last', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 700 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 4 }),
        (rows, unsorted) => {
          const sizes = [...unsorted].sort((a, b) => b - a);
          const runs = [...runsOf(rows, sizes)];
          expect(runs.flat()).toEqual(rows);
          expect(runs.map((r) => r.length)).toEqual([...runLengths(rows.length, sizes)]);
          const smallest = sizes[sizes.length - 1]!;
          runs.forEach((r, i) => {
            if (i < runs.length - 1 || r.length >= smallest) expect(sizes).toContain(r.length);
            else expect(r.length).toBeLessThan(smallest);
            // Largest first: no run is followed by a larger one.
            if (i > 0) expect(r.length).toBeLessThanOrEqual(runs[i - 1]!.length);
          });
        },
      ),
    );
  });

  it('with a size of 1, every run has one of the sizes', () => {
    expect([...runLengths(1 + 8 + 32 + 128 + 128 + 3, [128, 32, 8, 1])]).toEqual([
      128, 128, 32, 8, 1, 1, 1, 1,
    ]);
    expect([...runLengths(0, [128, 32, 8, 1])]).toEqual([]);
  });
});
