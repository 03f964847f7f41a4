// Store conformance, handing one signal over (store/contract/handover.ts, docs/engine.md
// "Handover requests"): placement refusals (keyed by organisation and request id, replaced,
// swept by time), open requests (one per signal and person, exactly one of two concurrent
// asks adds it, listed per organisation with the asker's person id), and both kinds going
// with their signal and with a removed person; declines (per person, swept by time, gone with
// their person).

import assert from 'node:assert/strict';
import type { Store, StoreWriter } from '../store.js';
import { type ConformanceContext, newSignal, org, uuid } from './fixtures.js';

async function person(tx: StoreWriter, n: number, organisationRid: number): Promise<number> {
  return tx.insertPerson({
    id: uuid(7100 + n),
    organisationRid,
    displayName: `Person ${n}`,
    email: null,
    roles: ['professional'],
    status: 'active',
    createdAt: 1,
    removedAt: null,
  });
}

/** Two organisations, two signals of the first and one of the second, three people. */
async function setUp(s: Store) {
  return s.write(async (tx) => {
    const a = await org(tx, 1);
    const b = await org(tx, 2);
    return {
      a,
      b,
      s1: await tx.insertSignal(newSignal(a, 1)),
      s2: await tx.insertSignal(newSignal(a, 2)),
      s3: await tx.insertSignal(newSignal(b, 3)),
      p1: await person(tx, 1, a),
      p2: await person(tx, 2, a),
      p3: await person(tx, 3, b),
    };
  });
}

const request = (n: number, organisationRid: number, signalRid: number, personRid: number) => ({
  id: uuid(9100 + n),
  organisationRid,
  signalRid,
  personRid,
  requestedAt: 100 + n,
});

