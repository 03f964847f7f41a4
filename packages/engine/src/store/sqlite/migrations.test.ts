// Migrations 5 to 11 on databases that hold data (the later steps: the other
// migrations-*.test.ts, a file a subject), each file made by the real SQL of the steps before
// (migrations.test-util.ts). Migration 5, on inbox events: a v4 file with events of several
// organisations interleaved, gaps in the global cursor (retention deletes old events) and
// times that do not follow the cursor.
// Opened with the real store, every organisation's events must be numbered 1..n in the
// order of their old global cursor, its counter must stand at n, and the next event it is
// given through the store must be n + 1 — so no inbox cursor a client holds jumps back.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { InboxEventType } from '../../api.js';
import { uuidToBytes } from '../../ids.js';
import { EVENT_TYPES } from './codec.js';
import { SCHEMA_VERSION } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';
import { CREATED_AT, databaseAt } from './migrations.test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface OldEvent {
  readonly cursor: number;
  readonly org: number;
  readonly type: InboxEventType;
  readonly matchId: string;
  readonly at: number;
}

describe('migration 5 on a v4 database with inbox events', () => {
  it('numbers each organisation’s events 1..n in cursor order and continues at n + 1', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(5);
    const path = join(dir, 'v4.sqlite');
    const db = databaseAt(path, 4);
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const eventColumns = (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(eventColumns).not.toContain('seq');

    // Four organisations; the fourth never had an event.
    const orgs = [1, 2, 3, 4];
    const insertOrg = db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (?, ?, ?, ?, 0, NULL, 100, ?)',
    );
    for (const rid of orgs) insertOrg.run(rid, randomUUID(), `Organisatie ${rid}`, 'youth_care', CREATED_AT);

    // Interleaved events with gaps in the cursor, inserted out of cursor order, and times
    // that run against the cursor: the numbering must follow the cursor and nothing else.
    const owners = [1, 2, 1, 3, 1, 1, 2, 3, 3, 1, 2, 1, 3, 2, 2, 1, 3, 1, 2, 1];
    const old: OldEvent[] = owners.map((org, i) => ({
      cursor: 4 * i + 5 + (i % 3),
      org,
      type: EVENT_TYPES[i % EVENT_TYPES.length]!,
      matchId: randomUUID(),
      at: CREATED_AT + ((i * 7919) % 23) * 1000,
    }));
    const insertEvent = db.prepare(
      'INSERT INTO events (cursor, org, type, match, at) VALUES (?, ?, ?, ?, ?)',
    );
    for (const e of [...old].reverse()) {
      insertEvent.run(e.cursor, e.org, EVENT_TYPES.indexOf(e.type), uuidToBytes(e.matchId)!, e.at);
    }
    // Webhook deliveries queued under the old global cursor: two pending for organisation 1
    // (its 2nd and 5th event) and one whose event retention already removed.
    const ofOrg1 = old.filter((e) => e.org === 1).sort((a, b) => a.cursor - b.cursor);
    const insertDelivery = db.prepare(
      `INSERT INTO deliveries (id, org, url, type, match, cursor, status, attempts, next_attempt_at, created_at)
       VALUES (?, 1, 'https://a.example.nl/hook', 0, ?, ?, 0, 0, ?, ?)`,
    );
    for (const [e, cursor] of [
      [ofOrg1[1]!, ofOrg1[1]!.cursor],
      [ofOrg1[4]!, ofOrg1[4]!.cursor],
      [ofOrg1[0]!, 1],
    ] as const) {
      insertDelivery.run(uuidToBytes(randomUUID())!, uuidToBytes(e.matchId)!, cursor, CREATED_AT, CREATED_AT);
    }
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      for (const rid of orgs) {
        const mine = old.filter((e) => e.org === rid).sort((a, b) => a.cursor - b.cursor);
        const listed = await store.read((tx) => tx.eventsAfter(rid, 0, 1000));
        expect(listed).toEqual(
          mine.map((e, i) => ({
            cursor: i + 1,
            organisationRid: rid,
            type: e.type,
            matchId: e.matchId,
            at: e.at,
          })),
        );
        // Resuming from any of the new cursors gives exactly the rest.
        const fromSecond = await store.read((tx) => tx.eventsAfter(rid, 1, 1000));
        expect(fromSecond.map((e) => e.cursor)).toEqual(mine.slice(1).map((_, i) => i + 2));
      }
    } finally {
      await store.close();
    }

    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      // Pending deliveries now name the organisation's own cursor (0: their event is gone).
      const cursors = check.prepare('SELECT cursor FROM deliveries ORDER BY rid').all();
      expect(cursors).toEqual([{ cursor: 2 }, { cursor: 5 }, { cursor: 0 }]);
      const counters = check.prepare('SELECT rid, event_seq FROM organisations ORDER BY rid').all();
      expect(counters).toEqual(
        orgs.map((rid) => ({ rid, event_seq: old.filter((e) => e.org === rid).length })),
      );
    } finally {
      check.close();
    }

    // The next event of each organisation continues its own numbering.
    const reopened = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      for (const rid of orgs) {
        const n = old.filter((e) => e.org === rid).length;
        const matchId = randomUUID();
        const cursor = await reopened.write((tx) =>
          tx.appendEvent({ organisationRid: rid, type: 'match.created', matchId, at: CREATED_AT + 60_000 }),
        );
        expect(cursor).toBe(n + 1);
        const next = await reopened.read((tx) => tx.eventsAfter(rid, n, 10));
        expect(next).toEqual([
          { cursor: n + 1, organisationRid: rid, type: 'match.created', matchId, at: CREATED_AT + 60_000 },
        ]);
      }
    } finally {
      await reopened.close();
    }
  });
});

