// Migrations 13 to 21 on databases that hold data (5 to 11: migrations.test.ts), each file
// made by the real SQL of the steps before (migrations.test-util.ts) and opened with the real
// store: what each step keeps, fills in or clears, and that nothing else changes.

import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import { SCHEMA_VERSION } from './migrations.js';
import {
  HOLDER_EVENTS_SQL,
  HOLDER_EVENTS_WALK_SQL,
  HOLDER_SIGNALS_SQL,
  holderSignalsBound,
} from './sqlite-events.js';
import { listSignalsSql } from './sqlite-signals.js';
import { openSqliteStore } from './sqlite-store.js';
import { CREATED_AT, databaseAt } from './migrations.test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 13 on a v12 database with an organisation', () => {
  it('adds the opt-in (off for every organisation), the placing person and an empty mail outbox', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(13);
    const path = join(dir, 'v12.sqlite');
    const db = databaseAt(path, 12);
    const orgId = randomUUID();
    db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (1, ?, ?, ?, 0, NULL, 100, ?)',
    ).run(orgId, 'Organisatie 1', 'youth_care', CREATED_AT);
    db.close();
    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      expect((await store.read((tx) => tx.getOrganisation(orgId)))?.matchEmail).toBe(false);
      await store.write((tx) => tx.updateOrganisation(1, { matchEmail: true }));
      expect((await store.read((tx) => tx.getOrganisation(orgId)))?.matchEmail).toBe(true);
      expect(await store.read((tx) => tx.listMailNotices(undefined, 10))).toEqual([]);
    } finally {
      await store.close();
    }
    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const cols = (check.prepare('PRAGMA table_info(signals)').all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(cols).toContain('person');
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  });
});

describe('migration 18 on a v17 database with persisted nonces', () => {
  it('keeps every nonce keyed by expiry, so a restart still refuses the unexpired ones', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(18);
    const path = join(dir, 'v17.sqlite');
    const db = databaseAt(path, 17);
    const now = CREATED_AT + 60_000;
    const insert = db.prepare('INSERT INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)');
    // Live ones of two keys (one nonce under both), and one already expired.
    insert.run('key-a', 'n-1', now + 300_000);
    insert.run('key-a', 'n-2', now + 1_000);
    insert.run('key-b', 'n-1', now + 299_000);
    insert.run('key-b', 'n-old', now - 1);
    db.close();

    // Migrated as they were, expiries included.
    await openSqliteStore({ path, clock: () => now }).close();
    const migrated = new Database(path, { readonly: true });
    try {
      expect(migrated.prepare('SELECT expires_at, key_id, nonce FROM nonces').all()).toEqual([
        { expires_at: now - 1, key_id: 'key-b', nonce: 'n-old' },
        { expires_at: now + 1_000, key_id: 'key-a', nonce: 'n-2' },
        { expires_at: now + 299_000, key_id: 'key-b', nonce: 'n-1' },
        { expires_at: now + 300_000, key_id: 'key-a', nonce: 'n-1' },
      ]);
    } finally {
      migrated.close();
    }

    const store = openSqliteStore({ path, clock: () => now });
    try {
      expect(await store.claimNonce('key-a', 'n-1', now + 300_000, now)).toBe(false);
      expect(await store.claimNonce('key-a', 'n-2', now + 300_000, now)).toBe(false);
      expect(await store.claimNonce('key-b', 'n-1', now + 300_000, now)).toBe(false);
      expect(await store.claimNonce('key-b', 'n-old', now + 300_000, now)).toBe(true);
      expect(await store.claimNonce('key-b', 'n-2', now + 300_000, now)).toBe(true);
    } finally {
      await store.close(); // persists the two new claims
    }

    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      // One b-tree keyed by expiry first, and no other index on the table.
      const key = (
        check.prepare('PRAGMA index_info(sqlite_autoindex_nonces_1)').all() as { name: string }[]
      ).map((c) => c.name);
      expect(key).toEqual(['expires_at', 'key_id', 'nonce']);
      const indexes = (check.prepare('PRAGMA index_list(nonces)').all() as { name: string }[]).map(
        (i) => i.name,
      );
      expect(indexes).toEqual(['sqlite_autoindex_nonces_1']);
      const rows = check
        .prepare('SELECT key_id, nonce FROM nonces WHERE expires_at > ? ORDER BY key_id, nonce')
        .all(now);
      expect(rows).toEqual([
        { key_id: 'key-a', nonce: 'n-1' },
        { key_id: 'key-a', nonce: 'n-2' },
        { key_id: 'key-b', nonce: 'n-1' },
        { key_id: 'key-b', nonce: 'n-2' },
        { key_id: 'key-b', nonce: 'n-old' },
      ]);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  });
});

