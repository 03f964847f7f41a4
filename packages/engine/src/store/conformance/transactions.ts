// Store conformance, transactions: an acknowledged write is durable and visible, a failing
// operation rolls back alone while the rest of its batch commits, concurrent read-modify-
// writes of one budget lose nothing, and a closed store refuses work. Group commit is a
// trait of one store, tested apart (store/traits/group-commit.ts).

import assert from 'node:assert/strict';
import { EngineError, isEngineError } from '../../errors.js';
import { type ConformanceContext, org, uuid } from './fixtures.js';

export function transactionCases({ test, withStore }: ConformanceContext): void {
  test(
    'an acknowledged write is visible to later reads',
    withStore(async (s) => {
      const rid = await s.write((tx) => org(tx, 1));
      const o = await s.read((tx) => tx.getOrganisationByRid(rid));
      assert.equal(o?.name, 'Org 1');
      assert.equal(o?.status, 'active');
    }),
  );

  test(
    'a failing operation rolls back alone; the others of its batch commit',
    withStore(async (s) => {
      const results = await Promise.allSettled([
        s.write((tx) => org(tx, 1)),
        s.write(async (tx) => {
          await org(tx, 2);
          throw new EngineError('conflict', 'x');
        }),
        s.write((tx) => org(tx, 3)),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const r1 = results[1];
      assert.ok(r1?.status === 'rejected' && isEngineError(r1.reason, 'conflict'));
      const names = (await s.read((tx) => tx.listOrganisations())).map((o) => o.name);
      assert.deepEqual(names, ['Org 1', 'Org 3']);
    }),
  );

  test(
    'stats count committed writes and failed ones, not reads',
    withStore(async (s) => {
      const before = s.stats();
      await s.write((tx) => org(tx, 1));
      await s.read((tx) => tx.listOrganisations());
      const ok = s.stats();
      assert.deepEqual(
        [
          ok.commits - before.commits,
          ok.operations - before.operations,
          ok.failedOperations - before.failedOperations,
        ],
        [1, 1, 0],
      );
      await assert.rejects(
        s.write(async (tx) => {
          await org(tx, 2);
          throw new EngineError('conflict', 'x');
        }),
      );
      const failed = s.stats();
      assert.deepEqual(
        [failed.operations - ok.operations, failed.failedOperations - ok.failedOperations],
        [0, 1],
      );
    }),
  );

  test(
    'an hour counter starts at what is added, adds up, and keeps its alert flag',
    withStore(async (s) => {
      const rid = await s.write((tx) => org(tx, 1));
      assert.deepEqual(await s.write((tx) => tx.addToPlacementHour(rid, 9, 1)), { count: 1, alerted: false });
      assert.deepEqual(await s.write((tx) => tx.addToPlacementHour(rid, 9, 4)), { count: 5, alerted: false });
      await s.write((tx) => tx.setPlacementHour(rid, 9, { count: 5, alerted: true }));
      assert.deepEqual(await s.write((tx) => tx.addToPlacementHour(rid, 9, 1)), { count: 6, alerted: true });
      // Another hour and another organisation count apart.
      assert.deepEqual(await s.write((tx) => tx.addToPlacementHour(rid, 10, 2)), {
        count: 2,
        alerted: false,
      });
      const other = await s.write((tx) => org(tx, 2));
      assert.deepEqual(await s.write((tx) => tx.addToPlacementHour(other, 9, 1)), {
        count: 1,
        alerted: false,
      });
      assert.deepEqual(await s.read((tx) => tx.placementHour(rid, 9)), { count: 6, alerted: true });
    }),
  );

  test(
    'concurrent read-modify-writes of one budget lose nothing (the budget section, clause 4)',
    withStore(async (s) => {
      const rid = await s.write((tx) => org(tx, 1));
      await Promise.all(
        Array.from({ length: 50 }, () =>
          s.write(async (tx) => {
            const cur = (await tx.placementHour(rid, 7)) ?? { count: 0, alerted: false };
            await tx.setPlacementHour(rid, 7, { count: cur.count + 1, alerted: false });
          }),
        ),
      );
      assert.equal((await s.read((tx) => tx.placementHour(rid, 7)))?.count, 50);
    }),
  );

  test(
    'a batch item is all or nothing: refused before writing the operation goes on, after writing nothing of it remains',
    withStore(async (s) => {
      const names = async () => (await s.read((tx) => tx.listOrganisations())).map((o) => o.name);
      // Kept: an item that succeeds, and the operation around a refusal made before any write.
      const refused = await s.write(async (tx) => {
        assert.equal(
          await tx.batchItem(() => org(tx, 1)),
          await tx.batchItem(async () => (await tx.getOrganisation(uuid(1001)))!.rid),
        );
        const e = await tx
          .batchItem(async () => {
            throw new EngineError('budget_exceeded', 'x');
          })
          .catch((err: unknown) => err);
        await org(tx, 2);
        return e;
      });
      assert.ok(isEngineError(refused, 'budget_exceeded'));
      assert.deepEqual(await names(), ['Org 1', 'Org 2']);
      // Refused after its first write: either the item alone is undone and the operation goes
      // on with the refusal as is (PostgreSQL), or the item's error is not an EngineError and
      // the whole operation fails (SQLite). Never half an item.
      let itemError: unknown;
      const op = await s
        .write(async (tx) => {
          itemError = await tx
            .batchItem(async () => {
              await org(tx, 3);
              throw new EngineError('database_busy', 'y');
            })
            .catch((err: unknown) => {
              if (!isEngineError(err)) throw err;
              return err;
            });
          await org(tx, 4);
        })
        .then(
          () => 'committed',
          (err: unknown) => err,
        );
      if (op === 'committed') {
        assert.ok(isEngineError(itemError, 'database_busy'));
        assert.deepEqual(await names(), ['Org 1', 'Org 2', 'Org 4']);
      } else {
        // Not the item's refusal: the writer answers it as the storage fault it is.
        assert.ok(isEngineError(op, 'internal') && itemError === undefined);
        assert.deepEqual(await names(), ['Org 1', 'Org 2']);
      }
    }),
  );
}

/** Registered last by the entry: besides the case's store it opens and closes one of its own. */
export function closedStoreCase({ factory, test, withStore }: ConformanceContext): void {
  test(
    'a closed store refuses work with store_closed and is not ready; an open one is',
    withStore(async (s) => {
      const other = await factory();
      assert.deepEqual(await other.ready(), { ready: true });
      await other.close();
      assert.deepEqual(await other.ready(), { ready: false, reason: 'closed' });
      await assert.rejects(
        other.write((tx) => org(tx, 1)),
        (e: unknown) => isEngineError(e, 'store_closed'),
      );
      await assert.rejects(
        other.read((tx) => tx.listOrganisations()),
        (e: unknown) => isEngineError(e, 'store_closed'),
      );
      assert.equal((await s.read((tx) => tx.listOrganisations())).length, 0);
    }),
  );
}