describe('migration 6 on a v5 database with signals, pseudonyms and consents', () => {
  it('moves contacts to a counted table and pseudonym lookups to prefixes, losing nothing', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(6);
    const path = join(dir, 'v5.sqlite');
    const db = databaseAt(path, 5);
    const insertOrg = db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (?, ?, ?, ?, 0, NULL, 100, ?)',
    );
    for (const rid of [1, 2])
      insertOrg.run(rid, randomUUID(), `Organisatie ${rid}`, 'youth_care', CREATED_AT);
    // Six signals: two contacts of organisation 1 (one on three signals), the same contact
    // text at organisation 2 (its own row), and a signal without pseudonyms.
    const shared = '["J. de Vries","jeugdconsulent",null,"j@example.nl"]';
    const contacts = [shared, shared, '["K. Jansen","wijkagent","+31 10 7654321"]', shared, shared, shared];
    const orgOf = [1, 1, 1, 1, 2, 2];
    const ids = contacts.map(() => randomUUID());
    const insertSignal = db.prepare(
      `INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash)
       VALUES (?, ?, ?, 0, 0, ?, 3, ?, ?, ?, ?)`,
    );
    contacts.forEach((c, i) => {
      insertSignal.run(
        i + 1,
        uuidToBytes(ids[i]!)!,
        orgOf[i],
        c,
        CREATED_AT,
        CREATED_AT + 1,
        uuidToBytes(randomUUID())!,
        Buffer.alloc(16, i),
      );
    });
    // Pseudonyms: signal 1 under two epochs and with a parent; signals 2 and 3 share a
    // value's first 8 bytes; signal 4 has none; the parent value of 1 is 5's subject.
    const v = (head: number, tail: number) => Buffer.concat([Buffer.alloc(8, head), Buffer.alloc(24, tail)]);
    const rows: [Buffer, number, number, number][] = [
      [v(1, 1), 1, 0, 1],
      [v(2, 1), 1, 0, 2],
      [v(3, 1), 1, 1, 1],
      [v(7, 2), 2, 0, 1],
      [v(7, 3), 3, 0, 1],
      [v(3, 1), 5, 0, 1],
      [v(6, 6), 6, 0, 1],
    ];
    const insertPseudonym = db.prepare(
      'INSERT INTO signal_pseudonyms (stored, signal, role, epoch, generation) VALUES (?, ?, ?, ?, 1)',
    );
    for (const [stored, signal, role, epoch] of rows) insertPseudonym.run(stored, signal, role, epoch);
    db.prepare(
      `INSERT INTO signal_consents (signal, given_on, scopes, recorded_at) VALUES (6, '2026-01-05', 'care_plan', ?)`,
    ).run(CREATED_AT);
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      for (let i = 0; i < ids.length; i++) {
        const s = await store.read((tx) => tx.getSignal(ids[i]!));
        expect(s?.rid).toBe(i + 1);
        expect(s?.contact.name).toBe(JSON.parse(contacts[i]!)[0]);
        const mine = rows
          .filter((r) => r[1] === i + 1)
          .map(([stored, , role, epoch]) => `${stored.toString('hex')}/${role}/${epoch}`)
          .sort();
        const found = (await store.read((tx) => tx.pseudonymsOf(i + 1)))
          .map((p) => `${Buffer.from(p.stored).toString('hex')}/${p.role === 'subject' ? 0 : 1}/${p.epoch}`)
          .sort();
        expect(found).toEqual(mine);
      }
      // Deleting the signals of a contact removes its row with the last one, and with it
      // the signals' pseudonyms and consent; what other signals hold stays.
      await store.write(async (tx) => {
        await tx.deleteSignal(5);
        await tx.deleteSignal(6);
      });
      expect(
        (await store.read((tx) => tx.findSignalsByStored([v(3, 1)], 'parent'))).map((s) => s.rid),
      ).toEqual([1]);
      expect(await store.read((tx) => tx.findSignalsByStored([v(6, 6)], 'subject'))).toEqual([]);
    } finally {
      await store.close();
    }

    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(check.prepare('SELECT org, body, refs FROM contacts ORDER BY rid').all()).toEqual([
        { org: 1, body: shared, refs: 3 },
        { org: 1, body: contacts[2], refs: 1 },
      ]);
      const signalColumns = (
        check.prepare('PRAGMA table_info(signals)').all() as { name: string; type: string }[]
      ).map((c) => `${c.name} ${c.type}`);
      expect(signalColumns).toContain('contact INTEGER');
      expect(signalColumns).toContain('pfx BLOB');
      // Each signal's pfx holds the first 8 bytes of exactly its values (order free).
      const pfx = check.prepare('SELECT rid, hex(pfx) AS p FROM signals ORDER BY rid').all() as {
        rid: number;
        p: string;
      }[];
      for (const { rid, p } of pfx) {
        const expected = rows
          .filter((r) => r[1] === rid)
          .map((r) => r[0].subarray(0, 8).toString('hex').toUpperCase());
        expect((p.match(/.{16}/g) ?? []).sort()).toEqual(expected.sort());
      }
      // Request hashes written before step 6 keep their 16 bytes (retries compare at 16).
      expect(check.prepare('SELECT DISTINCT length(request_hash) AS n FROM signals').all()).toEqual([
        { n: 16 },
      ]);
      expect(check.prepare('SELECT rid, length(pfx) AS n FROM signals ORDER BY rid').all()).toEqual([
        { rid: 1, n: 24 },
        { rid: 2, n: 8 },
        { rid: 3, n: 8 },
        { rid: 4, n: 0 },
      ]);
      // No foreign key and no index besides the primary key (WITHOUT ROWID: the table).
      expect(check.prepare('PRAGMA foreign_key_list(signal_pseudonyms)').all()).toEqual([]);
      expect(
        check
          .prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'signal_pseudonyms'`)
          .all(),
      ).toEqual([]);
      expect(check.prepare('SELECT count(*) AS n FROM signal_consents').get()).toEqual({ n: 0 });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  });
});

describe('migration 8 on a v6 database with matches', () => {
  it('records every contact time recorded before as the outcome contact made, and nothing else', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(8);
    const path = join(dir, 'v6.sqlite');
    const db = databaseAt(path, 6);
    db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (1, ?, ?, ?, 0, NULL, 100, ?)',
    ).run(randomUUID(), 'Organisatie', 'youth_care', CREATED_AT);
    db.prepare(
      'INSERT INTO contacts (rid, org, body, refs) VALUES (1, 1, \'["A","B",null,"a@example.nl"]\', 4)',
    ).run();
    const insertSignal = db.prepare(
      `INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash)
       VALUES (?, ?, 1, 0, 0, 1, 3, ?, ?, ?, ?)`,
    );
    for (const rid of [1, 2, 3, 4])
      insertSignal.run(
        rid,
        uuidToBytes(randomUUID())!,
        CREATED_AT,
        CREATED_AT + 1,
        uuidToBytes(randomUUID())!,
        Buffer.alloc(8, rid),
      );
    const ids = [randomUUID(), randomUUID()];
    const insertMatch = db.prepare(
      'INSERT INTO matches (id, kind, status, a, b, created_at, contact_a, contact_b) VALUES (?, 0, 0, ?, ?, ?, ?, ?)',
    );
    insertMatch.run(uuidToBytes(ids[0]!)!, 1, 2, CREATED_AT, CREATED_AT + 5, null);
    insertMatch.run(uuidToBytes(ids[1]!)!, 3, 4, CREATED_AT, null, null);
    db.close();
    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      const [m1, m2] = await store.read(async (tx) => [
        await tx.getMatch(ids[0]!),
        await tx.getMatch(ids[1]!),
      ]);
      expect(m1).toMatchObject({
        contactMadeA: CREATED_AT + 5,
        outcomeA: 'contact_made',
        contactMadeB: null,
        outcomeB: null,
      });
      expect(m2).toMatchObject({ contactMadeA: null, outcomeA: null, outcomeB: null });
      expect((await store.read((tx) => tx.followUpCounts('active'))).outcomes.contact_made).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('migration 10 on a v9 database with epochs', () => {
  it('gives every existing epoch the kind hmac and no public key; an oprf epoch round-trips', async () => {
    const path = join(dir, 'v9-epochs.db');
    const db = databaseAt(path, 9);
    db.prepare('INSERT INTO epochs (epoch, status, registered_at, retired_at) VALUES (2, 1, ?, ?)').run(
      CREATED_AT,
      CREATED_AT + 1,
    );
    db.close();
    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    const before = await store.read((tx) => tx.listEpochs());
    expect(before.map((e) => [e.epoch, e.status, e.kind, e.publicKey])).toEqual([
      [1, 'active', 'hmac', null],
      [2, 'retired', 'hmac', null],
    ]);
    const publicKey = new Uint8Array(32).fill(7);
    await store.write((tx) =>
      tx.insertEpoch({
        epoch: 3,
        status: 'active',
        kind: 'oprf',
        publicKey,
        registeredAt: CREATED_AT,
        retiredAt: null,
      }),
    );
    const e3 = await store.read((tx) => tx.getEpoch(3));
    expect([e3?.kind, Buffer.from(e3!.publicKey!).equals(Buffer.from(publicKey))]).toEqual(['oprf', true]);
    await store.close();
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(10);
  });
});

describe('migration 11 on a v10 database with organisations', () => {
  it('adds an empty people table; the organisations stay and their people can be stored', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(11);
    const path = join(dir, 'v7.sqlite');
    const db = databaseAt(path, 10);
    const orgId = randomUUID();
    db.prepare(
      'INSERT INTO organisations (rid, id, name, type, status, webhook_url, budget, created_at) VALUES (1, ?, ?, ?, 0, NULL, 100, ?)',
    ).run(orgId, 'Organisatie 1', 'youth_care', CREATED_AT);
    db.close();
    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      expect(await store.read((tx) => tx.listPeople(1))).toEqual([]);
      const personId = randomUUID();
      await store.write((tx) =>
        tx.insertPerson({
          id: personId,
          organisationRid: 1,
          displayName: 'P. de Vries',
          email: null,
          roles: ['professional'],
          status: 'active',
          createdAt: CREATED_AT,
          removedAt: null,
        }),
      );
      expect(await store.read((tx) => tx.getPerson(personId))).toMatchObject({
        organisationId: orgId,
        roles: ['professional'],
      });
    } finally {
      await store.close();
    }
    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(check.prepare('SELECT count(*) AS n FROM organisations').get()).toEqual({ n: 1 });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  });
});
