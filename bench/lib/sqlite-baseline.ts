// Baselines on the same disk and with the same durability settings as the server's
// store (WAL, synchronous=FULL): a naive loop of single-row durable inserts (one
// commit and fsync each), and raw batched inserts (many rows per commit), into an empty
// table or (SizedBaseline) into a table holding as many rows as the server's database
// holds signals. Rows are shaped like a signal: a random id, a 32-byte pseudonym, a
// contact record.

import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { storeCheckpointer } from './durable-floor-writer.js';

function openBaseline(dir: string): Database.Database {
  const db = new Database(join(dir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE signal (
    id TEXT PRIMARY KEY, organisation INTEGER NOT NULL, stored BLOB NOT NULL,
    contact TEXT NOT NULL, placed_at INTEGER NOT NULL)`);
  db.exec('CREATE INDEX signal_stored ON signal(stored)');
  return db;
}

function row() {
  return {
    id: randomUUID(),
    organisation: 1,
    stored: randomBytes(32),
    contact: '{"name":"J. de Vries","role":"jeugdconsulent","email":"j.devries@example.nl"}',
    placed_at: Date.now(),
  };
}

const INSERT =
  'INSERT INTO signal (id, organisation, stored, contact, placed_at) VALUES (@id, @organisation, @stored, @contact, @placed_at)';

export interface NaiveResult {
  /** Rows per second. */
  readonly rate: number;
  /** CPU time of this process per row (user + system), in ms: what one durable insert costs the CPU. */
  readonly cpuMsPerRow: number;
}

/** Single-row durable inserts, each its own transaction, for `seconds`. */
export function naiveDurableInserts(seconds: number, baseDir = tmpdir()): NaiveResult {
  const dir = mkdtempSync(join(baseDir, 'sluis-bench-naive-'));
  try {
    const db = openBaseline(dir);
    const stmt = db.prepare(INSERT);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < seconds * 1000) {
      stmt.run(row());
      n++;
    }
    const rate = (n * 1000) / (performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    db.close();
    return { rate, cpuMsPerRow: (cpu.user + cpu.system) / 1000 / n };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Rows per second of `rows` raw inserts into `db`, committed `batch` rows per transaction;
 * `afterCommit` runs after each commit and before the next batch (the store's checkpointer).
 */
function timedBatches(db: Database.Database, rows: number, batch: number, afterCommit = () => {}): number {
  const stmt = db.prepare(INSERT);
  const insertMany = db.transaction((items: ReturnType<typeof row>[]) => {
    for (const r of items) stmt.run(r);
  });
  const t0 = performance.now();
  for (let done = 0; done < rows; done += batch) {
    insertMany(Array.from({ length: Math.min(batch, rows - done) }, row));
    afterCommit();
  }
  return (rows * 1000) / (performance.now() - t0);
}

/** Rows per second of raw inserts into an empty table, committed `batch` rows per transaction. */
export function batchedInsertRate(rows: number, batch: number, baseDir = tmpdir()): number {
  const dir = mkdtempSync(join(baseDir, 'sluis-bench-batched-'));
  try {
    const db = openBaseline(dir);
    const rate = timedBatches(db, rows, batch);
    db.close();
    return rate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Raw batched inserts at a database's size (docs/performance.md "Thirty-second pass"): a
 * table kept at as many rows as the server's database holds signals (`grow` after each of the
 * server's runs), so that the rate it is compared with pays the same index depth: inserts of
 * random keys into a table of 400,000 rows run at about half the rate they run into an empty
 * one. `rate` inserts `rows` rows into a copy of the table, so the same size can be measured
 * before and after a run, and the table grows only by `grow`.
 */
export class SizedBaseline {
  readonly #dir = mkdtempSync(join(tmpdir(), 'sluis-bench-sized-'));
  readonly #file = join(this.#dir, 'baseline.db');
  #rows = 0;

  constructor() {
    openBaseline(this.#dir).close();
  }

  /** Rows the table holds. */
  get rows(): number {
    return this.#rows;
  }

  /**
   * Adds `rows` rows, untimed (synchronous=OFF), folds the WAL into the file and syncs it once,
   * so that no write-back of the growth overlaps a later measurement.
   */
  grow(rows: number): void {
    const db = new Database(this.#file);
    try {
      db.pragma('synchronous = OFF');
      const stmt = db.prepare(INSERT);
      const insertMany = db.transaction((items: ReturnType<typeof row>[]) => {
        for (const r of items) stmt.run(r);
      });
      for (let done = 0; done < rows; done += 5_000)
        insertMany(Array.from({ length: Math.min(5_000, rows - done) }, row));
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    syncFile(this.#file);
    this.#rows += rows;
  }

  /**
   * Rows per second of `rows` raw inserts, `batch` per durable commit, into a copy of the table;
   * SQLite checkpoints the WAL on the inserting thread (its default, 1,000 pages).
   */
  rate(rows: number, batch: number): number {
    return this.#onCopy((db) => timedBatches(db, rows, batch));
  }

  /**
   * The same with the store's checkpointing instead (storeCheckpointer: PASSIVE checkpoints on a
   * worker thread, docs/engine.md "SQLite: group commit and durability"), as the server and the
   * batch floor do: what the inserts cost when their checkpoints overlap them.
   */
  async rateWithStoreCheckpointer(rows: number, batch: number): Promise<number> {
    let stop: () => Promise<number> = async () => 0;
    const rate = this.#onCopy((db, path) => {
      const checkpointer = storeCheckpointer(db, path);
      stop = checkpointer.stop;
      return timedBatches(db, rows, batch, () => {
        checkpointer.committed();
        checkpointer.between();
      });
    });
    await stop();
    return rate;
  }

  #onCopy(measure: (db: Database.Database, path: string) => number): number {
    const copy = join(this.#dir, 'measured.db');
    copyFileSync(this.#file, copy);
    try {
      // The copy on disk before the timed inserts: their checkpoints sync the file, which
      // must not pay for the copy's own pages.
      syncFile(copy);
      const db = new Database(copy);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      const rate = measure(db, copy);
      db.close();
      return rate;
    } finally {
      for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
    }
  }

  remove(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
