// Store conformance, archive notices and management information (docs/engine.md "Archive
// notice", "Management information"): a notice pair is recorded once (a second insert of
// the pair answers false and changes nothing, also when two writes race); deleting the
// archived signal drops its notices, deleting the new signal unlinks them but keeps the
// pair; a signal's legal basis and inherited-objection mark round-trip; counters add up
// under concurrent increments, read back by month range in (month, type, metric) order,
// and a rolled-back increment is gone.

import assert from 'node:assert/strict';
import type { ArchiveNoticeRow } from '../store.js';
import { type ConformanceContext, newSignal, org, uuid } from './fixtures.js';

const notice = (archived: number, orgRid: number, signalRid: number | null, n: number): ArchiveNoticeRow => ({
  id: uuid(7000 + n),
  archivedSignalRid: archived,
  organisationRid: orgRid,
  signalRid,
  at: 500 + n,
});

export function noticeAndStatisticCases({ test, withStore }: ConformanceContext): void {
  test(
    'signal flags: the legal basis, the inherited objection and the registered restriction round-trip and patch',
    withStore(async (s) => {
      const rid = await s.write(async (tx) => {
        const a = await org(tx, 1);
        return tx.insertSignal(
          newSignal(a, 1, { legalBasis: 'no_objection', objection: 'pending', objectionInherited: true }),
        );
      });
      let row = await s.read((tx) => tx.getSignalByRid(rid));
      assert.equal(row?.legalBasis, 'no_objection');
      assert.equal(row?.objection, 'pending');
      assert.equal(row?.objectionInherited, true);
      await s.write((tx) => tx.updateSignal(rid, { objection: 'rejected', objectionInherited: false }));
      row = await s.read((tx) => tx.getSignalByRid(rid));
      assert.equal(row?.legalBasis, 'no_objection');
      assert.equal(row?.objection, 'rejected');
      assert.equal(row?.objectionInherited, false);
      // The desk's restriction registered on the signal (bit 9) apart from the restriction itself.
      await s.write((tx) => tx.updateSignal(rid, { restricted: true, restrictionRegistered: true }));
      row = await s.read((tx) => tx.getSignalByRid(rid));
      assert.deepEqual(
        [row?.restricted, row?.restrictionRegistered, row?.objection],
        [true, true, 'rejected'],
      );
      await s.write((tx) => tx.updateSignal(rid, { restrictionRegistered: false }));
      row = await s.read((tx) => tx.getSignalByRid(rid));
      assert.deepEqual([row?.restricted, row?.restrictionRegistered], [true, false]);
      const plain = await s.write(async (tx) => tx.insertSignal(newSignal(await org(tx, 2), 2)));
      assert.equal((await s.read((tx) => tx.getSignalByRid(plain)))?.legalBasis, 'jeugdwet');
    }),
  );

  test(
    'archive notices: once per pair, even when two writes race; read per new signal in time order',
    withStore(async (s) => {
      const { a, b, archived, archived2, fresh } = await s.write(async (tx) => {
        const a = await org(tx, 1);
        const b = await org(tx, 2);
        const archived = await tx.insertSignal(newSignal(a, 1, { status: 'inactive', endReason: 'ended' }));
        const archived2 = await tx.insertSignal(newSignal(a, 2, { status: 'inactive', endReason: 'ended' }));
        const fresh = await tx.insertSignal(newSignal(b, 3));
        return { a, b, archived, archived2, fresh };
      });
      const results = await Promise.all([
        s.write((tx) => tx.insertArchiveNotice(notice(archived, b, fresh, 2))),
        s.write((tx) => tx.insertArchiveNotice(notice(archived, b, fresh, 1))),
      ]);
      assert.deepEqual(results.filter((x) => x).length, 1);
      assert.equal(await s.write((tx) => tx.insertArchiveNotice(notice(archived, b, fresh, 3))), false);
      assert.equal(await s.write((tx) => tx.insertArchiveNotice(notice(archived2, b, fresh, 4))), true);
      // Another organisation is another pair.
      assert.equal(await s.write((tx) => tx.insertArchiveNotice(notice(archived, a, null, 5))), true);
      const got = await s.read((tx) => tx.archiveNoticesOf(fresh));
      assert.equal(got.length, 2);
      assert.deepEqual(
        got.map((n) => n.archivedSignalRid),
        [archived, archived2],
      );
      assert.ok(got.every((n) => n.organisationRid === b && n.signalRid === fresh));
      assert.equal(got[1]!.id, uuid(7004));
      assert.equal(got[1]!.at, 504);
    }),
  );

  test(
    'archive notices: deleting the archived signal drops them; deleting the new one keeps the pair',
    withStore(async (s) => {
      const { b, archived, archived2, fresh } = await s.write(async (tx) => {
        const a = await org(tx, 1);
        const b = await org(tx, 2);
        const archived = await tx.insertSignal(newSignal(a, 1, { status: 'inactive', endReason: 'ended' }));
        const archived2 = await tx.insertSignal(newSignal(a, 2, { status: 'inactive', endReason: 'ended' }));
        const fresh = await tx.insertSignal(newSignal(b, 3));
        await tx.insertArchiveNotice(notice(archived, b, fresh, 1));
        await tx.insertArchiveNotice(notice(archived2, b, fresh, 2));
        return { b, archived, archived2, fresh };
      });
      await s.write((tx) => tx.deleteSignal(archived));
      assert.deepEqual(
        (await s.read((tx) => tx.archiveNoticesOf(fresh))).map((n) => n.archivedSignalRid),
        [archived2],
      );
      await s.write((tx) => tx.deleteSignal(fresh));
      assert.deepEqual(await s.read((tx) => tx.archiveNoticesOf(fresh)), []);
      // The pair is remembered: the same organisation is not noticed again about archived2.
      const again = await s.write(async (tx) => {
        const next = await tx.insertSignal(newSignal(b, 4));
        return tx.insertArchiveNotice(notice(archived2, b, next, 3));
      });
      assert.equal(again, false);
    }),
  );

  test(
    'statistics: concurrent increments all count; a range reads in (month, type, metric) order; a rollback adds nothing',
    withStore(async (s) => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          s.write((tx) => tx.addStatistic(202601, i % 2 === 0 ? 'school' : 'police', 0, 1)),
        ),
      );
      await s.write(async (tx) => {
        await tx.addStatistic(202601, 'school', 103, 2);
        await tx.addStatistic(202602, 'school', 0, 7);
        await tx.addStatistic(202512, 'school', 0, 9);
      });
      await assert.rejects(
        s.write(async (tx) => {
          await tx.addStatistic(202601, 'school', 0, 100);
          throw new Error('rolled back');
        }),
      );
      const jan = await s.read((tx) => tx.statistics(202601, 202601));
      assert.deepEqual(jan, [
        { month: 202601, organisationType: 'police', metric: 0, value: 10 },
        { month: 202601, organisationType: 'school', metric: 0, value: 10 },
        { month: 202601, organisationType: 'school', metric: 103, value: 2 },
      ]);
      const all = await s.read((tx) => tx.statistics(202512, 202602));
      assert.deepEqual(
        all.map((r) => r.month),
        [202512, 202601, 202601, 202601, 202602],
      );
      assert.deepEqual(await s.read((tx) => tx.statistics(202603, 202612)), []);
    }),
  );
}
