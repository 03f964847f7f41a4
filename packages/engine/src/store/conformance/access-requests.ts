// Store conformance, the GDPR access requests that found a signal (store/contract/
// access-requests.ts, docs/leakage.md §3.5): added per signal, read for a set of signals in
// time order, gone with their signal when it is deleted (an erasure, a purge, a withdrawal in
// error) and, by time, with the logbook's purge — nobody else's rows with them.

import assert from 'node:assert/strict';
import { type ConformanceContext, newSignal, org } from './fixtures.js';

export function accessRequestCases({ test, withStore }: ConformanceContext): void {
  test(
    'access requests: read per signal in time order, gone with their signal and through a time, no others',
    withStore(async (s) => {
      const { s1, s2, s3 } = await s.write(async (tx) => {
        const a = await org(tx, 1);
        return {
          s1: await tx.insertSignal(newSignal(a, 1)),
          s2: await tx.insertSignal(newSignal(a, 2)),
          s3: await tx.insertSignal(newSignal(a, 3)),
        };
      });
      await s.write(async (tx) => {
        await tx.insertAccessRequests([s2, s1, s1], 200, 'gdpr_desk');
        await tx.insertAccessRequests([], 250, 'municipality');
        await tx.insertAccessRequests([s1], 100, 'municipality');
        await tx.insertAccessRequests([s3], 300, 'municipality');
      });
      const of = (rids: number[]) =>
        s.read(async (tx) => (await tx.accessRequestsOf(rids)).map((r) => [r.signalRid, r.at, r.role]));
      assert.deepEqual(await of([s1, s2]), [
        [s1, 100, 'municipality'],
        [s1, 200, 'gdpr_desk'],
        [s2, 200, 'gdpr_desk'],
      ]);
      assert.deepEqual(await of([]), []);
      await s.write((tx) => tx.deleteSignal(s1));
      assert.deepEqual(await of([s1, s2, s3]), [
        [s2, 200, 'gdpr_desk'],
        [s3, 300, 'municipality'],
      ]);
      assert.equal(await s.write((tx) => tx.deleteAccessRequestsThrough(200)), 1);
      assert.deepEqual(await of([s1, s2, s3]), [[s3, 300, 'municipality']]);
    }),
  );
}
