// Store conformance: a webhook delivery's attempt is recorded only while the claim it was made
// under still holds the row pending (store/contract/outbox.ts `updateDelivery`). A late attempt
// changes nothing on a delivery retention expired after the lease ended (docs/engine.md
// "Retention") or another claim took over: the condition is the statement's own, so a domain
// read before the change does not bring the row back (domain/concurrent-row-updates.test.ts
// interleaves the two).

import assert from 'node:assert/strict';
import { type ConformanceContext, newDelivery, org, uuid } from './fixtures.js';

export function deliveryCases({ test, withStore }: ConformanceContext): void {
  test(
    'a delivery attempt is recorded only under the claim that holds it pending: not once expired, not after a takeover',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [taken, expired] = [uuid(811), uuid(812)];
      const late = { token: uuid(821), until: 10 };
      const next = { token: uuid(822), until: 20 };
      await s.write(async (tx) => {
        await tx.insertDelivery(newDelivery(o, 11, 5));
        await tx.insertDelivery(newDelivery(o, 12, 5));
      });
      assert.equal((await s.write((tx) => tx.claimDeliveries(5, late, 10))).length, 2);
      // The lease ends at 10: another claim takes the first row over, retention ends the second.
      assert.deepEqual(
        (await s.write((tx) => tx.claimDeliveries(10, next, 1))).map((d) => d.id),
        [taken],
      );
      assert.equal(await s.write((tx) => tx.expireDeliveriesBefore(2, 2, 10)), 1);
      const attempt = (id: string, claim: string, status: 'delivered' | 'pending') =>
        s.write((tx) =>
          tx.updateDelivery(id, claim, {
            status,
            attempts: 1,
            nextAttemptAt: 60,
            lastErrorCode: status === 'pending' ? 'http_503' : null,
            deliveredAt: status === 'delivered' ? 11 : null,
          }),
        );
      const state = (id: string) =>
        s.read(async (tx) => {
          const d = (await tx.getDelivery(id))!;
          return [d.status, d.attempts, d.nextAttemptAt, d.claim];
        });
      // The late attempts, delivered or failed: nothing changes.
      assert.equal(await attempt(expired, late.token, 'delivered'), false);
      assert.equal(await attempt(expired, late.token, 'pending'), false);
      assert.deepEqual(await state(expired), ['expired', 0, 10, null]);
      assert.equal(await attempt(taken, late.token, 'delivered'), false);
      assert.deepEqual(await state(taken), ['pending', 0, 5, next.token]);
      // The holding claim's attempt is recorded, once: it ended the claim.
      assert.equal(await attempt(taken, next.token, 'pending'), true);
      assert.deepEqual(await state(taken), ['pending', 1, 60, null]);
      assert.equal(await attempt(taken, next.token, 'delivered'), false);
      assert.deepEqual(await state(taken), ['pending', 1, 60, null]);
    }),
  );
}
