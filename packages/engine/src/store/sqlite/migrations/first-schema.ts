// Step 1 of the SQLite schema: the tables as first released. Later steps change them
// (./steps.ts); this text never changes, or databases created from it would differ.

/** Step 1: the first schema. */
export const FIRST_SCHEMA = `
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
  `;
