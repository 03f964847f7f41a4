// The persisted replay nonces on SQLite, keyed by (key id, nonce) with an expiry index (schema
// steps 1–17) against keyed by expiry (step 18), at a steady request rate (docs/performance.md
// "Twelfth pass"). Two files with the writer's settings (WAL, synchronous=FULL, secure_delete),
// each filled with a full window of nonces (rate × 300 s, expiries spread over the window);
// then, in alternated rounds (in turns first), each file gets `seconds` of the store's flushes:
// every 250 ms one transaction with the statements of sqlite-bookkeeping.ts `insertNonces` and
// `deleteExpiredNonces` (a quarter second's new nonces at `created` + 300 s, `created` within
// ±2 s of the clock as clients' clocks are; the nonces that expired meanwhile deleted), then a
// TRUNCATE checkpoint (the server's checkpoint thread copies the same pages). Per round: CPU of
// the whole process per nonce (statements, COMMIT and checkpoint) and the WAL bytes per nonce.
// Only the table's shape differs: the same statement texts on the same rows. Not part of
// `pnpm bench`; nothing asserted.
//   node --import tsx bench/tools/nonce-table-ab.ts [rounds] [rate per s] [seconds per round]

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

const rounds = Number(process.argv[2] ?? 8);
const rate = Number(process.argv[3] ?? 3_000);
const seconds = Number(process.argv[4] ?? 20);

const Database = createRequire(import.meta.resolve('@sluis/engine'))(
  'better-sqlite3',
) as typeof BetterSqlite3;

const WINDOW_MS = 300_000;
const TICK_MS = 250;

/** The table as schema step 1 made it (packages/engine/src/store/sqlite/migrations/first-schema.ts). */
const BY_NONCE = `
  CREATE TABLE nonces (
    key_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (key_id, nonce)
  ) WITHOUT ROWID;
  CREATE INDEX nonces_expiry ON nonces(expires_at);`;
/** The table as schema step 18 makes it (migrations/steps.ts). */
const BY_EXPIRY = `
  CREATE TABLE nonces (
    expires_at INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    PRIMARY KEY (expires_at, key_id, nonce)
  ) WITHOUT ROWID;`;

/** Forty organisations' keys, as `keyid` values look (a UUID each). */
const KEYS = Array.from({ length: 40 }, () => crypto.randomUUID());
/** A nonce as the SDK makes one: 16 random bytes, base64url. */
const nonce = (): string => randomBytes(16).toString('base64url');
const skew = (): number => Math.round((Math.random() * 2 - 1) * 2_000);

interface Side {
  readonly name: string;
  readonly path: string;
  readonly db: BetterSqlite3.Database;
  readonly insert: BetterSqlite3.Statement;
  readonly expire: BetterSqlite3.Statement;
  /** Simulated time of this file. */
  now: number;
  cpuUs: number[];
  walBytes: number[];
}

function open(name: string, dir: string, ddl: string): Side {
  const path = join(dir, `${name}.sqlite`);
  const db = new Database(path);
  // The writer's settings (store/sqlite/sqlite-connection.ts); checkpoints only where we say.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = 0');
  db.exec(ddl);
  // sqlite-bookkeeping.ts, verbatim.
  const insert = db.prepare('INSERT OR IGNORE INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)');
  const expire = db.prepare('DELETE FROM nonces WHERE expires_at <= ?');
  const start = 1_800_000_000_000;
  // A full window: the nonces of the last 300 s, expiring over the next 300 s.
  const fill = db.transaction(() => {
    for (let t = start - WINDOW_MS; t < start; t += 1_000 / rate) {
      insert.run(KEYS[Math.floor(Math.random() * KEYS.length)]!, nonce(), Math.round(t) + WINDOW_MS + skew());
    }
  });
  fill();
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { name, path, db, insert, expire, now: start, cpuUs: [], walBytes: [] };
}

const flush = (side: Side, count: number): void => {
  side.db.exec('BEGIN IMMEDIATE');
  for (let i = 0; i < count; i++) {
    side.insert.run(KEYS[Math.floor(Math.random() * KEYS.length)]!, nonce(), side.now + WINDOW_MS + skew());
  }
  side.expire.run(side.now);
  side.db.exec('COMMIT');
};

function round(side: Side): void {
  const perTick = Math.round((rate * TICK_MS) / 1_000);
  const ticks = Math.round((seconds * 1_000) / TICK_MS);
  const before = process.cpuUsage();
  let wal = 0;
  for (let i = 0; i < ticks; i++) {
    side.now += TICK_MS;
    flush(side, perTick);
    // Every 4 s, as the WAL grows: read its size, then checkpoint as the server's thread would.
    if (i % 16 === 15 || i === ticks - 1) {
      wal += statSync(`${side.path}-wal`).size;
      side.db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }
  const used = process.cpuUsage(before);
  const nonces = perTick * ticks;
  side.cpuUs.push((used.user + used.system) / nonces);
  side.walBytes.push(wal / nonces);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'sluis-nonce-ab-'));
try {
  console.log(
    `nonces: ${rate.toLocaleString('en-US')}/s, a full window of ${(rate * 300).toLocaleString('en-US')} per file, ${seconds} s per round, ${rounds} rounds alternated`,
  );
  const byNonce = open('by-nonce', dir, BY_NONCE);
  const byExpiry = open('by-expiry', dir, BY_EXPIRY);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [byNonce, byExpiry] : [byExpiry, byNonce];
    for (const side of order) round(side);
    console.log(
      `round ${r + 1} (${order[0]!.name} first): CPU per nonce ${byNonce.cpuUs.at(-1)!.toFixed(1)} against ${byExpiry.cpuUs.at(-1)!.toFixed(1)} µs, WAL per nonce ${Math.round(byNonce.walBytes.at(-1)!)} against ${Math.round(byExpiry.walBytes.at(-1)!)} B (by nonce against by expiry)`,
    );
  }
  const ratios = byNonce.cpuUs.map((c, i) => c / byExpiry.cpuUs[i]!);
  console.log(
    `medians: CPU per nonce ${median(byNonce.cpuUs).toFixed(1)} against ${median(byExpiry.cpuUs).toFixed(1)} µs (ratio ${median(ratios).toFixed(2)}, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), WAL per nonce ${Math.round(median(byNonce.walBytes))} against ${Math.round(median(byExpiry.walBytes))} B; rows ${byNonce.db.prepare('SELECT count(*) AS n FROM nonces').pluck().get()} and ${byExpiry.db.prepare('SELECT count(*) AS n FROM nonces').pluck().get()}`,
  );
  byNonce.db.close();
  byExpiry.db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
