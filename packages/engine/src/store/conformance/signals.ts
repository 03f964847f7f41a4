// Store conformance, signals and stored pseudonyms: signals round-trip and patch, an
// (organisation, requestId) pair is unique (idempotent placement), stored pseudonyms are
// found by value and role and deleted by epoch or with their signal — also when values
// share their first bytes (the SQLite store finds a signal's values by prefix) — an expiry
// is recorded once, and a contact shared by several signals stays each signal's own when
// one of them changes.

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
    'expireSignal records an active signal as expired once, and leaves an inactive one alone',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [a, b] = await s.write(async (tx) => [
        await tx.insertSignal(newSignal(o, 1)),
        await tx.insertSignal(newSignal(o, 2)),
      ]);
      assert.equal(await s.write((tx) => tx.expireSignal(a, 5, 9)), true);
      assert.equal(await s.write((tx) => tx.expireSignal(a, 6, 10)), false);
      const got = await s.read((tx) => tx.getSignalByRid(a));
      assert.deepEqual(
        [got?.status, got?.endReason, got?.endedAt, got?.purgeAt],
        ['inactive', 'expired', 5, 9],
      );
      await s.write((tx) =>
        tx.updateSignal(b, { status: 'inactive', endReason: 'ended', endedAt: 3, purgeAt: 4 }),
      );
      assert.equal(await s.write((tx) => tx.expireSignal(b, 5, 9)), false);
      const ended = await s.read((tx) => tx.getSignalByRid(b));
      assert.deepEqual([ended?.endReason, ended?.endedAt, ended?.purgeAt], ['ended', 3, 4]);
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

  test(
    'pseudonyms sharing their first 8 bytes stay with their own signal through re-keying and deletion',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      // Same first 8 bytes, different values; one value on two signals in two roles.
      const v = (n: number) => Buffer.concat([Buffer.alloc(8, 0xab), Buffer.alloc(24, n)]);
      const [a, b] = await s.write(async (tx) => {
        const a = await tx.insertSignal(newSignal(o, 1));
        const b = await tx.insertSignal(newSignal(o, 2));
        await tx.insertPseudonyms([
          { stored: v(1), signalRid: a, epoch: 1, generation: 1, role: 'subject' },
          { stored: v(2), signalRid: a, epoch: 2, generation: 1, role: 'subject' },
          { stored: v(3), signalRid: a, epoch: 1, generation: 1, role: 'parent' },
          { stored: v(2), signalRid: b, epoch: 1, generation: 1, role: 'subject' },
          { stored: v(1), signalRid: b, epoch: 1, generation: 1, role: 'parent' },
        ]);
        return [a, b];
      });
      const values = async (rid: number) =>
        (await s.read((tx) => tx.pseudonymsOf(rid)))
          .map(
            (p) => `${p.role}:${Buffer.from(p.stored).toString('hex').slice(-2)}:${p.epoch}:${p.generation}`,
          )
          .sort();
      assert.deepEqual(await values(a), ['parent:03:1:1', 'subject:01:1:1', 'subject:02:2:1']);
      assert.deepEqual(await values(b), ['parent:01:1:1', 'subject:02:1:1']);
      const inRange = await s.read((tx) => tx.pseudonymsInRange(0, b));
      assert.equal(inRange.length, 5);

      // Re-keyed to a value with other first bytes: found under its new value only.
      const row = (await s.read((tx) => tx.pseudonymsOf(a))).find(
        (p) => p.role === 'subject' && p.epoch === 1,
      )!;
      await s.write((tx) => tx.rekeyPseudonym(row, stored(9), 2));
      assert.deepEqual(await values(a), ['parent:03:1:1', 'subject:02:2:1', 'subject:09:1:2']);
      assert.deepEqual(
        (await s.read((tx) => tx.findSignalsByStored([stored(9)], 'subject'))).map((x) => x.rid),
        [a],
      );
      assert.equal((await s.read((tx) => tx.findSignalsByStored([v(1)], 'subject'))).length, 0);

      // Deleting one signal's parent row or an epoch leaves the other signal's rows alone.
      assert.equal(await s.write((tx) => tx.deleteParentPseudonyms([v(1)])), 1);
      assert.deepEqual(await values(b), ['subject:02:1:1']);
      assert.deepEqual(await values(a), ['parent:03:1:1', 'subject:02:2:1', 'subject:09:1:2']);
      assert.equal(await s.write((tx) => tx.deletePseudonymsOfEpoch(2)), 1);
      assert.deepEqual(await values(a), ['parent:03:1:1', 'subject:09:1:2']);
      assert.deepEqual(await values(b), ['subject:02:1:1']);

      // Deleting a signal deletes its rows, not the other's with the same first bytes.
      await s.write((tx) => tx.deleteSignal(a));
      assert.deepEqual(await s.read((tx) => tx.pseudonymsOf(a)), []);
      assert.equal((await s.read((tx) => tx.findSignalsByStored([v(3)], 'parent'))).length, 0);
      assert.deepEqual(await values(b), ['subject:02:1:1']);
      assert.deepEqual(
        (await s.read((tx) => tx.findSignalsByStored([v(2)], 'subject'))).map((x) => x.rid),
        [b],
      );
    }),
  );

  test(
    'a contact shared by signals stays each one’s own through a change, a refused insert and deletions',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const p = await s.write((tx) => org(tx, 2));
      const same = { name: 'J. de Vries', role: 'jeugdconsulent', email: 'j@example.nl' };
      const other = { name: 'K. Jansen', role: 'wijkagent', phone: '+31 10 7654321' };
      const [a, b, c] = await s.write(async (tx) => [
        await tx.insertSignal(newSignal(o, 1, { contact: same })),
        await tx.insertSignal(newSignal(o, 2, { contact: same })),
        await tx.insertSignal(newSignal(p, 3, { contact: same })),
      ]);
      const contact = async (rid: number) => (await s.read((tx) => tx.getSignalByRid(rid)))?.contact;
      await s.write((tx) => tx.updateSignal(a, { contact: other }));
      assert.deepEqual(await contact(a), other);
      assert.deepEqual(await contact(b), same);
      assert.deepEqual(await contact(c), same);
      // A refused insert inside a write that goes on (in a savepoint: PostgreSQL aborts the
      // transaction at a failed statement, storage contract) does not disturb the others.
      await s.write(async (tx) => {
        await assert.rejects(
          tx.savepoint(() => tx.insertSignal(newSignal(o, 4, { requestId: uuid(5002), contact: same }))),
        );
      });
      // b is o's only signal naming `same` now: a refused insert that gave back more than
      // it took would have deleted the row under it.
      assert.deepEqual(await contact(b), same);
      await s.write((tx) => tx.deleteSignal(b));
      assert.deepEqual(await contact(c), same);
      await s.write((tx) => tx.updateSignal(a, { contact: same, restricted: true }));
      assert.deepEqual(await contact(a), same);
      assert.equal((await s.read((tx) => tx.getSignalByRid(a)))?.restricted, true);
      await s.write((tx) => tx.deleteSignal(c));
      const d = await s.write((tx) => tx.insertSignal(newSignal(p, 5, { contact: same })));
      assert.deepEqual(await contact(d), same);
      assert.deepEqual(await contact(a), same);
    }),
  );
}
