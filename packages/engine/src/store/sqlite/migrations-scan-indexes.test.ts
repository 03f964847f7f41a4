// Migration 31 (docs/operations.md "Upgrade", docs/engine.md "The model"): a database at step 30
// with removed and active people, their mail notices and 2,500 signals, made by the real SQL of
// the steps before (migrations.test-util.ts). Two reads that scanned a table answer as before and
// now seek an index: retention's removed people past the term (people_removed, removed people
// only), a person's mail notices on deletion and the foreign key's check of them
// (mail_outbox_person). No row changes. An organisation's own list without a status filter, and
// its inactive list, which sorted every signal of the organisation for each page, get no index:
// they merge signals_org's walks of each state in rid order (docs/performance.md "Three scans
// made seeks"), held here to the statements before, row for row.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uuidToBytes } from '../../ids.js';
import {
  CREATED_AT,
  checkMigrated,
  insertContact,
  insertOrganisation,
  stepFiles,
} from './migrations.test-util.js';
import { STATE_CODES } from './codec.js';
import { SIGNAL_COLS } from './sqlite-rows.js';
import { REMOVED_PEOPLE_SQL } from './sqlite-people.js';
import { listSignalsArgs, listSignalsSql } from './sqlite-signals.js';
import { openSqliteStore } from './sqlite-store.js';

const steps = stepFiles();

/**
 * People 1–60 of organisation 1 and 61–70 of the municipality; every third removed, at
 * CREATED_AT + rid (the municipality's at CREATED_AT + rid − 60).
 */
const removed = (p: number) => p % 3 === 0;
const removedAt = (p: number) => (removed(p) ? CREATED_AT + (p > 60 ? p - 60 : p) : null);
/** The term's bound the reads use: people removed before it are due, later ones not yet. */
const BEFORE = CREATED_AT + 45;

/**
 * The state of signal `rid`: every stored state, mostly active; one in five of the active ones
 * stored active past its expiry at `EXPIRED_BY` (so inactive), the others expiring later.
 */
const stateOf = (rid: number) =>
  rid % 7 === 0 ? 1 : rid % 11 === 0 ? 2 : rid % 13 === 0 ? 3 : rid % 17 === 0 ? 4 : 0;
const expiresAt = (rid: number) => (rid % 5 === 0 ? CREATED_AT + rid : CREATED_AT + 10 ** 9);
const EXPIRED_BY = CREATED_AT + 10 ** 6;

/**
 * The statement of the organisation-wide list as schema step 31 first had it (and step 30 before
 * it): one walk of signals_org (org) with a state filter, then a sort (or signals_org_rid in
 * order); arguments (org, [at,] [after,] limit).
 */
function listBeforeSql(
  status: 'inactive' | undefined,
  order: 'oldest' | 'newest',
  fromLast: boolean,
): string {
  const state = status === 'inactive' ? ' AND (state > 0 OR expires_at <= ?)' : '';
  const [after, sort] =
    order === 'newest' ? [fromLast ? '' : ' AND rid < ?', 'rid DESC'] : [' AND rid > ?', 'rid'];
  return `SELECT ${SIGNAL_COLS} FROM signals WHERE org = ?${state}${after} ORDER BY ${sort} LIMIT ?`;
}

