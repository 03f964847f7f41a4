// Store conformance, signals and stored pseudonyms: signals round-trip and patch, an
// (organisation, requestId) pair is unique (idempotent placement), and stored pseudonyms
// are found by value and role and deleted by epoch or with their signal.

import assert from 'node:assert/strict';
import { isEngineError } from '../../errors.js';
import { type ConformanceContext, newSignal, org, stored, uuid } from './fixtures.js';

export function signalCases({ test, withStore }: ConformanceContext): void {
  test(
    'signals round-trip, patch, and are unique per (organisation, requestId)',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const rid = await s.write((tx) =>
        tx.insertSignal(newSignal(o, 1, { contact: { name: 'N', role: 'R', phone: '+31 10 1234567' } })),
      );
      const got = await s.read((tx) => tx.getSignal(uuid(1)));
      assert.deepEqual(got?.contact, { name: 'N', role: 'R', phone: '+31 10 1234567' });
      assert.equal(got?.rid, rid);
      assert.equal((await s.read((tx) => tx.getSignalByRequest(o, uuid(5001))))?.id, uuid(1));
      await s.write((tx) =>
        tx.updateSignal(rid, {
          status: 'inactive',
          endReason: 'ended',
          endedAt: 5,
          purgeAt: 9,
          restricted: true,
        }),
      );
      const p = await s.read((tx) => tx.getSignalByRid(rid));
      assert.equal(p?.status, 'inactive');
      assert.equal(p?.endReason, 'ended');
      assert.equal(p?.restricted, true);
      assert.equal(p?.informed.status, 'not_yet');
      await assert.rejects(
        s.write((tx) => tx.insertSignal(newSignal(o, 2, { requestId: uuid(5001) }))),
        (e: unknown) => isEngineError(e, 'conflict'),
      );
    }),
  );

  test(
    'stored pseudonyms are found by value and role, and deleted by epoch',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [a, b] = await s.write(async (tx) => {
        const a = await tx.insertSignal(newSignal(o, 1));
        const b = await tx.insertSignal(newSignal(o, 2));
        await tx.insertPseudonyms([
          { stored: stored(1), signalRid: a, epoch: 1, generation: 1, role: 'subject' },
          { stored: stored(2), signalRid: a, epoch: 2, generation: 1, role: 'subject' },
          { stored: stored(1), signalRid: b, epoch: 1, generation: 1, role: 'parent' },
        ]);
        return [a, b];
      });
      const subj = await s.read((tx) => tx.findSignalsByStored([stored(1), stored(2)], 'subject'));
      assert.deepEqual(
        subj.map((x) => x.rid),
        [a],
      );
      const par = await s.read((tx) => tx.findSignalsByStored([stored(1)], 'parent'));
      assert.deepEqual(
        par.map((x) => x.rid),
        [b],
      );
      assert.equal((await s.read((tx) => tx.pseudonymsOf(a!))).length, 2);
      assert.equal(await s.write((tx) => tx.deletePseudonymsOfEpoch(2)), 1);
      assert.equal((await s.read((tx) => tx.pseudonymsOf(a!))).length, 1);
      await s.write((tx) => tx.deleteSignal(b!));
      assert.equal((await s.read((tx) => tx.findSignalsByStored([stored(1)], 'parent'))).length, 0);
    }),
  );
}
