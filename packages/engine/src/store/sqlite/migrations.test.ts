// Migration 5 on a database that already holds inbox events: a v4 file (built from the
// real SQL of steps 1–4) with events of several organisations interleaved, gaps in the
// global cursor (retention deletes old events) and times that do not follow the cursor.
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
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CREATED_AT = 1_700_000_000_000;

/** A database at `version`, made the way `migrate` makes it, one transaction per step. */
function databaseAt(path: string, version: number): Database.Database {
  const db = new Database(path);
  for (let v = 0; v < version; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      if (v === 0) {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.prepare('INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, ?)').run(CREATED_AT);
      }
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}

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
