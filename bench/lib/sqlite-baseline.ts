// Baselines on the same disk and with the same durability settings as the server's
// store (WAL, synchronous=FULL): a naive loop of single-row durable inserts (one
// commit and fsync each), and raw batched inserts (many rows per commit), into an empty
// table or (SizedBaseline) into a table holding as many rows as the server's database
// holds signals. Rows are shaped like a signal: a random id as the server stores a signal's
// (signals.id: a UUID v4's 16 bytes in a rowid table, under a unique index of its own), a
// 32-byte pseudonym (indexed), a contact record.

import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { storeCheckpointer } from './durable-floor-writer.js';
import { newSignalIdBytes } from './signal-id.js';

/** The baseline's table, new, in `dir/baseline.db`, with the store's durability (WAL, synchronous=FULL). */
export function openBaseline(dir: string): Database.Database {
  const db = new Database(join(dir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // The id as the store's signals table keeps it (migrations/first-schema.ts: `rid INTEGER
  // PRIMARY KEY`, `id BLOB NOT NULL`, `CREATE UNIQUE INDEX signals_id`), so the baseline's id
  // index has the server's key size (docs/performance.md "Thirty-second pass").
  db.exec(`CREATE TABLE signal (
    rid INTEGER PRIMARY KEY, id BLOB NOT NULL, organisation INTEGER NOT NULL, stored BLOB NOT NULL,
    contact TEXT NOT NULL, placed_at INTEGER NOT NULL)`);
  db.exec('CREATE UNIQUE INDEX signal_id ON signal(id)');
  db.exec('CREATE INDEX signal_stored ON signal(stored)');
  return db;
}

function row() {
  // One draw for both random values: the id (a UUID v4's bytes, as the engine's newUuidBytes
  // makes a signal's) and the stored pseudonym. SQLite copies what it binds, views included.
  const bytes = newSignalIdBytes(32);
  return {
    id: bytes.subarray(0, 16),
    organisation: 1,
    stored: bytes.subarray(16),
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

/** Inserts `rows` signal-shaped rows into `db`, `batch` per transaction; `afterCommit` after each. */
export function insertRows(db: Database.Database, rows: number, batch: number, afterCommit = () => {}): void {
  const stmt = db.prepare(INSERT);
  const insertMany = db.transaction((items: ReturnType<typeof row>[]) => {
    for (const r of items) stmt.run(r);
  });
  for (let done = 0; done < rows; done += batch) {
    insertMany(Array.from({ length: Math.min(batch, rows - done) }, row));
    afterCommit();
  }
}

/** Rows per second of wall time of `insertRows`. */
function timedBatches(db: Database.Database, rows: number, batch: number, afterCommit?: () => void): number {
  const t0 = performance.now();
  insertRows(db, rows, batch, afterCommit);
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
 * Raw batched inserts at a database's size (docs/performance.md "Thirty-second pass"): a table
 * kept at as many rows as the server's database holds signals (`grow` after each of the
 * server's runs, by the signals it stored), so that the rate it is compared with pays the same
 * index depth. Each measurement inserts into a copy of the table, synced first, so the same size
 * can be measured before and after a run; the table itself grows only by `grow`.
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
      insertRows(db, rows, 5_000);
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    syncFile(this.#file);
    this.#rows += rows;
  }

  /**
   * Rows per second of `rows` raw inserts, `batch` per durable commit, into a copy of the table;
   * SQLite checkpoints the WAL on the inserting thread (its default, every 1,000 pages).
   */
  rate(rows: number, batch: number): number {
    const { db, done } = this.#copy();
    try {
      return timedBatches(db, rows, batch);
    } finally {
      done();
    }
  }

  /**
   * The same with the store's checkpointing instead (`storeCheckpointer`: PASSIVE checkpoints on
   * a worker thread, the writer's own once the WAL passed 4,000 frames, docs/engine.md "WAL
   * checkpoints"), as the server and the batch floor checkpoint; the clock starts once the
   * worker's connection is open. Also answers how often the writer reset the WAL.
   */
  async rateWithStoreCheckpointer(rows: number, batch: number): Promise<{ rate: number; resets: number }> {
    const { db, path, done } = this.#copy();
    try {
      const checkpointer = storeCheckpointer(db, path);
      let rate: number;
      try {
        checkpointer.ready();
        rate = timedBatches(db, rows, batch, () => {
          checkpointer.committed();
          checkpointer.between();
        });
      } finally {
        await checkpointer.stop();
      }
      return { rate, resets: checkpointer.resets };
    } finally {
      done();
    }
  }

  /** A copy of the table, on disk before any timed insert: their checkpoints must not pay for its pages. */
  #copy(): { db: Database.Database; path: string; done: () => void } {
    const path = join(this.#dir, 'measured.db');
    const remove = () => {
      for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    };
    copyFileSync(this.#file, path);
    let db: Database.Database;
    try {
      syncFile(path);
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    } catch (e) {
      remove();
      throw e;
    }
    return {
      db,
      path,
      done: () => {
        try {
          db.close();
        } finally {
          remove();
        }
      },
    };
  }

  remove(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
