// The SQLite schema steps, in order: step n brings PRAGMA user_version from n-1 to n.
// Forward-only and never edited once released (a database that ran a step keeps its
// result); ../migrations.ts runs them. Sizes matter (≤300 bytes on disk per signal at
// millions of signals, docs/engine.md): ids are 16-byte blobs, stored pseudonyms 32-byte
// blobs in one WITHOUT ROWID b-tree, and there is no index the domain does not query.

import type Database from 'better-sqlite3';
import { PARENT_HOLDS_BACKFILL } from '../../parent-holds-backfill.js';
import { SQLITE_BACKFILL, statisticsBackfillSql } from '../../statistics-backfill.js';
import { migrateToCompactSignals } from './compact-signals.js';
import { FIRST_SCHEMA } from './first-schema.js';

/** One schema step: SQL, or a function for a step that must compute in JavaScript. */
export type Migration = string | ((db: Database.Database) => void);

/** Each step, SQL or a function, in order (exported so tests can build a database at an older version). */
export const MIGRATIONS: readonly Migration[] = [
  // 1: the first schema
  FIRST_SCHEMA,
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
  // 18: the persisted replay nonces keyed by expiry (docs/engine.md "Nonces"): the table only
  // carries nonces across a restart (the in-memory cache refuses replays), so it needs no
  // lookup by (key id, nonce). New rows land among the last seconds of expiries and expired
  // ones leave from the left edge: one b-tree instead of a random-keyed one plus an expiry
  // index (docs/performance.md "Twelfth pass: the persisted nonces keyed by expiry").
  `
  CREATE TABLE nonces_by_expiry (
    expires_at INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    PRIMARY KEY (expires_at, key_id, nonce)
  ) WITHOUT ROWID;
  INSERT INTO nonces_by_expiry (expires_at, key_id, nonce)
    SELECT expires_at, key_id, nonce FROM nonces ORDER BY expires_at, key_id, nonce;
  DROP TABLE nonces;
  ALTER TABLE nonces_by_expiry RENAME TO nonces;
  `,
  // 19: a professional's signals by holder (docs/api.md "Need to know"): their list and the
  // inbox's join from their signals to their matches seek (org, person) instead of reading
  // every signal of the organisation. Partial: a signal placed by a key alone (the batch
  // path, a case system) has no person and no entry, so it pays nothing on disk or on insert
  // (docs/performance.md "The holder's index"). The implied rowid gives the list its order.
  `
  CREATE INDEX signals_person ON signals(org, person) WHERE person IS NOT NULL;
  `,
  // 20: the check value of each server-secret generation (docs/keys.md §2.2 "Check values"),
  // recorded by the first instance that holds it: an instance or a data directory whose key
  // file differs is refused at start.
  `
  CREATE TABLE secret_checks (
    generation INTEGER PRIMARY KEY,
    check_value BLOB NOT NULL,            -- HMAC-SHA-256 under the generation's secret, 32 bytes
    recorded_at INTEGER NOT NULL
  );
  `,
  // 21: removal clears a person's e-mail address (domain/people.ts); a person removed by a
  // version before that rule still holds theirs. Cleared here, once, for every removed
  // person (status 1); nobody else's row changes (docs/privacy.md §4, docs/operations.md "Upgrade").
  `
  UPDATE people SET email = NULL WHERE status = 1 AND email IS NOT NULL;
  `,
  // 22: the hold of a parent link (docs/engine.md "GDPR requests (municipality only)"): bit 0
  // the parent is restricted (art. 18), bit 1 under a pending objection (art. 21); 0 on every
  // subject row. A column with a constant default: SQLite rewrites no row (docs/operations.md "Upgrade").
  `
  ALTER TABLE signal_pseudonyms ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
  `,
  // 23: the parent links of people restricted or under a pending objection before step 22
  // are held as the desk's request holds them (parent-holds-backfill.ts, docs/operations.md "Upgrade").
  PARENT_HOLDS_BACKFILL,
  // 24: handing one signal over (docs/engine.md "Handover requests"): a placement answered
  // `existing` to a person who does not hold the signal, kept a day, and the requests to be
  // handed it that person made, open until declined, transferred, ended or the person removed.
  // Both go with their signal when it is deleted (ON DELETE CASCADE: no statement of its own).
  `
  CREATE TABLE placement_refusals (
    org INTEGER NOT NULL REFERENCES organisations(rid),
    request_id BLOB NOT NULL,             -- 16-byte UUID of the placement
    person INTEGER NOT NULL REFERENCES people(rid),
    signal INTEGER NOT NULL REFERENCES signals(rid) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    PRIMARY KEY (org, request_id)
  ) WITHOUT ROWID;
  CREATE INDEX placement_refusals_at ON placement_refusals(at);
  CREATE INDEX placement_refusals_signal ON placement_refusals(signal);
  CREATE INDEX placement_refusals_person ON placement_refusals(person);
  CREATE TABLE handover_requests (
    rid INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,              -- 16-byte UUID
    org INTEGER NOT NULL REFERENCES organisations(rid),
    signal INTEGER NOT NULL REFERENCES signals(rid) ON DELETE CASCADE,
    person INTEGER NOT NULL REFERENCES people(rid),
    requested_at INTEGER NOT NULL,
    UNIQUE (signal, person)
  );
  CREATE INDEX handover_requests_org ON handover_requests(org);
  CREATE INDEX handover_requests_person ON handover_requests(person);
  `,
  // 25: nothing changes in the tables. The logbook codec's words 105–107 (logbook-words.ts
  // LONG_WORDS_AT_SCHEMA), which a version before them reads as `database_corrupt`: with this
  // step such a version refuses the database at its start (`schema_too_new`), so the rule "go
  // back in place only while no newer migration ran" holds for them (docs/operations.md "Upgrade").
  () => {},
  // 26: nothing changes in the tables either: words 108–114 (the archive notice, passkey,
  // enrolment code and session actions), for the same reason as step 25.
  () => {},
  // 27: a declined handover request, kept for its asker to be told (docs/engine.md "Handover
  // requests"): when they asked and when it was declined — no signal. Gone after its term
  // (retention's housekeeping) or with its person.
  `
  CREATE TABLE handover_declines (
    rid INTEGER PRIMARY KEY,
    org INTEGER NOT NULL REFERENCES organisations(rid),
    person INTEGER NOT NULL REFERENCES people(rid),
    requested_at INTEGER NOT NULL,
    declined_at INTEGER NOT NULL
  );
  CREATE INDEX handover_declines_person ON handover_declines(person, declined_at);
  CREATE INDEX handover_declines_at ON handover_declines(declined_at);
  `,
  // 28: nothing changes in the tables: word 115 (`signal.found`, a placement answered
  // `existing`), for the same reason as step 25.
  () => {},
  // 29 (the step "logbook_key_actions"): the logbook's webhook key additions and retirements,
  // read at every start (domain/key-activity.ts, docs/keys.md §4.5 "Copies that miss a
  // change"), found without reading every entry: a partial index holding only those entries,
  // in each storage form the action has (TEXT before the codec, the codec's words 31 and 33),
  // so a placement's entry adds no index insert. sqlite-bookkeeping.ts `logEntriesWithAction`
  // repeats the predicate word for word (SQLite uses a partial index only then). Building it
  // reads the logbook once (docs/operations.md "Upgrade").
  `
  CREATE INDEX logbook_key_actions ON logbook(seq)
    WHERE action IN ('webhook_key.added', 'webhook_key.retired', X'011f1f', X'011f21');
  `,
  // 30: the GDPR access requests that found a signal (docs/leakage.md §3.5, docs/privacy.md
  // art. 15): when, and the role the access report lists — the link from a citizen's signals
  // to their earlier requests, which the `gdpr.access` entry no longer holds. Goes with its
  // signal (ON DELETE CASCADE: an erasure removes it) and with the logbook's purge. Entries
  // written before it keep their signal ids and are read as before (docs/operations.md "Upgrade").
  `
  CREATE TABLE access_requests (
    rid INTEGER PRIMARY KEY,
    signal INTEGER NOT NULL REFERENCES signals(rid) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    role TEXT NOT NULL
  );
  CREATE INDEX access_requests_signal ON access_requests(signal);
  CREATE INDEX access_requests_at ON access_requests(at);
  `,
  // 31: two reads that scanned a table (docs/engine.md "The model", docs/operations.md
  // "Upgrade"). Retention's removed people past the logbook term (sqlite-people.ts
  // REMOVED_PEOPLE_SQL) seek the removed people by removal time, so only the due ones are read:
  // partial, only removed people (status 1), so an active person's row pays nothing.
  // Deleting such a person deletes their mail notices by person, and the foreign key from
  // mail_outbox checks the same column when their people row goes. (An organisation's own list
  // without a status filter needs no index of its own: it merges signals_org's walks of each
  // state in rid order, sqlite-signals.ts listSignalsSql.)
  `
  CREATE INDEX people_removed ON people(removed_at) WHERE status = 1;
  CREATE INDEX mail_outbox_person ON mail_outbox(person);
  `,
  // 32: an erasure deletes the erased matches' reveal marks in its own write (docs/privacy.md
  // §2 art. 17, sqlite-bookkeeping.ts deleteRevealMarksOfMatch): by match, which the primary
  // key (key_id, match) cannot seek, so without this index each erased match read the table.
  // While the retention job runs the table holds a day of marks at most (docs/operations.md
  // "Upgrade": not so with --retention-interval 0); building it reads them once.
  `
  CREATE INDEX reveal_marks_match ON reveal_marks(match);
  `,
];
