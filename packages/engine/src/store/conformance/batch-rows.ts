// Store conformance, the batch path's rows (store/contract/ `insertPlacements`, `insertMatches`,
// `appendEvents`, `signalsByStoredValues`, `signalsByRequestIds`, `subjectEpochsOf`; docs/engine.md "Batch
// placement"): each gives exactly what the single-row methods give one call at a time —
// the same rows, rids increasing in row order, consecutive inbox cursors per organisation —
// and a refused batch insert fails its whole write. Their behaviour under concurrent
// writers is in concurrency.ts.

import assert from 'node:assert/strict';
import { isEngineError } from '../../errors.js';
import type { NewPlacement } from '../store.js';
import { type ConformanceContext, newMatch, newSignal, org, stored, uuid } from './fixtures.js';

const placement = (
  o: number,
  n: number,
  values: readonly { v: number; role: 'subject' | 'parent'; epoch?: number }[],
  contact: NewPlacement['signal']['contact'] = { name: 'A', role: 'B', email: 'a@example.nl' },
): NewPlacement => ({
  signal: newSignal(o, n, { contact }),
  pseudonyms: values.map(({ v, role, epoch }) => ({
    stored: stored(v),
    role,
    epoch: epoch ?? 1,
    generation: 1,
  })),
});

export function batchRowCases({ test, withStore }: ConformanceContext): void {
  test(
    'insertPlacements writes what insertSignal and insertPseudonyms write, rids increasing in row order',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const before = await s.write((tx) => tx.insertSignal(newSignal(o, 1)));
      const other = { name: 'C', role: 'D', phone: '+31 10 1234567' };
      const rows = [
        placement(o, 2, [
          { v: 1, role: 'subject' },
          { v: 2, role: 'subject', epoch: 2 },
        ]),
        placement(o, 3, [{ v: 1, role: 'subject' }], other),
        placement(o, 4, [
          { v: 3, role: 'subject' },
          { v: 1, role: 'parent' },
        ]),
        placement(o, 5, []),
      ];
      const rids = await s.write((tx) => tx.insertPlacements(rows));
      assert.equal(rids.length, 4);
      assert.ok(rids[0]! > before);
      for (let i = 1; i < rids.length; i++) assert.ok(rids[i]! > rids[i - 1]!);
      const after = await s.write((tx) => tx.insertSignal(newSignal(o, 6)));
      assert.ok(after > rids[3]!);
      for (const [i, r] of rows.entries()) {
        const got = await s.read((tx) => tx.getSignalByRid(rids[i]!));
        assert.equal(got?.id, r.signal.id);
        assert.deepEqual(got?.contact, r.signal.contact);
        assert.equal(got?.requestId, r.signal.requestId);
        assert.deepEqual(Buffer.from(got!.requestHash), Buffer.from(r.signal.requestHash));
        const ps = await s.read((tx) => tx.pseudonymsOf(rids[i]!));
        assert.deepEqual(
          ps.map((p) => `${p.role}:${p.stored[0]}:${p.epoch}`).sort(),
          r.pseudonyms.map((p) => `${p.role}:${p.stored[0]}:${p.epoch}`).sort(),
        );
      }
      const subjects = await s.read((tx) => tx.findSignalsByStored([stored(1)], 'subject'));
      assert.deepEqual(
        subjects.map((x) => x.rid),
        [rids[0], rids[1]],
      );
      // Deleting a batch-inserted signal takes its stored pseudonyms; its contact stays the others'.
      await s.write((tx) => tx.deleteSignal(rids[2]!));
      assert.deepEqual(await s.read((tx) => tx.findSignalsByStored([stored(1)], 'parent')), []);
      assert.deepEqual((await s.read((tx) => tx.getSignalByRid(rids[0]!)))?.contact, rows[0]!.signal.contact);
      assert.deepEqual((await s.read((tx) => tx.getSignalByRid(rids[1]!)))?.contact, other);
    }),
  );

  test(
    'reserveSignalRids: the next insertPlacements takes rids above every rid the write inserted before, increasing',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const before = await s.write((tx) => tx.insertSignal(newSignal(o, 1)));
      const got = await s.write(async (tx) => {
        await tx.reserveSignalRids(3);
        const a = await tx.insertPlacements([placement(o, 2, []), placement(o, 3, [])]);
        // Used once: the next insert draws its own, above.
        const b = await tx.insertPlacements([placement(o, 4, [])]);
        // Too small a reservation is not used.
        await tx.reserveSignalRids(1);
        const c = await tx.insertPlacements([placement(o, 5, []), placement(o, 6, [])]);
        // A signal inserted after a reservation: the rows after it get rids above it.
        await tx.reserveSignalRids(2);
        const single = await tx.insertSignal(newSignal(o, 7));
        const d = await tx.insertPlacements([placement(o, 8, []), placement(o, 9, [])]);
        return [...a, ...b, ...c, single, ...d];
      });
      assert.equal(got.length, 8);
      assert.ok(got[0]! > before);
      for (let i = 1; i < got.length; i++) assert.ok(got[i]! > got[i - 1]!, `rid ${i} above rid ${i - 1}`);
      for (const [i, rid] of got.entries()) {
        assert.equal((await s.read((tx) => tx.getSignalByRid(rid)))?.id, uuid(i + 2));
      }
      // A reservation no insert uses changes nothing.
      await s.write((tx) => tx.reserveSignalRids(5));
      const after = await s.write((tx) => tx.insertSignal(newSignal(o, 10)));
      assert.ok(after > got[7]!);
    }),
  );

  test(
    'insertPlacements refused (a request id already used) fails its whole write',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      await s.write((tx) => tx.insertSignal(newSignal(o, 1)));
      const dup = { ...placement(o, 3, [{ v: 9, role: 'subject' }]) };
      const rows = [
        placement(o, 2, [{ v: 8, role: 'subject' }]),
        { ...dup, signal: { ...dup.signal, requestId: uuid(5001) } },
      ];
      await assert.rejects(
        s.write(async (tx) => {
          await tx.insertPlacements(rows);
        }),
        (e: unknown) => isEngineError(e, 'conflict'),
      );
      assert.equal(await s.read((tx) => tx.getSignal(uuid(2))), undefined);
      assert.deepEqual(await s.read((tx) => tx.findSignalsByStored([stored(8)], 'subject')), []);
    }),
  );

  test(
    'signalsByStoredValues answers per value what findSignalsByStored answers for it',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const rids = await s.write((tx) =>
        tx.insertPlacements([
          placement(o, 1, [{ v: 1, role: 'subject' }]),
          placement(o, 2, [
            { v: 1, role: 'subject' },
            { v: 2, role: 'parent' },
          ]),
          placement(o, 3, [{ v: 2, role: 'subject' }]),
        ]),
      );
      const values = [stored(2), stored(1), stored(7), stored(1)];
      for (const role of ['subject', 'parent'] as const) {
        const per = await s.read((tx) => tx.signalsByStoredValues(values, role));
        assert.equal(per.length, values.length);
        for (const [i, v] of values.entries()) {
          const one = await s.read((tx) => tx.findSignalsByStored([v], role));
          assert.deepEqual(
            per[i]!.map((x) => x.rid),
            one.map((x) => x.rid),
          );
        }
      }
      const inWrite = await s.write((tx) => tx.signalsByStoredValues([stored(1)], 'subject'));
      assert.deepEqual(
        inWrite[0]!.map((x) => x.rid),
        [rids[0], rids[1]],
      );
      assert.deepEqual(await s.read((tx) => tx.signalsByStoredValues([], 'subject')), []);
    }),
  );

  test(
    'subjectEpochsOf answers per rid the subject epochs pseudonymsOf gives, distinct and ascending',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const rows = [
        placement(o, 1, [{ v: 1, role: 'subject', epoch: 3 }]),
        placement(o, 2, [
          { v: 2, role: 'subject', epoch: 5 },
          { v: 3, role: 'subject', epoch: 2 },
          { v: 4, role: 'subject', epoch: 5 },
          { v: 1, role: 'parent', epoch: 7 },
        ]),
        placement(o, 3, [{ v: 5, role: 'parent', epoch: 4 }]),
        placement(o, 4, []),
      ];
      const rids = await s.write((tx) => tx.insertPlacements(rows));
      const unknown = Math.max(...rids) + 1000;
      const asked = [rids[1]!, unknown, rids[0]!, rids[2]!, rids[3]!, rids[1]!];
      const epochsOf = async (rid: number) =>
        [
          ...new Set(
            (await s.read((tx) => tx.pseudonymsOf(rid)))
              .filter((p) => p.role === 'subject')
              .map((p) => p.epoch),
          ),
        ].sort((a, b) => a - b);
      const expected = await Promise.all(asked.map(epochsOf));
      assert.deepEqual(expected, [[2, 5], [], [3], [], [], [2, 5]]);
      assert.deepEqual(await s.read((tx) => tx.subjectEpochsOf(asked)), expected);
      assert.deepEqual(await s.write((tx) => tx.subjectEpochsOf(asked)), expected);
      assert.deepEqual(await s.read((tx) => tx.subjectEpochsOf([])), []);
      // A deleted signal has none.
      await s.write((tx) => tx.deleteSignal(rids[0]!));
      assert.deepEqual(await s.read((tx) => tx.subjectEpochsOf([rids[0]!, rids[1]!])), [[], [2, 5]]);
    }),
  );

  test(
    'subjectEpochsOf over more rids than one IN list holds answers each as pseudonymsOf does',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      // 300 signals: beyond the SQLite store's lists of 128; every third has a second epoch.
      const rows = Array.from({ length: 300 }, (_, i) =>
        placement(o, i + 1, [
          { v: 2 * i + 1, role: 'subject', epoch: (i % 4) + 1 },
          ...(i % 3 === 0 ? [{ v: 2 * i + 2, role: 'subject' as const, epoch: 9 }] : []),
        ]),
      );
      const rids = await s.write((tx) => tx.insertPlacements(rows));
      const asked = [...rids].reverse();
      const expected = asked.map((_, j) => {
        const i = rids.length - 1 - j;
        return i % 3 === 0 ? [(i % 4) + 1, 9] : [(i % 4) + 1];
      });
      assert.deepEqual(await s.read((tx) => tx.subjectEpochsOf(asked)), expected);
      assert.deepEqual(await s.write((tx) => tx.subjectEpochsOf(asked)), expected);
    }),
  );

  test(
    "signalsByRequestIds finds the organisation's own signals by request id, in any case",
    withStore(async (s) => {
      const [o1, o2] = await s.write(async (tx) => [await org(tx, 1), await org(tx, 2)]);
      await s.write(async (tx) => {
        await tx.insertSignal(newSignal(o1!, 1));
        await tx.insertSignal(newSignal(o1!, 2));
        await tx.insertSignal(newSignal(o2!, 3, { requestId: uuid(5004) }));
      });
      const got = await s.read((tx) =>
        tx.signalsByRequestIds(o1!, [
          uuid(5002).toUpperCase(),
          uuid(5001),
          uuid(5004),
          uuid(9),
          'not-a-uuid',
          uuid(5001),
        ]),
      );
      assert.deepEqual(
        got.map((x) => x.id),
        [uuid(1), uuid(2)],
      );
      assert.deepEqual(await s.read((tx) => tx.signalsByRequestIds(o2!, [])), []);
    }),
  );

  test(
    'insertMatches writes what insertMatch writes; a pair that exists fails the write',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [a, b, c] = await s.write((tx) =>
        tx.insertPlacements([placement(o, 1, []), placement(o, 2, []), placement(o, 3, [])]),
      );
      await s.write((tx) =>
        tx.insertMatches([
          newMatch(1, a!, b!, { regieHolder: 'b', regieSince: 1 }),
          newMatch(2, a!, c!, { kind: 'family' }),
        ]),
      );
      const m1 = await s.read((tx) => tx.getMatchByPair(a!, b!));
      assert.equal(m1?.id, uuid(70_001));
      assert.equal(m1?.regieHolder, 'b');
      assert.equal((await s.read((tx) => tx.getMatch(uuid(70_002))))?.kind, 'family');
      await assert.rejects(
        s.write((tx) => tx.insertMatches([newMatch(3, b!, c!), newMatch(4, a!, b!)])),
        (e: unknown) => isEngineError(e, 'conflict'),
      );
      assert.equal(await s.read((tx) => tx.getMatchByPair(b!, c!)), undefined);
    }),
  );

  test(
    "appendEvents gives each organisation's rows its next cursors, consecutive in row order",
    withStore(async (s) => {
      const [o1, o2] = await s.write(async (tx) => [await org(tx, 1), await org(tx, 2)]);
      const ev = (o: number, n: number) => ({
        organisationRid: o,
        type: 'match.created' as const,
        matchId: uuid(n),
        at: n,
      });
      const first = await s.write((tx) => tx.appendEvent(ev(o2!, 1)));
      const cursors = await s.write((tx) =>
        tx.appendEvents([ev(o2!, 2), ev(o1!, 3), ev(o2!, 4), ev(o1!, 5)]),
      );
      assert.deepEqual(cursors, [first + 1, 1, first + 2, 2]);
      const next = await s.write((tx) => tx.appendEvent(ev(o1!, 6)));
      assert.equal(next, 3);
      assert.deepEqual(await s.write((tx) => tx.appendEvents([])), []);
      const inbox = await s.read((tx) => tx.eventsAfter(o2!, 0, 10));
      assert.deepEqual(
        inbox.map((e) => [e.cursor, e.matchId]),
        [
          [first, uuid(1)],
          [first + 1, uuid(2)],
          [first + 2, uuid(4)],
        ],
      );
    }),
  );
}
