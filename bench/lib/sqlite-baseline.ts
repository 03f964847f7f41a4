// Baselines on the same disk and with the same durability settings as the server's
// store (WAL, synchronous=FULL): a naive loop of single-row durable inserts (one
// commit and fsync each), and raw batched inserts (many rows per commit). Rows are
// shaped like a signal: a random id, a 32-byte pseudonym, a contact record.

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

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

/** Rows per second of raw inserts committed `batch` rows per transaction. */
export function batchedInsertRate(rows: number, batch: number, baseDir = tmpdir()): number {
  const dir = mkdtempSync(join(baseDir, 'sluis-bench-batched-'));
  try {
    const db = openBaseline(dir);
    const stmt = db.prepare(INSERT);
    const insertMany = db.transaction((items: ReturnType<typeof row>[]) => {
      for (const r of items) stmt.run(r);
    });
    const t0 = performance.now();
    for (let done = 0; done < rows; done += batch) {
      insertMany(Array.from({ length: Math.min(batch, rows - done) }, row));
    }
    const rate = (rows * 1000) / (performance.now() - t0);
    db.close();
    return rate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
