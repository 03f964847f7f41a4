// Migration 22 (the hold of a parent link, docs/operations.md "Upgrade"): a database at step 21
// with two children of one parent, made by the real SQL of the steps before
// (migrations.test-util.ts), opens with the real store with every parent link free, and the
// links can then be held.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uuidToBytes } from '../../ids.js';
import { CREATED_AT, checkMigrated, insertOrganisation, stepFiles } from './migrations.test-util.js';
import { openSqliteStore } from './sqlite-store.js';

const steps = stepFiles();

describe('migration 22 on a v21 database with a family’s parent links', () => {
  it('a database at step 21 migrates on: every parent link free, and holdable', async () => {
    const { path, db } = steps.at(21);
    insertOrganisation(db, 1);
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
    checkMigrated(path);
  });
});
