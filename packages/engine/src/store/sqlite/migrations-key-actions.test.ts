// The step "logbook_key_actions" (docs/keys.md §4.5 "Copies that miss a change",
// docs/performance.md "The webhook-key start check on a large logbook"): a database at step 28
// whose logbook holds 20,000 placement entries and a few webhook key entries, in both storage
// forms an action has (TEXT before the codec, the codec's BLOB). After the step the partial
// index `logbook_key_actions` holds the key additions and retirements and nothing else, the
// store's read answers as before, and its plan searches that index, never the whole logbook.

import { describe, expect, it } from 'vitest';
import { checkMigrated, stepFiles } from './migrations.test-util.js';
import { logEntriesWithActionSql } from './sqlite-bookkeeping.js';
import { openSqliteStore } from './sqlite-store.js';

const steps = stepFiles();

/** The key entries: seq, stored action (TEXT or the codec's form), the action it reads as. */
const KEY_ENTRIES: readonly [number, string | Buffer, string][] = [
  [5, 'webhook_key.added', 'webhook_key.added'],
  [7_000, Buffer.from([0x01, 0x1f, 31]), 'webhook_key.added'],
  [12_000, Buffer.from([0x01, 0x1f, 32]), 'webhook_key.signing'],
  [15_000, Buffer.from([0x01, 0x1f, 33]), 'webhook_key.retired'],
  [19_999, 'webhook_key.retired', 'webhook_key.retired'],
];

describe('the step logbook_key_actions on a database at step 28', () => {
  it('indexes only the key additions and retirements; the read answers as before and searches that index', async () => {
    const { path, db } = steps.at(28);
    const insert = db.prepare(
      `INSERT INTO logbook (seq, at, actor, action, refs, details, hash) VALUES (?, ?, '{"kind":"system"}', ?, ?, '{}', zeroblob(32))`,
    );
    db.transaction(() => {
      for (let seq = 1; seq <= 20_000; seq++) {
        const key = KEY_ENTRIES.find(([s]) => s === seq);
        // Placements in both forms too: TEXT, and the codec's word 0x03 ('signal.placed').
        const placement = seq % 2 === 0 ? 'signal.placed' : Buffer.from([0x01, 0x03]);
        insert.run(seq, seq, key?.[1] ?? placement, key ? `{"keyId":"k${seq}"}` : '{"signalId":"s"}');
      }
    })();
    db.close();

    const store = openSqliteStore({ path });
    try {
      const read = (after: number, actions: ('webhook_key.added' | 'webhook_key.retired')[], limit = 10) =>
        store.read(async (tx) =>
          (await tx.logEntriesWithAction(after, actions, limit)).map((r) => [r.seq, r.action, r.refs]),
        );
      const both = ['webhook_key.added', 'webhook_key.retired'] as const;
      const want = KEY_ENTRIES.filter(([, , a]) => a !== 'webhook_key.signing').map(([seq, , a]) => [
        seq,
        a,
        `{"keyId":"k${seq}"}`,
      ]);
      expect(await read(0, [...both])).toEqual(want);
      expect(await read(5, [...both], 2)).toEqual(want.slice(1, 3));
      expect(await read(0, ['webhook_key.retired'])).toEqual(want.slice(2));
      expect(await read(19_999, [...both])).toEqual([]);
    } finally {
      await store.close();
    }

    checkMigrated(path, (check) => {
      // Partial: an entry per key addition or retirement (4), none for the other 19,996.
      const entries = check
        .prepare(`SELECT sum(ncell) AS n FROM dbstat WHERE name = 'logbook_key_actions'`)
        .get() as { n: number };
      expect(entries.n).toBe(4);
      const plan = (forms: number) =>
        (
          check
            .prepare(`EXPLAIN QUERY PLAN ${logEntriesWithActionSql(forms)}`)
            .all(0, ...Array.from({ length: forms }, () => 'webhook_key.added'), 1000) as { detail: string }[]
        ).map((r) => r.detail);
      // One action or two, each in its three bound forms: a search of the partial index in
      // seq order (no sort), never a scan of the logbook.
      for (const forms of [3, 6])
        expect(plan(forms), String(forms)).toEqual([
          'SEARCH logbook USING INDEX logbook_key_actions (seq>?)',
        ]);
    });
  });
});
