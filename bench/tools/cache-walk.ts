// The page cache walked at a COMMIT that grows the file (docs/performance.md "Thirty-third pass:
// the national year's own work"), with better-sqlite3 alone: a WAL file whose table grows by
// `rows` rows a commit, each row in its own SAVEPOINT as the group commit runs a placement, on a
// connection with `PRAGMA cache_size = <size>` (better-sqlite3's own default: -16000). Prints the
// wall time per commit; run it under `perf record` to see `pcache1TruncateUnsafe`'s share at each
// size. Not part of `pnpm bench`; nothing asserted.
//   perf record -F 1999 -- node --import tsx bench/tools/cache-walk.ts [size] [commits] [rows]
//   perf report --stdio --sort sym | grep pcache1TruncateUnsafe

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const size = Number(process.argv[2] ?? -16000);
const commits = Number(process.argv[3] ?? 6000);
const rows = Number(process.argv[4] ?? 22);

const dir = mkdtempSync(join(tmpdir(), 'sluis-cache-walk-'));
try {
  const db = new Database(join(dir, 'walk.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = ${size}`);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k BLOB UNIQUE, v TEXT)');
  const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  const [begin, savepoint, release, commit] = ['BEGIN IMMEDIATE', 'SAVEPOINT op', 'RELEASE op', 'COMMIT'].map(
    (sql) => db.prepare(sql),
  ) as [Database.Statement, Database.Statement, Database.Statement, Database.Statement];
  const value = 'x'.repeat(100);
  const t0 = performance.now();
  for (let c = 0; c < commits; c++) {
    begin.run();
    for (let i = 0; i < rows; i++) {
      savepoint.run();
      insert.run(randomBytes(16), value);
      release.run();
    }
    commit.run();
  }
  console.log(
    `cache_size ${size}: ${(((performance.now() - t0) * 1000) / commits).toFixed(1)} µs a commit of ${rows} rows, ${commits} commits`,
  );
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
