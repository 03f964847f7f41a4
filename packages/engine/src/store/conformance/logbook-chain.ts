// Store conformance, the logbook's chain: `appendLogEntry` hands each new entry the head it
// chains onto — the stored head or the purge's checkpoint, the entry the same write appended
// last, never one a failed write or a rolled-back savepoint left — so the hash chain of
// docs/engine.md "Logbook" has no fork and no gap on either store.

import assert from 'node:assert/strict';
import { EngineError } from '../../errors.js';
import type { Store } from '../store.js';
import { type ConformanceContext, stored } from './fixtures.js';

/**
 * `entry(action)`: what appendLogEntry is handed, an entry that chains onto the head it is given
 * (seq one past it, its stored hash); `heads` the seq of each head given, in order.
 */
export function chained() {
  const heads: (number | undefined)[] = [];
  const entry = (action: string) => (head: { seq: number; hash: Uint8Array } | undefined) => {
    heads.push(head?.seq);
    const seq = (head?.seq ?? 0) + 1;
    return { seq, at: seq, actor: '{}', action, refs: '{}', details: '{}', hash: stored(seq) };
  };
  return { heads, entry };
}

export function logbookChainCases({ test, withStore }: ConformanceContext): void {
  test(
    'appendLogEntry chains onto the head or the checkpoint, is seen in its write, and goes with a rolled-back savepoint',
    withStore(async (s) => {
      const { heads, entry } = chained();
      await s.write(async (tx) => {
        await tx.appendLogEntry(entry('a'));
        await tx.appendLogEntry(entry('b'));
        // Seen by the head and the entries read in the same write.
        assert.equal((await tx.lastLogEntry())?.seq, 2);
        assert.deepEqual(
          (await tx.logEntries(1, 10)).map((r) => r.action),
          ['a', 'b'],
        );
        await tx.appendLogEntry(entry('c'));
        await tx
          .savepoint(async () => {
            await tx.appendLogEntry(entry('dropped'));
            assert.equal((await tx.lastLogEntry())?.seq, 4);
            throw new EngineError('conflict', 'roll the savepoint back');
          })
          .catch((e: unknown) => assert.ok(e instanceof EngineError));
        await tx.appendLogEntry(entry('d'));
      });
      const rows = await s.read((tx) => tx.logEntries(1, 10));
      assert.deepEqual(
        rows.map((r) => [r.seq, r.action]),
        [
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
          [4, 'd'],
        ],
      );
      assert.ok(Buffer.from(rows[3]!.hash).equals(stored(4)));
      // A write that fails appends nothing.
      await s
        .write(async (tx) => {
          await tx.appendLogEntry(entry('lost'));
          throw new EngineError('conflict', 'fail the write');
        })
        .catch(() => undefined);
      assert.equal((await s.read((tx) => tx.lastLogEntry()))?.seq, 4);
      // After a purge (the newest entry stays) the chain continues from the newest entry.
      await s.write((tx) => tx.purgeLogThrough({ seq: 3, at: 3, hash: stored(3) }));
      await s.write((tx) => tx.appendLogEntry(entry('e')));
      assert.deepEqual(
        (await s.read((tx) => tx.logEntries(1, 10))).map((r) => r.seq),
        [4, 5],
      );
      assert.equal(heads.at(-1), 4);
    }),
  );

  test(
    'appends chain onto the entry the write appended last, and onto the stored head after a failed write, a raw insert or another write',
    withStore(async (s) => {
      const { heads, entry } = chained();
      // Many appends in one write: each onto the one before (a batch's found entries). More
      // than one statement of SQLite's may carry (32,766 parameters, 7 a row) if a store
      // inserts a write's entries together, in a count that leaves a remainder of several sizes.
      const many = 4_700;
      await s.write(async (tx) => {
        for (let i = 0; i < many; i++) await tx.appendLogEntry(entry(`many-${i}`));
      });
      assert.deepEqual(heads, [undefined, ...Array.from({ length: many - 1 }, (_, i) => i + 1)]);
      const manyRows = await s.read((tx) => tx.logEntries(1, many + 1));
      assert.deepEqual(
        manyRows.map((r) => [r.seq, r.action]),
        Array.from({ length: many }, (_, i) => [i + 1, `many-${i}`]),
      );
      for (const r of manyRows) assert.ok(Buffer.from(r.hash).equals(stored(r.seq)));
      // Two writes queued together (one transaction on a group-committing store): the first
      // appends and fails, the second chains onto the stored head, not onto the dropped entry.
      const [failed, next] = await Promise.allSettled([
        s.write(async (tx) => {
          await tx.appendLogEntry(entry('lost'));
          throw new EngineError('conflict', 'fail the write');
        }),
        s.write((tx) => tx.appendLogEntry(entry('after-failed'))),
      ]);
      assert.equal(failed.status, 'rejected');
      assert.equal(next.status, 'fulfilled');
      // An entry inserted as it is moves the head too. It is inserted at once, so a write that
      // also appends reads the head first (a store may defer its appends to the end of the
      // write: contract/logbook.ts `insertLogEntry`), here the entry the write appended.
      await s.write(async (tx) => {
        await tx.appendLogEntry(entry('before-raw'));
        assert.equal((await tx.lastLogEntry())?.seq, many + 2);
        await tx.insertLogEntry({
          seq: many + 3,
          at: many + 3,
          actor: '{}',
          action: 'raw',
          refs: '{}',
          details: '{}',
          hash: stored(many + 3),
        });
        await tx.appendLogEntry(entry('after-raw'));
      });
      await s.write((tx) => tx.appendLogEntry(entry('next-write')));
      const rows = await s.read((tx) => tx.logEntries(many, 10));
      assert.deepEqual(
        rows.map((r) => [r.seq, r.action]),
        [
          [many, `many-${many - 1}`],
          [many + 1, 'after-failed'],
          [many + 2, 'before-raw'],
          [many + 3, 'raw'],
          [many + 4, 'after-raw'],
          [many + 5, 'next-write'],
        ],
      );
      assert.ok(Buffer.from(rows[4]!.hash).equals(stored(many + 4)));
    }),
  );
  test(
    'writes queued together chain onto each other, never onto an entry a failed write or a rolled-back savepoint left',
    withStore(async (s) => {
      await queuedWritesChain(s);
    }),
  );
  test(
    'an entry appended by a batch item that is refused does not remain, and the chain goes on from the stored head',
    withStore(async (s) => {
      await refusedItemAfterAppend(s);
    }),
  );
}