export function handoverCases({ test, withStore }: ConformanceContext): void {
  test(
    'placement refusals: one per organisation and request id, replaced, swept by time, read in any case',
    withStore(async (s) => {
      const { a, b, s1, s2, s3, p1, p2, p3 } = await setUp(s);
      const rq = uuid(6001);
      await s.write(async (tx) => {
        await tx.recordPlacementRefusal({
          organisationRid: a,
          requestId: rq,
          personRid: p1,
          signalRid: s1,
          at: 10,
        });
        await tx.recordPlacementRefusal({
          organisationRid: b,
          requestId: rq,
          personRid: p3,
          signalRid: s3,
          at: 11,
        });
      });
      assert.deepEqual(await s.read((tx) => tx.getPlacementRefusal(a, rq.toUpperCase())), {
        organisationRid: a,
        requestId: rq,
        personRid: p1,
        signalRid: s1,
        at: 10,
      });
      // The same key again replaces the record.
      await s.write((tx) =>
        tx.recordPlacementRefusal({
          organisationRid: a,
          requestId: rq,
          personRid: p2,
          signalRid: s2,
          at: 20,
        }),
      );
      assert.deepEqual(
        await s.read(async (tx) => [
          (await tx.getPlacementRefusal(a, rq))?.personRid,
          (await tx.getPlacementRefusal(a, rq))?.at,
        ]),
        [p2, 20],
      );
      assert.equal(await s.read((tx) => tx.getPlacementRefusal(a, uuid(6002))), undefined);
      // Swept strictly before the cutoff: b's (at 11) goes, a's (at 20) stays.
      assert.equal(await s.write((tx) => tx.deletePlacementRefusalsBefore(20)), 1);
      assert.equal(await s.read((tx) => tx.getPlacementRefusal(b, rq)), undefined);
      assert.notEqual(await s.read((tx) => tx.getPlacementRefusal(a, rq)), undefined);
      await s.write((tx) => tx.deletePlacementRefusal(a, rq));
      assert.equal(await s.read((tx) => tx.getPlacementRefusal(a, rq)), undefined);
    }),
  );

  test(
    'handover requests: one per signal and person, exactly one of two concurrent asks adds it, listed per organisation',
    withStore(async (s) => {
      const { a, b, s1, s2, s3, p1, p2, p3 } = await setUp(s);
      const added = await Promise.all([
        s.write((tx) => tx.insertHandoverRequest(request(1, a, s1, p1))),
        s.write((tx) => tx.insertHandoverRequest(request(2, a, s1, p1))),
      ]);
      assert.deepEqual([...added].sort(), [false, true]);
      const winner = added[0] ? uuid(9101) : uuid(9102);
      assert.equal(await s.write((tx) => tx.insertHandoverRequest(request(3, a, s1, p2))), true);
      assert.equal(await s.write((tx) => tx.insertHandoverRequest(request(4, a, s2, p1))), true);
      assert.equal(await s.write((tx) => tx.insertHandoverRequest(request(5, b, s3, p3))), true);
      const listed = await s.read((tx) => tx.listHandoverRequests(a));
      assert.deepEqual(
        listed.map((h) => [h.id, h.organisationRid, h.signalRid, h.personRid, h.personId]),
        [
          [winner, a, s1, p1, uuid(7101)],
          [uuid(9103), a, s1, p2, uuid(7102)],
          [uuid(9104), a, s2, p1, uuid(7101)],
        ],
      );
      assert.deepEqual(
        (await s.read((tx) => tx.listHandoverRequests(b))).map((h) => h.id),
        [uuid(9105)],
      );
      const got = await s.read((tx) => tx.getHandoverRequest(uuid(9103).toUpperCase()));
      assert.deepEqual(got, { ...request(3, a, s1, p2), rid: got?.rid, personId: uuid(7102) });
      assert.equal(await s.read((tx) => tx.getHandoverRequest(uuid(9199))), undefined);
      // Declined: deleted once.
      assert.equal(await s.write((tx) => tx.deleteHandoverRequest(got!.rid)), true);
      assert.equal(await s.write((tx) => tx.deleteHandoverRequest(got!.rid)), false);
      // A declined ask may be made again.
      assert.equal(await s.write((tx) => tx.insertHandoverRequest(request(6, a, s1, p2))), true);
      // Transferred or ended: every request for the signal goes, no other.
      await s.write((tx) => tx.deleteHandoverRequestsOfSignal(s1));
      assert.deepEqual(
        (await s.read((tx) => tx.listHandoverRequests(a))).map((h) => h.id),
        [uuid(9104)],
      );
    }),
  );

  test(
    'handover rows go with their signal when it is deleted, and with a removed person, no one else’s',
    withStore(async (s) => {
      const { a, s1, s2, p1, p2 } = await setUp(s);
      await s.write(async (tx) => {
        await tx.recordPlacementRefusal({
          organisationRid: a,
          requestId: uuid(6001),
          personRid: p1,
          signalRid: s1,
          at: 1,
        });
        await tx.recordPlacementRefusal({
          organisationRid: a,
          requestId: uuid(6002),
          personRid: p2,
          signalRid: s2,
          at: 1,
        });
        await tx.recordPlacementRefusal({
          organisationRid: a,
          requestId: uuid(6003),
          personRid: p1,
          signalRid: s2,
          at: 1,
        });
        await tx.insertHandoverRequest(request(1, a, s1, p1));
        await tx.insertHandoverRequest(request(2, a, s2, p2));
        await tx.insertHandoverRequest(request(3, a, s2, p1));
      });
      await s.write((tx) => tx.deleteSignal(s1));
      assert.equal(await s.read((tx) => tx.getPlacementRefusal(a, uuid(6001))), undefined);
      assert.deepEqual(
        (await s.read((tx) => tx.listHandoverRequests(a))).map((h) => h.id),
        [uuid(9102), uuid(9103)],
      );
      await s.write((tx) => tx.deleteHandoverOfPerson(p1));
      assert.deepEqual(
        (await s.read((tx) => tx.listHandoverRequests(a))).map((h) => h.id),
        [uuid(9102)],
      );
      assert.equal(await s.read((tx) => tx.getPlacementRefusal(a, uuid(6003))), undefined);
      assert.notEqual(await s.read((tx) => tx.getPlacementRefusal(a, uuid(6002))), undefined);
    }),
  );

  test(
    'handover declines: listed per person from a moment on, newest first, swept by time, gone with their person',
    withStore(async (s) => {
      const { a, b, p1, p2, p3 } = await setUp(s);
      const decline = (
        organisationRid: number,
        personRid: number,
        requestedAt: number,
        declinedAt: number,
      ) => ({
        organisationRid,
        personRid,
        requestedAt,
        declinedAt,
      });
      await s.write(async (tx) => {
        await tx.insertHandoverDecline(decline(a, p1, 10, 100));
        await tx.insertHandoverDecline(decline(a, p1, 20, 300));
        await tx.insertHandoverDecline(decline(a, p1, 30, 200));
        await tx.insertHandoverDecline(decline(a, p2, 40, 250));
        await tx.insertHandoverDecline(decline(b, p3, 50, 50));
      });
      assert.deepEqual(await s.read((tx) => tx.listHandoverDeclines(p1, 0)), [
        decline(a, p1, 20, 300),
        decline(a, p1, 30, 200),
        decline(a, p1, 10, 100),
      ]);
      assert.deepEqual(await s.read((tx) => tx.listHandoverDeclines(p1, 200)), [
        decline(a, p1, 20, 300),
        decline(a, p1, 30, 200),
      ]);
      assert.equal(await s.write((tx) => tx.deleteHandoverDeclinesBefore(200)), 2);
      assert.deepEqual(
        (await s.read((tx) => tx.listHandoverDeclines(p1, 0))).map((d) => d.declinedAt),
        [300, 200],
      );
      assert.deepEqual(await s.read((tx) => tx.listHandoverDeclines(p3, 0)), []);
      await s.write((tx) => tx.deleteHandoverOfPerson(p1));
      assert.deepEqual(await s.read((tx) => tx.listHandoverDeclines(p1, 0)), []);
      assert.deepEqual(await s.read((tx) => tx.listHandoverDeclines(p2, 0)), [decline(a, p2, 40, 250)]);
    }),
  );
}
