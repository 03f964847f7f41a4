// Store conformance for epoch retirement (docs/keys.md §4.1): what retiring an epoch would
// strand — signals with a subject value under it and none under another active epoch — and
// the per-epoch counts of migration progress, each by the signals' state at a given time: a
// due signal (stored active, past its expiresAt) has ended for every reader (docs/engine.md
// "The life of a signal"), so it holds no epoch in use and counts under none.

import assert from 'node:assert/strict';
import type { StoredPseudonymRow } from '../store.js';
import { type ConformanceContext, newSignal, org, secondEpoch, stored, uuid } from './fixtures.js';

const subject = (signalRid: number, n: number, epoch: number): StoredPseudonymRow => ({
  stored: stored(n),
  role: 'subject',
  signalRid,
  epoch,
  generation: 1,
});

export function epochCases({ test, withStore }: ConformanceContext): void {
  test(
    'what retiring an epoch would strand: signals with a subject value under it and none under another active epoch',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      await secondEpoch(s);
      const [only1, both, archived, only2] = await s.write(async (tx) => {
        const a = await tx.insertSignal(newSignal(o, 1));
        const b = await tx.insertSignal(newSignal(o, 2));
        const c = await tx.insertSignal(
          newSignal(o, 3, { status: 'inactive', endReason: 'ended', endedAt: 20 }),
        );
        const d = await tx.insertSignal(newSignal(o, 4));
        await tx.insertPseudonyms([
          subject(a, 1, 1),
          subject(b, 2, 1),
          subject(b, 12, 2),
          subject(c, 3, 1),
          subject(d, 4, 2),
          // a parent value under epoch 1 does not make d depend on it
          { stored: stored(40), role: 'parent', signalRid: d, epoch: 1, generation: 1 },
        ]);
        return [a, b, c, d];
      });
      await s.read(async (tx) => {
        assert.deepEqual(await tx.epochDependants(1, 500), [
          { organisationId: uuid(1001), active: 1, due: 0, inactive: 1 },
        ]);
        assert.deepEqual(await tx.activeSignalRidsOnlyUnder(1), [only1]);
        assert.deepEqual(await tx.epochDependants(2, 500), [
          { organisationId: uuid(1001), active: 1, due: 0, inactive: 0 },
        ]);
        assert.deepEqual(await tx.activeSignalRidsOnlyUnder(2), [only2]);
      });
      // with epoch 2 retired, epoch 1 is the only active one left: every epoch-1 signal depends on it
      await s.write((tx) => tx.updateEpoch(2, { status: 'retired', retiredAt: 30 }));
      assert.deepEqual(await s.read((tx) => tx.activeSignalRidsOnlyUnder(1)), [only1, both]);
      assert.equal(archived > 0, true);
    }),
  );

  test(
    'a due signal holds no epoch in use and counts under none; a live one still does',
    withStore(async (s) => {
      const [o, p] = await s.write(async (tx) => [await org(tx, 1), await org(tx, 2)]);
      await secondEpoch(s);
      // Under epoch 1 only: o's signal due at 100, p's live until 1000. Under both: o's, due at 100.
      const [dueOnly1, liveOnly1] = await s.write(async (tx) => {
        const a = await tx.insertSignal(newSignal(o, 1, { expiresAt: 100 }));
        const b = await tx.insertSignal(newSignal(p, 2, { expiresAt: 1000 }));
        const c = await tx.insertSignal(newSignal(o, 3, { expiresAt: 100 }));
        await tx.insertPseudonyms([subject(a, 1, 1), subject(b, 2, 1), subject(c, 3, 1), subject(c, 13, 2)]);
        return [a, b];
      });
      await s.read(async (tx) => {
        // Before 100 every signal is live.
        assert.deepEqual(await tx.epochDependants(1, 99), [
          { organisationId: uuid(1001), active: 1, due: 0, inactive: 0 },
          { organisationId: uuid(1002), active: 1, due: 0, inactive: 0 },
        ]);
        assert.deepEqual(await tx.epochSignalCounts(99), [
          { organisationId: uuid(1001), epoch: 1, activeSignals: 2 },
          { organisationId: uuid(1001), epoch: 2, activeSignals: 1 },
          { organisationId: uuid(1002), epoch: 1, activeSignals: 1 },
        ]);
        // From 100 on o's are due: ended, not in use; p's still holds epoch 1.
        assert.deepEqual(await tx.epochDependants(1, 100), [
          { organisationId: uuid(1001), active: 0, due: 1, inactive: 0 },
          { organisationId: uuid(1002), active: 1, due: 0, inactive: 0 },
        ]);
        assert.deepEqual(await tx.epochSignalCounts(100), [
          { organisationId: uuid(1002), epoch: 1, activeSignals: 1 },
        ]);
        assert.deepEqual(await tx.activeSignalCounts(100), [
          { organisationId: uuid(1002), activeSignals: 1 },
        ]);
        assert.deepEqual(await tx.epochDependants(2, 100), []);
        // The rows the retirement walks: stored active, due ones included (it records their expiry).
        assert.deepEqual(await tx.activeSignalRidsOnlyUnder(1), [dueOnly1, liveOnly1]);
      });
      // With p's signal ended too, only due signals depend on epoch 1.
      await s.write((tx) =>
        tx.updateSignal(liveOnly1!, { status: 'inactive', endReason: 'ended', endedAt: 150 }),
      );
      assert.deepEqual(await s.read((tx) => tx.epochDependants(1, 200)), [
        { organisationId: uuid(1001), active: 0, due: 1, inactive: 0 },
        { organisationId: uuid(1002), active: 0, due: 0, inactive: 1 },
      ]);
    }),
  );
}
