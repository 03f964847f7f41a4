// Versioned, forward-only schema migrations, run on open (PRAGMA user_version holds the
// version, PRAGMA application_id marks a sluis database). A database from a newer schema
// is refused, never downgraded. Sizes matter (≤300 bytes on disk per signal at millions
// of signals, docs/engine.md): ids are 16-byte blobs, stored pseudonyms 32-byte blobs in
// one WITHOUT ROWID b-tree, and there is no index the domain does not query.

import type Database from 'better-sqlite3';
import { EngineError } from '../../errors.js';
import { SQLITE_BACKFILL, statisticsBackfillSql } from '../statistics-backfill.js';
import { PREFIX_BYTES } from './pseudonym-prefixes.js';

/** One schema step: SQL, or a function for a step that must compute in JavaScript. */
export type Migration = string | ((db: Database.Database) => void);

/** 'sLuI' */
export const APPLICATION_ID = 0x734c7549;

/** Each step, SQL or a function, in order (exported so tests can build a database at an older version). */
export const MIGRATIONS: readonly Migration[] = [
  // 1: the first schema
  `
  CREATE TABLE organisations (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    status INTEGER NOT NULL,              -- 0 active, 1 suspended
    webhook_url TEXT,
    budget INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE keys (
    key_id TEXT PRIMARY KEY,
    role INTEGER NOT NULL,                -- 0 organisation, 1 admin
    org INTEGER REFERENCES organisations(rid),
    public_key BLOB NOT NULL,
    status INTEGER NOT NULL,              -- 0 active, 1 revoked
    added_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX keys_org ON keys(org);
  CREATE TABLE epochs (
    epoch INTEGER PRIMARY KEY,
    status INTEGER NOT NULL,              -- 0 active, 1 retired
    registered_at INTEGER NOT NULL,
    retired_at INTEGER
  );
  CREATE TABLE signals (
    rid INTEGER PRIMARY KEY,
    id BLOB NOT NULL,                     -- 16-byte UUID
    org INTEGER NOT NULL REFERENCES organisations(rid),
    state INTEGER NOT NULL,               -- 0 active, 1 ended, 2 expired, 3 erased_by_request
    flags INTEGER NOT NULL,               -- bit 0 restricted, bit 1 has parents, bits 2-3 objection
    contact TEXT NOT NULL,                -- compact JSON array [name, role, phone, email]
    informed INTEGER NOT NULL,            -- status index + 4 × (day number + offset) (codec.ts)
    placed_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at INTEGER,
    purge_at INTEGER,
    request_id BLOB NOT NULL,             -- 16-byte UUID
    request_hash BLOB NOT NULL            -- 16 bytes; 8 from step 6 (REQUEST_HASH_BYTES)
  );
  CREATE UNIQUE INDEX signals_id ON signals(id);
  CREATE UNIQUE INDEX signals_request ON signals(org, request_id);
  CREATE INDEX signals_org ON signals(org, state);
  CREATE INDEX signals_expiry ON signals(expires_at) WHERE state = 0;
  CREATE INDEX signals_purge ON signals(purge_at) WHERE purge_at IS NOT NULL;
  CREATE TABLE signal_pseudonyms (
    stored BLOB NOT NULL,                 -- 32 bytes, server re-keyed; never a client pseudonym
    signal INTEGER NOT NULL REFERENCES signals(rid) ON DELETE CASCADE,
    role INTEGER NOT NULL,                -- 0 subject, 1 parent
    epoch INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (stored, role, signal)
  ) WITHOUT ROWID;
  CREATE INDEX signal_pseudonyms_signal ON signal_pseudonyms(signal);
  CREATE TABLE matches (
    rid INTEGER PRIMARY KEY,
    id BLOB NOT NULL,
    kind INTEGER NOT NULL,                -- 0 person, 1 family
    status INTEGER NOT NULL,              -- 0 active, 1 ended
    a INTEGER NOT NULL REFERENCES signals(rid),
    b INTEGER NOT NULL REFERENCES signals(rid),
    created_at INTEGER NOT NULL,
    ended_at INTEGER,
    contact_a INTEGER,
    contact_b INTEGER,
    regie INTEGER,                        -- null, 0 a, 1 b
    regie_since INTEGER,
    proposal_by INTEGER,
    proposal_for INTEGER,
    proposal_at INTEGER,
    CHECK (a < b)
  );
  CREATE UNIQUE INDEX matches_id ON matches(id);
  CREATE UNIQUE INDEX matches_pair ON matches(a, b);
  CREATE INDEX matches_b ON matches(b);
  CREATE TABLE events (
    cursor INTEGER PRIMARY KEY AUTOINCREMENT,
    org INTEGER NOT NULL,
    type INTEGER NOT NULL,
    match BLOB NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX events_org ON events(org);
  CREATE INDEX events_match ON events(match);
  CREATE TABLE deliveries (
    rid INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,
    org INTEGER NOT NULL REFERENCES organisations(rid),
    url TEXT NOT NULL,
    type INTEGER NOT NULL,
    match BLOB NOT NULL,
    cursor INTEGER NOT NULL,
    status INTEGER NOT NULL,              -- 0 pending, 1 delivered
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER
  );
  CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 0;
  CREATE INDEX deliveries_match ON deliveries(match);
  CREATE TABLE logbook (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    refs TEXT NOT NULL,
    details TEXT NOT NULL,
    hash BLOB NOT NULL
  );
  CREATE TABLE nonces (
    key_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (key_id, nonce)
  ) WITHOUT ROWID;
  CREATE INDEX nonces_expiry ON nonces(expires_at);
  CREATE TABLE placement_hours (
    org INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    count INTEGER NOT NULL,
    alerted INTEGER NOT NULL,
    PRIMARY KEY (org, hour)
  ) WITHOUT ROWID;
  `,
  // 2: working together after a match (docs/engine.md "Working together after a match"): the current consent per signal and the
  // append-only agreements list per match. Both go with their signal / match (explicit
  // deletes in the store, and ON DELETE CASCADE as a backstop).
  `
  CREATE TABLE signal_consents (
    signal INTEGER PRIMARY KEY REFERENCES signals(rid) ON DELETE CASCADE,
    given_on TEXT NOT NULL,               -- 'YYYY-MM-DD'
    scopes TEXT NOT NULL,                 -- comma-separated codes from a fixed list
    form_ref TEXT,                        -- opaque reference, [A-Za-z0-9._/-]{1,64}
    recorded_at INTEGER NOT NULL,
    withdrawn_at INTEGER
  );
  CREATE TABLE match_agreements (
    match INTEGER NOT NULL REFERENCES matches(rid) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind INTEGER NOT NULL,                -- 0 agreement, 1 status update
    agreement BLOB NOT NULL,              -- 16-byte UUID of the agreement
    owner INTEGER,                        -- side 0 a, 1 b (agreements)
    action TEXT,
    category TEXT,
    purpose TEXT,
    due TEXT,
    status INTEGER,                       -- 0 open, 1 done, 2 cancelled (status updates)
    by_side INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (match, seq)
  ) WITHOUT ROWID;
  `,
  // 3: the /metrics gauges count matches by status and kind from a background refresh;
  // this covering index keeps that count off the table itself.
  `
  CREATE INDEX matches_status ON matches(status, kind);
  `,
  // key lifecycle (docs/keys.md §4): server-secret rotations with their persisted progress, and
  // the signals whose catch-up ran during one (caught up again when it completes).
  `
  CREATE TABLE secret_rotations (
    generation INTEGER PRIMARY KEY,       -- the server-secret generation rotated to
    started_at INTEGER NOT NULL,
    completed_at INTEGER,
    max_signal INTEGER NOT NULL,          -- signals with rid <= this are re-keyed
    cursor INTEGER NOT NULL,              -- last signal rid done
    rows_rekeyed INTEGER NOT NULL,
    hashes_rekeyed INTEGER NOT NULL
  );
  CREATE TABLE rotation_catchups (
    signal INTEGER PRIMARY KEY
  );
  `,
  // 5: inbox cursors count per organisation. A global cursor told each organisation how
  // many match events all other organisations had between two of its own (docs/leakage.md).
  // The counter lives on the organisation, so deleting events never reuses a number.
  `
  ALTER TABLE organisations ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE events ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
  UPDATE events SET seq = t.rn
    FROM (SELECT cursor AS c, row_number() OVER (PARTITION BY org ORDER BY cursor) AS rn FROM events) AS t
    WHERE t.c = events.cursor;
  UPDATE organisations SET event_seq = coalesce((SELECT max(seq) FROM events WHERE events.org = organisations.rid), 0);
  -- A queued webhook names its event's cursor: renumber deliveries too, or a pending one
  -- would still send the old global number (0 when its event is gone: it points nowhere).
  UPDATE deliveries SET cursor = coalesce(
    (SELECT e.seq FROM events e WHERE e.org = deliveries.org AND e.cursor = deliveries.cursor), 0);
  CREATE UNIQUE INDEX events_org_seq ON events(org, seq);
  DROP INDEX events_org;
  `,
  // 6: bytes on disk per signal (docs/engine.md "Size"). See migrateToCompactSignals.
  (db) => migrateToCompactSignals(db),
  // 7: the logbook's bounded cost (docs/engine.md "Logbook"): when a key last had a reveal
  // of a match logged (one entry per key and match per window), and the checkpointed head
  // that verification starts from once old entries are purged (one row at most).
  `
  CREATE TABLE reveal_marks (
    key_id TEXT NOT NULL,
    match BLOB NOT NULL,                  -- 16-byte match UUID (never reused, unlike a rid)
    at INTEGER NOT NULL,                  -- when the logged reveal was
    PRIMARY KEY (key_id, match)
  ) WITHOUT ROWID;
  CREATE TABLE logbook_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,                 -- the newest purged entry
    at INTEGER NOT NULL,
    hash BLOB NOT NULL                    -- its hash: the prevHash of entry seq + 1
  );
  `,
  // 8: follow-up outcomes (docs/engine.md "Follow-up outcomes"): per side which outcome was
  // recorded (0 contact made, 1 already in contact, 2 no contact needed, 3 client refused);
  // contact_a/b stay the time it was recorded. Every time recorded before was contact made.
  `
  ALTER TABLE matches ADD COLUMN outcome_a INTEGER;
  ALTER TABLE matches ADD COLUMN outcome_b INTEGER;
  UPDATE matches SET outcome_a = 0 WHERE contact_a IS NOT NULL;
  UPDATE matches SET outcome_b = 0 WHERE contact_b IS NOT NULL;
  `,
  // 9: the follow-up overview pages by (created_at, id) within a status (docs/performance.md
  // "follow-up overview"): one index walk per page at 100,000 matches instead of a sort.
  `
  CREATE INDEX matches_follow_up ON matches(status, created_at, id);
  `,
  // 10: an epoch's kind (docs/protocol.md §9): 0 hmac (every epoch so far), 1 oprf, with
  // the pseudonym service's public key for an oprf epoch.
  `
  ALTER TABLE epochs ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE epochs ADD COLUMN public_key BLOB;
  `,
  // 11: people and their roles (docs/engine.md "People and roles")
  `
  CREATE TABLE people (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    org INTEGER REFERENCES organisations(rid), -- NULL: a person of the municipality
    display_name TEXT NOT NULL,
    email TEXT,
    roles INTEGER NOT NULL,               -- bit set over PERSON_ROLES (sqlite-people.ts)
    status INTEGER NOT NULL,              -- 0 active, 1 removed
    created_at INTEGER NOT NULL,
    removed_at INTEGER
  );
  CREATE INDEX people_org ON people(org);
  `,
  // 12: sign-in (docs/protocol.md §10): a person's one enrolment code (selector and hash of
  // the verifier only), passkeys, pending WebAuthn challenges and sessions
  `
  CREATE TABLE enrolment_codes (
    person INTEGER PRIMARY KEY REFERENCES people(rid),
    selector TEXT NOT NULL UNIQUE,
    verifier_hash BLOB NOT NULL,          -- SHA-256, 32 bytes (§10.1)
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE devices (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    person INTEGER NOT NULL REFERENCES people(rid),
    credential_id TEXT NOT NULL UNIQUE,   -- base64url
    public_key BLOB NOT NULL,             -- COSE
    counter INTEGER NOT NULL,
    name TEXT NOT NULL,
    transports TEXT NOT NULL,             -- comma-separated
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX devices_person ON devices(person);
  CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    purpose INTEGER NOT NULL,             -- 0 enrol, 1 sign_in, 2 add_device
    challenge TEXT NOT NULL,
    person INTEGER,
    session_key BLOB,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX challenges_expiry ON challenges(expires_at);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    person INTEGER NOT NULL REFERENCES people(rid),
    device INTEGER NOT NULL REFERENCES devices(rid),
    public_key BLOB NOT NULL,             -- Ed25519, 32 bytes
    created_at INTEGER NOT NULL,
    idle_expires_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_person ON sessions(person);
  CREATE INDEX sessions_device ON sessions(device);
  `,
  // 13: the match notice e-mail (docs/engine.md "Match notice e-mail"): an organisation's
  // opt-in, the person who placed a signal (the notice's addressee), and the persisted
  // outbox. A notice holds no address and no text: the address is read at send time.
  `
  ALTER TABLE organisations ADD COLUMN match_email INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE signals ADD COLUMN person INTEGER;   -- people.rid; NULL: placed by a key alone
  CREATE TABLE mail_outbox (
    rid INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,              -- 16-byte UUID
    person INTEGER NOT NULL REFERENCES people(rid),
    match BLOB NOT NULL,                  -- 16-byte match UUID
    status INTEGER NOT NULL,              -- 0 pending, 1 sent, 2 dropped
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    done_at INTEGER
  );
  CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
  CREATE INDEX mail_outbox_match ON mail_outbox(match);
  `,
  // 14: the one-time archive notice (docs/engine.md "Archive notice"): one row per
  // (archived signal, new signaller), kept as long as the archived signal is. A signal's
  // legal basis needs no step: it is flags bits 6-7, 0 (jeugdwet) in every older row.
  `
  CREATE TABLE archive_notices (
    archived INTEGER NOT NULL,            -- signals.rid of the archived signal
    org INTEGER NOT NULL,                 -- the new signaller's organisation
    id BLOB NOT NULL,                     -- 16-byte UUID
    signal INTEGER,                       -- the new signal; NULL once it is deleted
    at INTEGER NOT NULL,
    PRIMARY KEY (archived, org)
  ) WITHOUT ROWID;
  CREATE INDEX archive_notices_signal ON archive_notices(signal) WHERE signal IS NOT NULL;
  `,
  // 15: management information (docs/engine.md "Management information"): counters per
  // calendar month, organisation type and metric, only ever incremented. They start at
  // this step; step 16 backfills the months before it (docs/privacy.md §3a).
  `
  CREATE TABLE statistics (
    month INTEGER NOT NULL,               -- yyyymm, UTC
    org_type TEXT NOT NULL,
    metric INTEGER NOT NULL,              -- STATISTIC_METRICS index; 100 + d: a contact after d days
    value INTEGER NOT NULL,
    PRIMARY KEY (month, org_type, metric)
  ) WITHOUT ROWID;
  `,
  // 16: the management-information counters of the months before step 15, rebuilt from
  // the rows that still exist (store/statistics-backfill.ts, docs/privacy.md §3a).
  statisticsBackfillSql(SQLITE_BACKFILL),
  // 17: outbox claims (docs/engine.md "Storage contract", clause 5): the claim a webhook
  // delivery or match notice is being sent under and the end of its lease. NULL: unclaimed.
  `
  ALTER TABLE deliveries ADD COLUMN claim BLOB;            -- 16-byte UUID of the claim
  ALTER TABLE deliveries ADD COLUMN claimed_until INTEGER;
  ALTER TABLE mail_outbox ADD COLUMN claim BLOB;
  ALTER TABLE mail_outbox ADD COLUMN claimed_until INTEGER;
  `,
];

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
function migrateToCompactSignals(db: Database.Database): void {
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

export const SCHEMA_VERSION = MIGRATIONS.length;

export function applyMigration(db: Database.Database, step: Migration): void {
  if (typeof step === 'string') db.exec(step);
  else step(db);
}

/**
 * Brings the schema to SCHEMA_VERSION in one transaction per step. Epoch 1 is
 * registered active when the database is created (`now`).
 */
export function migrate(db: Database.Database, now: number): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).get() as { n: number };
    if (appId !== 0 || version !== 0 || tables.n > 0) {
      throw new EngineError('database_corrupt', 'the database file is corrupt or not a sluis database');
    }
  }
  if (version > SCHEMA_VERSION) {
    throw new EngineError('schema_too_new', 'the database was written by a newer sluis version');
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      applyMigration(db, MIGRATIONS[v]!);
      if (v === 0) {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.prepare(`INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, ?)`).run(now);
      }
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