/** What each write of `queuedWritesChain`'s burst does, in the order the writes are queued. */
const QUEUED: readonly string[] = [
  'one-a, one-b',
  'two-lost, then fails',
  'three',
  'four-dropped in a savepoint rolled back, four',
  'purge through seq 1',
  'an entry inserted as it is onto the head it read',
  'seven',
  'eight-lost, then fails',
];

/**
 * Two entries, then eight writes queued together — on a group-committing store one transaction,
 * each write in its savepoint; elsewhere concurrent writes — that append, fail after their
 * append, roll a savepoint back, purge and insert an entry as it is (QUEUED), then one more write.
 * Asserts what holds in any order the store runs them: the entries that remain are the
 * committed writes' and their seqs follow each other without a gap (an entry chained onto one
 * that was undone leaves one; onto a stale head, repeats a seq). Returns the entries as
 * [seq, action] and the head each append was handed, for a store that runs queued writes in
 * their order to pin (sqlite-store-writes.test.ts).
 */
export async function queuedWritesChain(
  s: Store,
): Promise<{ rows: [number, string][]; heads: (number | undefined)[] }> {
  const { heads, entry } = chained();
  await s.write((tx) => tx.appendLogEntry(entry('first')));
  await s.write((tx) => tx.appendLogEntry(entry('second')));
  const fail = () => {
    throw new EngineError('conflict', 'fail the write');
  };
  const burst = await Promise.allSettled([
    s.write(async (tx) => {
      await tx.appendLogEntry(entry('one-a'));
      await tx.appendLogEntry(entry('one-b'));
    }),
    s.write(async (tx) => {
      await tx.appendLogEntry(entry('two-lost'));
      fail();
    }),
    s.write((tx) => tx.appendLogEntry(entry('three'))),
    s.write(async (tx) => {
      await tx
        .savepoint(async () => {
          await tx.appendLogEntry(entry('four-dropped'));
          fail();
        })
        .catch((e: unknown) => assert.ok(e instanceof EngineError));
      await tx.appendLogEntry(entry('four'));
    }),
    s.write((tx) => tx.purgeLogThrough({ seq: 1, at: 1, hash: stored(1) })),
    s.write(async (tx) => {
      const seq = ((await tx.lastLogEntry())?.seq ?? 0) + 1;
      await tx.insertLogEntry({
        seq,
        at: seq,
        actor: '{}',
        action: 'raw',
        refs: '{}',
        details: '{}',
        hash: stored(seq),
      });
    }),
    s.write((tx) => tx.appendLogEntry(entry('seven'))),
    s.write(async (tx) => {
      await tx.appendLogEntry(entry('eight-lost'));
      fail();
    }),
  ]);
  assert.deepEqual(
    burst.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected'],
    QUEUED.join('; '),
  );
  await s.write((tx) => tx.appendLogEntry(entry('after')));
  const rows = (await s.read((tx) => tx.logEntries(1, 20))).map((r): [number, string] => [r.seq, r.action]);
  // The purge kept seq 2 and everything after it; the order of the burst's writes is the store's.
  assert.equal(rows[0]?.[1], 'second');
  assert.deepEqual(
    rows.map(([seq]) => seq),
    Array.from({ length: rows.length }, (_, i) => i + 2),
  );
  assert.deepEqual(rows.map(([, action]) => action).sort(), [
    'after',
    'four',
    'one-a',
    'one-b',
    'raw',
    'second',
    'seven',
    'three',
  ]);
  assert.equal(rows.at(-1)?.[1], 'after');
  assert.ok(rows.findIndex(([, a]) => a === 'one-a') + 1 === rows.findIndex(([, a]) => a === 'one-b'));
  return { rows, heads };
}

