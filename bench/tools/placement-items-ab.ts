// In-process A/B of the single placement's small items, old code against new in ONE process
// (docs/performance.md "Ninth pass"): per round each item's old and new code run the same
// work, in alternating order, and the median time per operation over the rounds is printed
// with the new ÷ old ratio per round. The old code is kept here (or in the tests that hold the
// new code to it) only to be timed. Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/placement-items-ab.ts [rounds] [only]

import { performance } from 'node:perf_hooks';
import { spread } from '../lib/stats.js';
import { items } from './placement-items.js';

const rounds = Number(process.argv[2] ?? 9);
const only = process.argv[3];

for (const item of items) {
  if (only !== undefined && !item.name.includes(only)) continue;
  const t: { old: number[]; new: number[] } = { old: [], new: [] };
  const ratios: number[] = [];
  const runs = { old: item.old, new: item.new };
  for (const side of ['old', 'new'] as const) await runs[side](item.warm); // warm-up, both
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
    const us: Record<string, number> = {};
    for (const side of order) {
      const t0 = performance.now();
      await runs[side](item.n);
      us[side] = ((performance.now() - t0) * 1000) / item.n;
      t[side].push(us[side]!);
    }
    ratios.push(us.new! / us.old!);
  }
  const o = spread(t.old);
  const n = spread(t.new);
  const fmt = (x: number) => x.toFixed(3);
  console.log(
    `${item.name}: old ${fmt(o.median)} µs (${fmt(o.min)}–${fmt(o.max)}), new ${fmt(n.median)} µs ` +
      `(${fmt(n.min)}–${fmt(n.max)}); new÷old per round ${ratios.map((x) => x.toFixed(2)).join(' ')}, ` +
      `median ${spread(ratios).median.toFixed(2)}`,
  );
}
