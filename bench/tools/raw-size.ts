// The raw batched inserts of case 3's baseline (lib/sqlite-baseline.ts: 500 signal-shaped rows per
// durable commit, WAL + synchronous=FULL) at several table sizes (docs/performance.md
// "Thirty-second pass"): a table grown to each size in turn (SizedBaseline, untimed), then at that
// size `rounds` timed runs of `rows` inserts into a copy of it — SQLite checkpointing on the
// inserting thread (its default), then with the store's checkpointer on a worker thread — each
// followed by the same inserts into an empty table (batchedInsertRate, case 3's baseline before
// that pass), so each size's rates are read against the empty table's of the same moment. Not part of `pnpm bench`; nothing
// asserted.
//   node --conditions=sluis-source --import tsx bench/tools/raw-size.ts [rounds] [rows] [sizes, comma-separated]

import { batchedInsertRate, SizedBaseline } from '../lib/sqlite-baseline.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 3);
const rows = Number(process.argv[3] ?? 100_000);
const sizes = (process.argv[4] ?? '0,100000,200000,300000,400000,500000').split(',').map(Number);
const BATCH = 500;

const table = new SizedBaseline();
try {
  console.log(
    `${rounds} rounds of ${rows.toLocaleString('en-US')} inserts, ${BATCH} per durable commit, at each size`,
  );
  for (const size of sizes) {
    if (size < table.rows) throw new Error(`sizes must not fall: ${size} after ${table.rows}`);
    table.grow(size - table.rows);
    const sized: number[] = [];
    const worker: number[] = [];
    const empty: number[] = [];
    // The order turns each round, so that none of the three always runs first.
    const measures = [
      () => sized.push(table.rate(rows, BATCH)),
      async () => worker.push((await table.rateWithStoreCheckpointer(rows, BATCH)).rate),
      () => empty.push(batchedInsertRate(rows, BATCH)),
    ];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < measures.length; k++) await measures[(r + k) % measures.length]!();
    }
    const f = (n: number) => Math.round(n).toLocaleString('en-US');
    const ratio = (xs: number[]) => {
      const r = spread(xs.map((x, i) => x / empty[i]!));
      return `${r.median.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
    };
    console.log(
      `${f(size).padStart(9)} rows: ${f(spread(sized).median)} rows/s (${sized.map(f).join(' / ')}), ×empty ${ratio(sized)} | with the store's checkpointer ${f(spread(worker).median)} rows/s (${worker.map(f).join(' / ')}), ×empty ${ratio(worker)} | empty table ${f(spread(empty).median)} rows/s (${empty.map(f).join(' / ')})`,
    );
  }
} finally {
  table.remove();
}