describe('migration 19 on a v18 database with signals of people and of a key alone', () => {
  it('indexes only the signals that name a person; every holder read walks that index and answers as before', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(19);
    const path = join(dir, 'v18.sqlite');
    const db = databaseAt(path, 18);
    const insertOrg = db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (?, ?, ?, ?, 0, NULL, 100, ?)',
    );
    insertOrg.run(1, randomUUID(), 'Organisatie 1', 'youth_care', CREATED_AT);
    insertOrg.run(2, randomUUID(), 'Organisatie 2', 'school', CREATED_AT);
    for (const org of [1, 2])
      db.prepare(`INSERT INTO contacts (rid, org, body, refs) VALUES (?, ?, '["A","B",null,null]', 1)`).run(
        org,
        org,
      );
    const insertPerson = db.prepare(
      'INSERT INTO people (rid, id, org, display_name, email, roles, status, created_at) VALUES (?, ?, 1, ?, NULL, 1, 0, ?)',
    );
    for (const p of [1, 2, 3, 4, 5]) insertPerson.run(p, randomUUID(), `Persoon ${p}`, CREATED_AT);
    // Organisation 1: 2,000 signals, one in three placed by its key alone (no person), the
    // others held by people 1–5; one in seven ended. Organisation 2: 500 by its key, each
    // matching one of organisation 1's, with an event in organisation 1's inbox.
    const personOf = (rid: number) => (rid > 2000 || rid % 3 === 0 ? null : 1 + (rid % 5));
    const stateOf = (rid: number) => (rid % 7 === 0 ? 1 : 0);
    const insertSignal = db.prepare(
      `INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash, person)
       VALUES (?, ?, ?, ?, 0, ?, 3, ?, ?, ?, ?, ?)`,
    );
    const insertMatch = db.prepare(
      'INSERT INTO matches (rid, id, kind, status, a, b, created_at) VALUES (?, ?, 0, 0, ?, ?, ?)',
    );
    const insertEvent = db.prepare('INSERT INTO events (org, seq, type, match, at) VALUES (1, ?, 0, ?, ?)');
    const matchIds: string[] = [];
    db.transaction(() => {
      for (let rid = 1; rid <= 2500; rid++) {
        const org = rid > 2000 ? 2 : 1;
        insertSignal.run(
          rid,
          uuidToBytes(randomUUID())!,
          org,
          stateOf(rid),
          org,
          CREATED_AT + rid,
          CREATED_AT + 10 ** 9,
          uuidToBytes(randomUUID())!,
          Buffer.alloc(8, rid % 256),
          personOf(rid),
        );
      }
      for (let j = 1; j <= 500; j++) {
        const id = randomUUID();
        matchIds.push(id);
        insertMatch.run(j, uuidToBytes(id)!, 4 * j, 2000 + j, CREATED_AT + j);
        insertEvent.run(j, uuidToBytes(id)!, CREATED_AT + j);
      }
    })();
    db.prepare('UPDATE organisations SET event_seq = 500 WHERE rid = 1').run();
    const before = db.prepare('SELECT * FROM signals ORDER BY rid').all();
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      const rids = (rows: { rid: number }[]) => rows.map((r) => r.rid);
      for (const person of [1, 2, 3, 4, 5]) {
        const held = Array.from({ length: 2000 }, (_, i) => i + 1).filter((rid) => personOf(rid) === person);
        for (const status of [undefined, 'active', 'inactive'] as const) {
          const want = held.filter(
            (rid) => status === undefined || (stateOf(rid) === 0) === (status === 'active'),
          );
          const page = await store.read((tx) =>
            tx.listSignals(1, status && { status, at: 0 }, 0, 100, person),
          );
          expect(rids(page)).toEqual(want.slice(0, 100));
          expect(page.every((s) => s.personRid === person && s.contact.name === 'A')).toBe(true);
          const next = await store.read((tx) =>
            tx.listSignals(1, status && { status, at: 0 }, want[99]!, 1000, person),
          );
          expect(rids(next)).toEqual(want.slice(100));
        }
        // The inbox of a holder: the events of the matches of signals 4j that they hold. Each
        // holds ≈ 267 signals, more than the bound for 500 events, so the store walks
        // (HOLDER_EVENTS_WALK_SQL); the conformance suite's holders of one or two take the other shape.
        expect(held.length).toBeGreaterThan(holderSignalsBound(500));
        const events = await store.read((tx) => tx.eventsAfter(1, 0, 1000, person));
        const wantEvents = matchIds.filter((_, i) => personOf(4 * (i + 1)) === person);
        expect(events.map((e) => e.matchId)).toEqual(wantEvents);
        expect(wantEvents.length).toBeGreaterThan(0);
      }
      // The organisation-wide list is untouched: it includes the key's own signals.
      expect(await store.read((tx) => tx.listSignals(1, undefined, 0, 3000))).toHaveLength(2000);
    } finally {
      await store.close();
    }

    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('SELECT * FROM signals ORDER BY rid').all()).toEqual(before);
      const key = (check.prepare('PRAGMA index_info(signals_person)').all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(key).toEqual(['org', 'person']);
      // Partial: an entry per signal that names a person, none for the key's own signals.
      const entries = check
        .prepare(`SELECT sum(ncell) AS n FROM dbstat WHERE name = 'signals_person'`)
        .get() as { n: number };
      const held = check.prepare('SELECT count(*) AS n FROM signals WHERE person IS NOT NULL').get() as {
        n: number;
      };
      expect(held.n).toBe(1334);
      expect(entries.n).toBe(held.n);

      const plan = (sql: string, args: unknown[]) =>
        (check.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map(
          (r) => r.detail,
        );
      // A holder's list, in every status: one ordered walk of the index, no sort.
      for (const status of [undefined, 'active', 'inactive'] as const)
        expect(
          plan(listSignalsSql(status, true), status ? [1, Date.now(), 2, 0, 101] : [1, 2, 0, 101]),
          String(status),
        ).toEqual([
          'SEARCH signals USING INDEX signals_person (org=? AND person=? AND rowid>?)',
          expect.stringMatching(/^CORRELATED SCALAR SUBQUERY \d+$/),
          'SEARCH contacts USING INTEGER PRIMARY KEY (rowid=?)',
        ]);
      // Newest first (API 1.9.0): the same walk backwards, from the last row or before a cursor.
      for (const status of [undefined, 'active', 'inactive'] as const)
        for (const fromLast of [true, false]) {
          const args = [1, ...(status ? [Date.now()] : []), 2, ...(fromLast ? [] : [500]), 101];
          expect(plan(listSignalsSql(status, true, 'newest', fromLast), args), String(status)).toEqual([
            `SEARCH signals USING INDEX signals_person (org=? AND person=?${fromLast ? '' : ' AND rowid<?'})`,
            expect.stringMatching(/^CORRELATED SCALAR SUBQUERY \d+$/),
            'SEARCH contacts USING INTEGER PRIMARY KEY (rowid=?)',
          ]);
        }
      // The organisation-wide list keeps signals_org (the partial index lacks the key's signals).
      expect(plan(listSignalsSql('active', false), [1, Date.now(), 0, 101])[0]).toBe(
        'SEARCH signals USING INDEX signals_org (org=? AND state=? AND rowid>?)',
      );
      expect(plan(listSignalsSql('active', false, 'newest', false), [1, Date.now(), 500, 101])).toEqual([
        'SEARCH signals USING INDEX signals_org (org=? AND state=? AND rowid<?)',
        expect.stringMatching(/^CORRELATED SCALAR SUBQUERY \d+$/),
        'SEARCH contacts USING INTEGER PRIMARY KEY (rowid=?)',
      ]);
      // The inbox's holder join reads the holder's signals from the index alone; one shape
      // then reads their matches' events by events_match and sorts them, the other walks the
      // organisation's events after the cursor (docs/performance.md "The holder's inbox").
      const holderJoin = [
        expect.stringMatching(/^LIST SUBQUERY \d+$/),
        'SEARCH s USING COVERING INDEX signals_person (org=? AND person=?)',
        'MULTI-INDEX OR',
        'INDEX 1',
        'SEARCH m USING INDEX matches_pair (a=?)',
        'INDEX 2',
        'SEARCH m USING INDEX matches_b (b=?)',
      ];
      expect(plan(HOLDER_EVENTS_SQL, [1, 0, 1, 2, 101])).toEqual([
        'SEARCH events USING INDEX events_match (match=?)',
        ...holderJoin,
        'USE TEMP B-TREE FOR ORDER BY',
      ]);
      expect(plan(HOLDER_EVENTS_WALK_SQL, [1, 0, 1, 2, 101])).toEqual([
        'SEARCH events USING INDEX events_org_seq (org=? AND seq>?)',
        ...holderJoin,
        'CREATE BLOOM FILTER',
      ]);
      expect(plan(HOLDER_SIGNALS_SQL, [1, 2, 90])).toEqual([
        'CO-ROUTINE (subquery-1)',
        'SEARCH signals USING COVERING INDEX signals_person (org=? AND person=?)',
        'SCAN (subquery-1)',
      ]);
      // Both shapes give the same page, from the start and after a cursor.
      const cols = (rows: unknown[]) => (rows as { match: Buffer }[]).map((r) => uuidFromBytes(r.match));
      for (const person of [1, 2, 3, 4, 5])
        for (const after of [0, 250]) {
          const want = matchIds.filter((_, i) => i + 1 > after && personOf(4 * (i + 1)) === person);
          for (const sql of [HOLDER_EVENTS_SQL, HOLDER_EVENTS_WALK_SQL]) {
            expect(cols(check.prepare(sql).all(1, after, 1, person, 1000))).toEqual(want);
            expect(cols(check.prepare(sql).all(1, after, 1, person, 10))).toEqual(want.slice(0, 10));
          }
        }
    } finally {
      check.close();
    }
  });
});

