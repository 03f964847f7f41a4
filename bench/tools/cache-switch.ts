// What a switch of the writer's page cache costs (docs/performance.md "Thirty-fifth pass: the
// writer's cache by its work"; the lever measured there, not on main): better-sqlite3
// alone, a table of ≈ 48 MiB (made at `path` when missing) read twice so the 16 MB cache is full,
// then `PRAGMA cache_size` shrinking it to 2 MB and to 4 MB (SQLite frees the pages above the new
// bound, pcache1EnforceMaxPage), growing it back, and growing a small cache; each size read back.
// The pragma is issued anew each time: SQLite sets it while it compiles the statement. Prints the
// median and range of each over `rounds`. Not part of `pnpm bench`; nothing asserted.
//   node --import tsx bench/tools/cache-switch.ts <path> [rounds]

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: cache-switch.ts <path> [rounds]');
const rounds = Number(process.argv[3] ?? 30);
const fresh = !existsSync(path);
const db = new Database(path);
db.pragma('journal_mode = WAL');
if (fresh) {
  db.exec('CREATE TABLE t (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  const many = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(randomBytes(16), randomBytes(200));
  });
  for (let i = 0; i < 20; i++) many(10_000);
  db.pragma('wal_checkpoint(TRUNCATE)');
}
const fill = db.prepare('SELECT sum(length(v)) FROM t').pluck();
const set = (kib: number) => db.pragma(`cache_size = -${kib}`);
const size = () => db.pragma('cache_size', { simple: true }) as number;
const timed = (fn: () => void) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1000;
};
const shown = (us: number[]) => {
  const sorted = [...us].sort((a, b) => a - b);
  return `${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} µs (${sorted[0]!.toFixed(1)}–${sorted.at(-1)!.toFixed(1)})`;
};
for (const kib of [2000, 4000]) {
  const shrink: number[] = [];
  const growBack: number[] = [];
  const growSmall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    growSmall.push(timed(() => set(16_000)));
    fill.get();
    fill.get();
    if (size() !== -16_000) throw new Error('the cache did not grow');
    shrink.push(timed(() => set(kib)));
    if (size() !== -kib) throw new Error('the cache did not shrink');
    growBack.push(timed(() => set(16_000)));
    set(kib);
  }
  console.log(
    `16000 → ${kib} KiB, a full cache: shrink ${shown(shrink)}; grow back ${shown(growBack)}; grow a small cache ${shown(growSmall)}`,
  );
}
db.close();