describe('migration 31 on a v30 database with removed people, mail notices and signals', () => {
  it('adds two indexes; retention’s removed people and a person’s deletion seek them, the organisation-wide lists merge signals_org in order, all as before', async () => {
    const { path, db } = steps.at(30);
    insertOrganisation(db, 1);
    insertOrganisation(db, 2, 'school');
    for (const org of [1, 2]) insertContact(db, org);
    const insertPerson = db.prepare(
      'INSERT INTO people (rid, id, org, display_name, email, roles, status, created_at, removed_at) VALUES (?, ?, ?, ?, NULL, 1, ?, ?, ?)',
    );
    // Organisation 1: 2,000 signals, one in three by its key alone, the others held by people
    // 1–60 — person 3 (removed, due) still holds some, so retention passes them over; one in
    // seven ended, and some of each other state (stateOf). Organisation 2: 500 by its key.
    const personOf = (rid: number) => (rid > 2000 || rid % 3 === 0 ? null : 1 + (rid % 60));
    const insertSignal = db.prepare(
      `INSERT INTO signals (rid, id, org, state, flags, contact, informed, placed_at, expires_at, request_id, request_hash, person)
       VALUES (?, ?, ?, ?, 0, ?, 3, ?, ?, ?, ?, ?)`,
    );
    const insertMail = db.prepare(
      `INSERT INTO mail_outbox (rid, id, person, match, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
    );
    db.transaction(() => {
      for (let p = 1; p <= 70; p++)
        insertPerson.run(
          p,
          randomUUID(),
          p <= 60 ? 1 : null,
          `Persoon ${p}`,
          removed(p) ? 1 : 0,
          CREATED_AT,
          removedAt(p),
        );
      for (let rid = 1; rid <= 2500; rid++) {
        const org = rid > 2000 ? 2 : 1;
        const holder = personOf(rid);
        // Signals of removed people other than person 3 were transferred away before (domain/people.ts).
        insertSignal.run(
          rid,
          uuidToBytes(randomUUID())!,
          org,
          stateOf(rid),
          org,
          CREATED_AT + rid,
          expiresAt(rid),
          uuidToBytes(randomUUID())!,
          Buffer.alloc(8, rid % 256),
          holder !== null && removed(holder) && holder !== 3 ? holder - 1 : holder,
        );
      }
      // Three mail notices for each of people 1–60, pending and sent.
      for (let m = 1; m <= 180; m++)
        insertMail.run(
          m,
          uuidToBytes(randomUUID())!,
          1 + (m % 60),
          uuidToBytes(randomUUID())!,
          m % 2,
          0,
          CREATED_AT,
        );
    })();
    // The answers before the step, from the statements the version before ran (it named no index).
    const removedBefore = (limit: number) =>
      (
        db.prepare(REMOVED_PEOPLE_SQL.replace(' INDEXED BY people_removed', '')).all(BEFORE, limit) as {
          rid: number;
        }[]
      ).map((r) => r.rid);
    const due = removedBefore(1000);
    const firstFive = removedBefore(5);
    expect(due).toEqual([6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 63, 66, 69]);
    const listed = (
      db.prepare('SELECT rid FROM signals WHERE org = 1 ORDER BY rid').all() as { rid: number }[]
    ).map((r) => r.rid);
    expect(listed).toHaveLength(2000);
    const tables = ['people', 'signals', 'mail_outbox'].map(
      (t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rid`).all()] as const,
    );
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      expect(await store.read((tx) => tx.removedPeopleBefore(BEFORE, 1000))).toEqual(due);
      expect(firstFive).toEqual(due.slice(0, 5));
      expect(await store.read((tx) => tx.removedPeopleBefore(BEFORE, 5))).toEqual(firstFive);
      // The organisation's own list without a status filter, both orders, a page at a time.
      const rids = (rows: { rid: number }[]) => rows.map((r) => r.rid);
      const pages: number[] = [];
      for (let after = 0; ; ) {
        const page = rids(await store.read((tx) => tx.listSignals(1, undefined, after, 300)));
        pages.push(...page);
        if (page.length < 300) break;
        after = page.at(-1)!;
      }
      expect(pages).toEqual(listed);
      const back: number[] = [];
      for (let before = 0; ; ) {
        const page = rids(
          await store.read((tx) => tx.listSignals(1, undefined, before, 300, undefined, 'newest')),
        );
        back.push(...page);
        if (page.length < 300) break;
        before = page.at(-1)!;
      }
      expect(back).toEqual([...listed].reverse());
    } finally {
      await store.close();
    }

    checkMigrated(path, (check) => {
      for (const [t, rows] of tables)
        expect(check.prepare(`SELECT * FROM ${t} ORDER BY rid`).all(), t).toEqual(rows);
      const columns = (index: string) =>
        (check.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns('people_removed')).toEqual(['removed_at']);
      expect(columns('mail_outbox_person')).toEqual(['person']);
      // No index of the organisation's signals by rid: step 31 adds none to signals.
      expect(
        (check.prepare('PRAGMA index_list(signals)').all() as { name: string }[]).map((r) => r.name).sort(),
      ).toEqual([
        'signals_expiry',
        'signals_id',
        'signals_org',
        'signals_person',
        'signals_purge',
        'signals_request',
      ]);
      // Partial: an entry per removed person, none for an active one.
      const entries = check
        .prepare(`SELECT sum(ncell) AS n FROM dbstat WHERE name = 'people_removed'`)
        .get() as {
        n: number;
      };
      expect(entries.n).toBe(23);

      const plan = (sql: string, args: unknown[]) =>
        (check.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map(
          (r) => r.detail,
        );
      // Retention: the due removed people by removal time, each one's signals by the holder's
      // index; the sort is of the due people alone, not of the table.
      expect(plan(REMOVED_PEOPLE_SQL, [BEFORE, 100])).toEqual([
        'SEARCH p USING INDEX people_removed (removed_at<?)',
        expect.stringMatching(/^CORRELATED SCALAR SUBQUERY \d+$/),
        'SEARCH s USING COVERING INDEX signals_person (org=? AND person=?)',
        'USE TEMP B-TREE FOR ORDER BY',
      ]);
      // A person's deletion: their mail notices by person.
      expect(plan('DELETE FROM mail_outbox WHERE person = ?', [1])).toEqual([
        'SEARCH mail_outbox USING COVERING INDEX mail_outbox_person (person=?)',
      ]);
      // And the foreign key's check when their people row goes (not in the query plan: the
      // program opens mail_outbox_person, never the table's own b-tree).
      check.pragma('foreign_keys = ON');
      const root = (name: string) =>
        (check.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').get(name) as { rootpage: number })
          .rootpage;
      const opened = (
        check.prepare('EXPLAIN DELETE FROM people WHERE rid = ?').all(1) as { opcode: string; p2: number }[]
      )
        .filter((r) => r.opcode === 'OpenRead')
        .map((r) => r.p2);
      expect(opened).toContain(root('mail_outbox_person'));
      expect(opened).not.toContain(root('mail_outbox'));
      // The organisation's own list without a status filter: one walk of signals_org per state,
      // in rid order, merged; no sort, no other index. Its inactive list the same, but for the
      // signals stored active past their expiry (due, not yet recorded: a retention interval's
      // worth), read by signals_expiry and sorted, a few rows of every organisation. From the
      // start, after a cursor, and newest first from the last row or before a cursor.
      expect(STATE_CODES).toEqual([0, 1, 2, 3, 4]);
      const merged = (status: 'inactive' | undefined, order: 'oldest' | 'newest', fromLast: boolean) => {
        const bound = order === 'oldest' ? ' AND rowid>?' : fromLast ? '' : ' AND rowid<?';
        const arm = (k: number) => [
          status === 'inactive' && k === 0
            ? 'SEARCH signals USING INDEX signals_expiry (expires_at<?)'
            : `SEARCH signals USING INDEX signals_org (org=? AND state=?${bound})`,
          expect.stringMatching(/^CORRELATED SCALAR SUBQUERY \d+$/),
          'SEARCH contacts USING INTEGER PRIMARY KEY (rowid=?)',
          ...(status === 'inactive' && k === 0 ? ['USE TEMP B-TREE FOR ORDER BY'] : []),
        ];
        const merge = (left: unknown[], right: unknown[]) => [
          'MERGE (UNION ALL)',
          'LEFT',
          ...left,
          'RIGHT',
          ...right,
        ];
        const args = listSignalsArgs(1, status && { status, at: EXPIRED_BY }, 500, 101, undefined, fromLast);
        expect(plan(listSignalsSql(status, false, order, fromLast), args), `${status} ${order}`).toEqual(
          merge(merge(arm(0), arm(1)), merge(merge(arm(2), arm(3)), arm(4))),
        );
      };
      for (const status of [undefined, 'inactive'] as const) {
        merged(status, 'oldest', false);
        merged(status, 'newest', true);
        merged(status, 'newest', false);
      }
      // The active list keeps its one walk of signals_org (org, state).
      expect(plan(listSignalsSql('active', false), [1, Date.now(), 0, 101])[0]).toBe(
        'SEARCH signals USING INDEX signals_org (org=? AND state=? AND rowid>?)',
      );

      // Row for row, every column, what the statements before gave: each organisation, both
      // lists, both orders, pages of several sizes from the start and from cursors on and past
      // either end.
      let compared = 0;
      for (const org of [1, 2, 3])
        for (const status of [undefined, 'inactive'] as const)
          for (const order of ['oldest', 'newest'] as const)
            for (const limit of [1, 7, 101, 3000])
              for (const after of [0, 1, 2, 7, 500, 1999, 2000, 2001, 2345, 2500, 2600]) {
                const fromLast = order === 'newest' && after === 0;
                const at = status && { status, at: EXPIRED_BY };
                const got = check
                  .prepare(listSignalsSql(status, false, order, fromLast))
                  .all(...listSignalsArgs(org, at, after, limit, undefined, fromLast));
                const want = check
                  .prepare(listBeforeSql(status, order, fromLast))
                  .all(org, ...(at ? [at.at] : []), ...(fromLast ? [] : [after]), limit);
                expect(got, `${org} ${status} ${order} ${limit} ${after}`).toEqual(want);
                compared += want.length;
              }
      // Every state and the stored-active expired ones are among the rows compared.
      const inactive = check
        .prepare(listBeforeSql('inactive', 'oldest', false))
        .all(1, EXPIRED_BY, 0, 3000) as { state: number; expires_at: number }[];
      expect(new Set(inactive.map((r) => r.state))).toEqual(new Set([0, 1, 2, 3, 4]));
      expect(inactive.filter((r) => r.state === 0).every((r) => r.expires_at <= EXPIRED_BY)).toBe(true);
      expect(compared).toBeGreaterThan(40_000);
    });

    // Deleting a due person through the store takes their notices and nobody else's.
    const again = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      expect((await again.read((tx) => tx.getPersonByRid(6)))?.status).toBe('removed');
      await again.write(async (tx) => {
        await tx.deleteSignInOfPerson(6);
        await tx.deleteHandoverOfPerson(6);
        await tx.deletePerson(6);
      });
      expect(await again.read((tx) => tx.getPersonByRid(6))).toBeUndefined();
      expect(await again.read((tx) => tx.removedPeopleBefore(BEFORE, 1000))).toEqual(due.slice(1));
    } finally {
      await again.close();
    }
    checkMigrated(path, (check) => {
      const mail = check.prepare('SELECT person, count(*) AS n FROM mail_outbox GROUP BY person').all() as {
        person: number;
        n: number;
      }[];
      expect(mail.map((r) => r.person)).toEqual(
        Array.from({ length: 60 }, (_, i) => i + 1).filter((p) => p !== 6),
      );
      expect(mail.every((r) => r.n === 3)).toBe(true);
    });
  });
});
