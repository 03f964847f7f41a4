// Migration 19 (the holder's index, docs/engine.md "Size", docs/performance.md): a database at
// step 18 with 2,500 signals, of people and of a key alone, made by the real SQL of the steps
// before (migrations.test-util.ts): the partial index `signals_person` holds an entry per signal
// that names a person and none other, every holder read of the real store answers as before,
// and the plans of a holder's list and inbox walk that index; no signal row changes.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import {
  CREATED_AT,
  checkMigrated,
  insertContact,
  insertOrganisation,
  stepFiles,
} from './migrations.test-util.js';
import {
  HOLDER_EVENTS_SQL,
  HOLDER_EVENTS_WALK_SQL,
  HOLDER_SIGNALS_SQL,
  holderSignalsBound,
} from './sqlite-events.js';
import { listSignalsSql } from './sqlite-signals.js';
import { openSqliteStore } from './sqlite-store.js';

const steps = stepFiles();

describe('migration 19 on a v18 database with signals of people and of a key alone', () => {
  it('indexes only the signals that name a person; every holder read walks that index and answers as before', async () => {
    const { path, db } = steps.at(18);
    insertOrganisation(db, 1);
    insertOrganisation(db, 2, 'school');
    for (const org of [1, 2]) insertContact(db, org);
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

    checkMigrated(path, (check) => {
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
    });
  });
});
