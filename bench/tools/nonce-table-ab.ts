// The persisted replay nonces on SQLite, keyed by (key id, nonce) with an expiry index (schema
// steps 1–17) against keyed by expiry (step 18), at a steady request rate (docs/performance.md
// "Twelfth pass: the persisted nonces keyed by expiry"). Two files with the writer's settings
// (WAL, synchronous=FULL, secure_delete), each filled with the same full window of nonces (rate ×
// 300 s, expiries spread over the window); then, in alternated rounds (in turns first), each file
// gets `seconds` of the store's flushes, the same rows for both: every 250 ms one transaction
// with the statements of sqlite-bookkeeping.ts `insertNonces` and `deleteExpiredNonces` (a quarter
// second's new nonces, expiring as the authenticator sets it, (created + 300 + 1) s, `created`
// within ±2 s of the clock as clients' clocks are; the nonces that expired meanwhile deleted),
// each followed by a PASSIVE checkpoint, as the server's checkpoint thread runs one at most every
// 100 ms after commits (wal-checkpointer.ts). Per round: CPU of the process per nonce
// (statements, COMMIT and checkpoint; the rows are made before the round) and the WAL bytes per
// nonce (the frames each commit wrote). Only the table's shape differs. Not part of `pnpm bench`;
// nothing asserted.
//   node --import tsx bench/tools/nonce-table-ab.ts [rounds] [rate per s] [seconds per round]

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
type Row = readonly [keyId: string, nonce: string, expiresAt: number];
/** A request's nonce row as the authenticator persists it: 16 random bytes, base64url; whole seconds. */
const row = (clockMs: number): Row => {
  const created = Math.floor((clockMs + (Math.random() * 2 - 1) * 2_000) / 1_000);
  return [
    KEYS[Math.floor(Math.random() * KEYS.length)]!,
    randomBytes(16).toString('base64url'),
    (created + WINDOW_MS / 1_000 + 1) * 1_000,
  ];
};

const START = 1_800_000_000_000;
/** The window before START, the same rows for both files. */
const FILL: Row[] = [];
for (let i = 0; i < (rate * WINDOW_MS) / 1_000; i++) FILL.push(row(START - WINDOW_MS + (i * 1_000) / rate));

interface Side {
  readonly name: string;
  readonly db: BetterSqlite3.Database;
  readonly insert: BetterSqlite3.Statement;
  readonly expire: BetterSqlite3.Statement;
  readonly pageBytes: number;
  cpuUs: number[];
  walBytes: number[];
}

function open(name: string, dir: string, ddl: string): Side {
  const db = new Database(join(dir, `${name}.sqlite`));
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
  db.transaction(() => {
    for (const r of FILL) insert.run(...r);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageBytes = Number(db.pragma('page_size', { simple: true })) + 24; // a WAL frame
  return { name, db, insert, expire, pageBytes, cpuUs: [], walBytes: [] };
}

/** One flush, then the checkpoint; the WAL frames the commit wrote. */
const flush = (side: Side, rows: readonly Row[], now: number): number => {
  side.db.exec('BEGIN IMMEDIATE');
  for (const r of rows) side.insert.run(...r);
  side.expire.run(now);
  side.db.exec('COMMIT');
  const [c] = side.db.pragma('wal_checkpoint(PASSIVE)') as {
    busy: number;
    log: number;
    checkpointed: number;
  }[];
  // `log` is this commit's frames only if the previous checkpoint completed (the WAL restarted).
  if (c!.busy !== 0 || c!.checkpointed !== c!.log) throw new Error('a checkpoint did not complete');
  return c!.log;
};

const perTick = Math.round((rate * TICK_MS) / 1_000);
const ticks = Math.round((seconds * 1_000) / TICK_MS);

function round(side: Side, flushes: readonly (readonly Row[])[], from: number): void {
  const before = process.cpuUsage();
  let frames = 0;
  for (let i = 0; i < flushes.length; i++) frames += flush(side, flushes[i]!, from + (i + 1) * TICK_MS);
  const used = process.cpuUsage(before);
  const nonces = perTick * flushes.length;
  side.cpuUs.push((used.user + used.system) / nonces);
  side.walBytes.push((frames * side.pageBytes) / nonces);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'sluis-nonce-ab-'));
try {
  console.log(
    `nonces: ${rate.toLocaleString('en-US')}/s, a full window of ${FILL.length.toLocaleString('en-US')} per file, ${seconds} s per round, ${rounds} rounds alternated`,
  );
  const byNonce = open('by-nonce', dir, BY_NONCE);
  const byExpiry = open('by-expiry', dir, BY_EXPIRY);
  let clock = START;
  for (let r = 0; r < rounds; r++) {
    const flushes = Array.from({ length: ticks }, (_, i) =>
      Array.from({ length: perTick }, () => row(clock + (i + 1) * TICK_MS)),
    );
    const order = r % 2 === 0 ? [byNonce, byExpiry] : [byExpiry, byNonce];
    for (const side of order) round(side, flushes, clock);
    clock += ticks * TICK_MS;
    console.log(
      `round ${r + 1} (${order[0]!.name} first): CPU per nonce ${byNonce.cpuUs.at(-1)!.toFixed(1)} against ${byExpiry.cpuUs.at(-1)!.toFixed(1)} µs, WAL per nonce ${Math.round(byNonce.walBytes.at(-1)!)} against ${Math.round(byExpiry.walBytes.at(-1)!)} B (by nonce against by expiry)`,
    );
  }
  const ratios = byNonce.cpuUs.map((c, i) => c / byExpiry.cpuUs[i]!);
  const count = (s: Side) => s.db.prepare('SELECT count(*) FROM nonces').pluck().get();
  console.log(
    `medians: CPU per nonce ${median(byNonce.cpuUs).toFixed(1)} against ${median(byExpiry.cpuUs).toFixed(1)} µs (ratio ${median(ratios).toFixed(2)}, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), WAL per nonce ${Math.round(median(byNonce.walBytes))} against ${Math.round(median(byExpiry.walBytes))} B; rows ${count(byNonce)} and ${count(byExpiry)}`,
  );
  byNonce.db.close();
  byExpiry.db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
