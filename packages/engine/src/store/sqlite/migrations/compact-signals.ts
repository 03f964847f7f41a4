// Step 6 of the SQLite schema, computed in JavaScript: bytes on disk per signal
// (docs/engine.md "Size"). Runs inside the step's transaction (../migrations.ts).

import type Database from 'better-sqlite3';
import { PREFIX_BYTES } from '../pseudonym-prefixes.js';

/** Signals whose pfx step 6 computes per statement batch. */
const MIGRATION_RANGE = 10_000;

/**
 * Step 6. (a) Contact details move to a `contacts` table, one row per distinct contact of
 * an organisation with a count of the signals naming it; a signal holds the row's number.
 * A professional's contact repeats over their caseload, so this saves the ≈ 60-byte JSON
 * on every signal but the first. The row goes when its last signal does.
 * (b) The by-signal index of `signal_pseudonyms` (≈ 47 bytes per signal) is replaced by
 * `signals.pfx`: the first 8 bytes of each of the signal's stored pseudonyms, concatenated
 * (≈ 9 bytes); the pseudonyms of a signal are found by range seeks on the primary key.
 * The foreign key from `signal_pseudonyms` to `signals` goes with the index (without it
 * every signal deletion would scan the table); the store deletes a signal's pseudonyms
 * itself, as it already did.
 */
export function migrateToCompactSignals(db: Database.Database): void {
  db.exec(`
  CREATE TABLE contacts (
    rid INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: a stale number cannot name a new contact
    org INTEGER NOT NULL,
    body TEXT NOT NULL,                   -- compact JSON array [name, role, phone, email]
    refs INTEGER NOT NULL,                -- signals that name this contact
    UNIQUE (org, body)
  );
  INSERT INTO contacts (org, body, refs) SELECT org, contact, count(*) FROM signals GROUP BY org, contact;
  ALTER TABLE signals ADD COLUMN contact_ref INTEGER NOT NULL DEFAULT 0;
  UPDATE signals SET contact_ref = (SELECT c.rid FROM contacts c WHERE c.org = signals.org AND c.body = signals.contact);
  ALTER TABLE signals DROP COLUMN contact;
  ALTER TABLE signals RENAME COLUMN contact_ref TO contact;
  ALTER TABLE signals ADD COLUMN pfx BLOB NOT NULL DEFAULT x'';
  `);
  // Signal by signal through the old index, a range of rids at a time (a statement cannot
  // write while another one still iterates on the same connection).
  const update = db.prepare('UPDATE signals SET pfx = ? WHERE rid = ?');
  const range = db.prepare(
    'SELECT signal, stored FROM signal_pseudonyms INDEXED BY signal_pseudonyms_signal WHERE signal > ? AND signal <= ? ORDER BY signal',
  );
  const last = (db.prepare('SELECT coalesce(max(rid), 0) AS n FROM signals').get() as { n: number }).n;
  for (let after = 0; after < last; after += MIGRATION_RANGE) {
    const chunks = new Map<number, Buffer[]>();
    for (const r of range.all(after, after + MIGRATION_RANGE) as { signal: number; stored: Buffer }[]) {
      const list = chunks.get(r.signal) ?? [];
      list.push(r.stored.subarray(0, PREFIX_BYTES));
      chunks.set(r.signal, list);
    }
    for (const [rid, list] of chunks) update.run(Buffer.concat(list), rid);
  }
  db.exec(`
  CREATE TABLE signal_pseudonyms_v6 (
    stored BLOB NOT NULL,                 -- 32 bytes, server re-keyed; never a client pseudonym
    signal INTEGER NOT NULL,              -- signals.rid (its pfx lists this value's first 8 bytes)
    role INTEGER NOT NULL,                -- 0 subject, 1 parent
    epoch INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (stored, role, signal)
  ) WITHOUT ROWID;
  INSERT INTO signal_pseudonyms_v6 (stored, signal, role, epoch, generation)
    SELECT stored, signal, role, epoch, generation FROM signal_pseudonyms ORDER BY stored, role, signal;
  DROP TABLE signal_pseudonyms;
  ALTER TABLE signal_pseudonyms_v6 RENAME TO signal_pseudonyms;
  `);
}
