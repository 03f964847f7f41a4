// Migration 32 (docs/operations.md "Upgrade", docs/privacy.md §2 art. 17): a database at step 31
// holding a day's reveal marks of many keys and matches, made by the real SQL of the steps
// before (migrations.test-util.ts), keeps every mark; the erasure's delete of one match's marks
// seeks reveal_marks_match, where the primary key (key_id, match) had it read the table.

import { describe, expect, it } from 'vitest';
import { CREATED_AT, checkMigrated, stepFiles } from './migrations.test-util.js';
import { REVEAL_MARKS_OF_MATCH_DELETE } from './sqlite-bookkeeping.js';
import { openSqliteStore } from './sqlite-store.js';

const steps = stepFiles();

/** Match n's id, and its 16 bytes as the store keeps them. */
const uuidOf = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;
const bytesOf = (n: number) => Buffer.from(uuidOf(n).replaceAll('-', ''), 'hex');

describe('migration 32 on a v31 database with reveal marks', () => {
  it('keeps every mark; one match’s marks are deleted by reveal_marks_match, the others stay', async () => {
    const { path, db } = steps.at(31);
    const insert = db.prepare('INSERT INTO reveal_marks (key_id, match, at) VALUES (?, ?, ?)');
    // 50 viewers (keys, and keys with a person) × 40 matches.
    db.transaction(() => {
      for (let k = 1; k <= 50; k++)
        for (let m = 1; m <= 40; m++)
          insert.run(k % 2 === 0 ? `k${k}` : `k${k} p${k}`, bytesOf(m), CREATED_AT + m);
    })();
    const before = db.prepare('SELECT * FROM reveal_marks ORDER BY key_id, match').all();
    expect(before).toHaveLength(2000);
    expect(
      (
        db.prepare(`EXPLAIN QUERY PLAN ${REVEAL_MARKS_OF_MATCH_DELETE}`).all(bytesOf(7)) as {
          detail: string;
        }[]
      ).map((r) => r.detail),
    ).toEqual(['SCAN reveal_marks']);
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      expect(await store.read((tx) => tx.lastRevealLogged('k2', uuidOf(7)))).toBe(CREATED_AT + 7);
      expect(await store.write((tx) => tx.deleteRevealMarksOfMatch(uuidOf(7)))).toBe(50);
      expect(await store.read((tx) => tx.lastRevealLogged('k2', uuidOf(7)))).toBeUndefined();
      expect(await store.read((tx) => tx.lastRevealLogged('k3 p3', uuidOf(8)))).toBe(CREATED_AT + 8);
    } finally {
      await store.close();
    }

    checkMigrated(path, (check) => {
      const left = check.prepare('SELECT * FROM reveal_marks ORDER BY key_id, match').all() as {
        at: number;
      }[];
      expect(left).toEqual((before as { at: number }[]).filter((r) => r.at !== CREATED_AT + 7));
      expect(
        (check.prepare('PRAGMA index_info(reveal_marks_match)').all() as { name: string }[]).map(
          (c) => c.name,
        ),
      ).toEqual(['match']);
      expect(
        (
          check.prepare(`EXPLAIN QUERY PLAN ${REVEAL_MARKS_OF_MATCH_DELETE}`).all(bytesOf(8)) as {
            detail: string;
          }[]
        ).map((r) => r.detail),
      ).toEqual(['SEARCH reveal_marks USING INDEX reveal_marks_match (match=?)']);
    });
  });
});