/**
 * A write whose batch item is refused after its append; asserts that the refused item's entry
 * never remains and the chain goes on from the stored head. Returns which outcome of store.ts
 * `batchItem` the store chose: 'committed' (the item alone undone: PostgreSQL's savepoint) or
 * 'failed' (batchItem throws an Error that is not an EngineError and the whole write is rejected:
 * SQLite, where an append is a write). Each store's own test pins its outcome (pg-store.test.ts,
 * sqlite-store-writes.test.ts), so a store that changes from one to the other fails there.
 */
export async function refusedItemAfterAppend(s: Store): Promise<'committed' | 'failed'> {
  const { heads, entry } = chained();
  await s.write((tx) => tx.appendLogEntry(entry('first')));
  let failedItem: unknown;
  const op = await s
    .write(async (tx) => {
      await tx.appendLogEntry(entry('before-item'));
      await tx
        .batchItem(async () => {
          await tx.appendLogEntry(entry('refused-item'));
          throw new EngineError('budget_exceeded', 'refuse the item');
        })
        .catch((err: unknown) => {
          if (err instanceof EngineError) return;
          failedItem = err;
          throw err;
        });
      await tx.appendLogEntry(entry('after-item'));
    })
    .then(
      () => 'committed' as const,
      () => {
        // store.ts `batchItem`: what fails the operation is never an EngineError, so no
        // caller takes it for the item's refusal.
        assert.ok(failedItem instanceof Error && !(failedItem instanceof EngineError), 'batchItem’s error');
        return 'failed' as const;
      },
    );
  await s.write((tx) => tx.appendLogEntry(entry('next-write')));
  const actions = (await s.read((tx) => tx.logEntries(1, 10))).map((r) => [r.seq, r.action]);
  assert.deepEqual(
    actions,
    op === 'committed'
      ? [
          [1, 'first'],
          [2, 'before-item'],
          [3, 'after-item'],
          [4, 'next-write'],
        ]
      : [
          [1, 'first'],
          [2, 'next-write'],
        ],
  );
  assert.equal(heads.at(-1), op === 'committed' ? 3 : 1);
  return op;
}