describe('migration 21 on a v20 database with people removed before removal cleared the e-mail', () => {
  it('clears the e-mail address of every removed person, in the file and the WAL; nobody else’s row changes', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(21);
    const path = join(dir, 'v20.sqlite');
    const db = databaseAt(path, 20);
    db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (1, ?, ?, ?, 0, NULL, 100, ?)',
    ).run(randomUUID(), 'Organisatie 1', 'youth_care', CREATED_AT);
    // [org, e-mail, status, removed_at]: removed professionals and a removed person of the
    // municipality with an address (the rows to clear), a removed one without, and people
    // still active (their addresses stay).
    const people: [number | null, string | null, number, number | null][] = [
      [1, 'vertrokken.een@jeugdzorg.example.nl', 1, CREATED_AT + 5],
      [1, 'vertrokken.twee@jeugdzorg.example.nl', 1, CREATED_AT + 6],
      [null, 'oud.loket@gemeente.example.nl', 1, CREATED_AT + 7],
      [1, null, 1, CREATED_AT + 8],
      [1, 'actief.hulpverlener@jeugdzorg.example.nl', 0, null],
      [null, 'actief.loket@gemeente.example.nl', 0, null],
    ];
    const insertPerson = db.prepare(
      'INSERT INTO people (rid, id, org, display_name, email, roles, status, created_at, removed_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)',
    );
    const ids = people.map(([org, email, status, removedAt], i) => {
      const id = randomUUID();
      insertPerson.run(i + 1, id, org, `Persoon ${i + 1}`, email, status, CREATED_AT, removedAt);
      return id;
    });
    const before = db.prepare('SELECT * FROM people ORDER BY rid').all() as Record<string, unknown>[];
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      for (const [i, [, email, status]] of people.entries()) {
        const p = await store.read((tx) => tx.getPerson(ids[i]!));
        expect(p?.email, `person ${i + 1}`).toBe(status === 1 ? null : email);
        expect(p?.status).toBe(status === 1 ? 'removed' : 'active');
      }
    } finally {
      await store.close();
    }

    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('SELECT * FROM people ORDER BY rid').all()).toEqual(
        before.map((r) => (r.status === 1 ? { ...r, email: null } : r)),
      );
    } finally {
      check.close();
    }
    // The cleared addresses are gone from every byte of the store (secure_delete, and the
    // checkpoint at open empties the WAL); an active person's address is there (the control).
    const files = [path, `${path}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    const held = (text: string) => files.some((b) => b.includes(Buffer.from(text)));
    for (const [, email, status] of people) if (email !== null) expect(held(email), email).toBe(status === 0);
  });

  it('a database at step 21 migrates on: every parent link free, and holdable', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(22);
    const path = join(dir, 'v21.sqlite');
    const db = databaseAt(path, 21);
    db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (1, ?, ?, ?, 0, NULL, 100, ?)',
    ).run(randomUUID(), 'Organisatie 1', 'youth_care', CREATED_AT);
    db.prepare(`INSERT INTO contacts (rid, org, body, refs) VALUES (1, 1, '["A","B",null,null]', 2)`).run();
    // Two children (values 1 and 2) with one parent (value 9), flags: has parents (bit 1).
    const value = (n: number) => Buffer.alloc(32, n);
    for (const [rid, child] of [
      [1, 1],
      [2, 2],
    ] as const) {
      db.prepare(
        `INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash, pfx)
         VALUES (?, ?, 1, 0, 2, 1, 3, ?, ?, ?, ?, ?)`,
      ).run(
        rid,
        uuidToBytes(randomUUID())!,
        CREATED_AT,
        CREATED_AT + 1e9,
        randomUUID(),
        Buffer.alloc(16, rid),
        Buffer.concat([value(child).subarray(0, 8), value(9).subarray(0, 8)]),
      );
      const insert = db.prepare(
        'INSERT INTO signal_pseudonyms (stored, signal, role, epoch, generation) VALUES (?, ?, ?, 1, 1)',
      );
      insert.run(value(child), rid, 0);
      insert.run(value(9), rid, 1);
    }
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      for (const rid of [1, 2]) {
        const rows = await store.read((tx) => tx.pseudonymsOf(rid));
        expect(rows.map((r) => [r.role, r.held])).toEqual([
          ['subject', undefined],
          ['parent', undefined],
        ]);
      }
      expect(await store.read((tx) => tx.heldParentLinks([value(9)]))).toEqual([]);
      expect(await store.write((tx) => tx.holdParentLinks([value(9)], 1, true))).toEqual([1, 2]);
    } finally {
      await store.close();
    }
    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  });
});
