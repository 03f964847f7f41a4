// Store conformance, the methods no other group calls: organisations and keys updated in
// place and listed by owner; signal listings and the expiry and purge queues in their
// order; the gauges' counts; request hashes and the rotation bookkeeping; the webhook
// outbox's rows (listed, updated, delivered ones deleted); placement hours and old ones
// deleted; compact keeping every live row.

import assert from 'node:assert/strict';
import { type ConformanceContext, newDelivery, newMatch, newSignal, org, stored, uuid } from './fixtures.js';

const key = (keyId: string, organisationRid: number | null, addedAt: number) => ({
  keyId,
  role: organisationRid === null ? ('admin' as const) : ('organisation' as const),
  organisationRid,
  publicKey: Buffer.alloc(32, addedAt),
  status: 'active' as const,
  addedAt,
  revokedAt: null,
});

export function lifecycleCases({ test, withStore }: ConformanceContext): void {
  test(
    'organisations and keys are updated in place and listed by owner',
    withStore(async (s) => {
      const [o1, o2] = await s.write(async (tx) => {
        const a = await org(tx, 1);
        const b = await org(tx, 2);
        await tx.insertKey(key('k1', a, 1));
        await tx.insertKey(key('k0', null, 2));
        await tx.updateOrganisation(a, {
          status: 'suspended',
          webhookUrl: 'https://x.example.nl/h',
          placementBudgetPerDay: 3,
          matchEmail: true,
        });
        await tx.updateKey('k1', { status: 'revoked', revokedAt: 5 });
        return [a, b];
      });
      await s.read(async (tx) => {
        assert.deepEqual(await tx.getOrganisation(uuid(1001)), {
          rid: o1,
          id: uuid(1001),
          name: 'Org 1',
          type: 'youth_care',
          status: 'suspended',
          webhookUrl: 'https://x.example.nl/h',
          placementBudgetPerDay: 3,
          createdAt: 1,
          matchEmail: true,
        });
        assert.equal((await tx.getOrganisation(uuid(1002)))?.matchEmail, false);
        assert.equal(await tx.getOrganisation(uuid(9999)), undefined);
        assert.deepEqual((await tx.listKeys()).map((k) => k.keyId).sort(), ['k0', 'k1']);
        assert.deepEqual(
          (await tx.listKeys(null)).map((k) => k.keyId),
          ['k0'],
        );
        const [k1] = await tx.listKeys(o1!);
        assert.equal(k1?.status, 'revoked');
        assert.equal(k1?.revokedAt, 5);
        assert.equal(k1?.organisationId, uuid(1001));
        assert.deepEqual(await tx.listKeys(o2!), []);
      });
    }),
  );

  test(
    'signal listings (a status as of a time, either order) and the expiry and purge queues keep their order; the gauges count them',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [r1, r2, r3] = await s.write(async (tx) => {
        const a = await tx.insertSignal(newSignal(o, 1, { expiresAt: 100 }));
        const b = await tx.insertSignal(newSignal(o, 2, { expiresAt: 50 }));
        const c = await tx.insertSignal(
          newSignal(o, 3, { status: 'inactive', endReason: 'ended', endedAt: 20, purgeAt: 70 }),
        );
        await tx.insertMatch(newMatch(1, a, b));
        return [a, b, c];
      });
      await s.read(async (tx) => {
        assert.deepEqual(
          (await tx.listSignals(o, undefined, 0, 10)).map((x) => x.rid),
          [r1, r2, r3],
        );
        assert.deepEqual(
          (await tx.listSignals(o, { status: 'active', at: 0 }, r1!, 10)).map((x) => x.rid),
          [r2],
        );
        assert.deepEqual(
          (await tx.listSignals(o, { status: 'inactive', at: 0 }, 0, 10)).map((x) => x.rid),
          [r3],
        );
        assert.deepEqual(
          (await tx.listSignals(o, undefined, 0, 1)).map((x) => x.rid),
          [r1],
        );
        // As of a time: a row stored active whose expiresAt has passed is inactive.
        assert.deepEqual(
          (await tx.listSignals(o, { status: 'active', at: 50 }, 0, 10)).map((x) => x.rid),
          [r1],
        );
        assert.deepEqual(
          (await tx.listSignals(o, { status: 'inactive', at: 50 }, 0, 10)).map((x) => x.rid),
          [r2, r3],
        );
        assert.deepEqual(await tx.listSignals(o, { status: 'active', at: 100 }, 0, 10), []);
        // Newest first: descending rid from the last (0), then before the given rid.
        const newest = async (
          status: { status: 'active' | 'inactive'; at: number } | undefined,
          before: number,
          limit: number,
        ) => (await tx.listSignals(o, status, before, limit, undefined, 'newest')).map((x) => x.rid);
        assert.deepEqual(await newest(undefined, 0, 10), [r3, r2, r1]);
        assert.deepEqual(await newest(undefined, 0, 2), [r3, r2]);
        assert.deepEqual(await newest(undefined, r2!, 10), [r1]);
        assert.deepEqual(await newest(undefined, r1!, 10), []);
        assert.deepEqual(await newest({ status: 'active', at: 0 }, 0, 10), [r2, r1]);
        assert.deepEqual(await newest({ status: 'active', at: 50 }, 0, 10), [r1]);
        assert.deepEqual(await newest({ status: 'inactive', at: 50 }, 0, 10), [r3, r2]);
        assert.deepEqual(await newest({ status: 'inactive', at: 50 }, r3!, 10), [r2]);
        assert.deepEqual(
          (await tx.listSignals(o, undefined, r2!, 10, undefined, 'oldest')).map((x) => x.rid),
          [r3],
        );
        assert.deepEqual(
          (await tx.signalsExpiringBy(60, 10)).map((x) => x.rid),
          [r2],
        );
        assert.deepEqual(
          (await tx.signalsExpiringBy(100, 10)).map((x) => x.rid),
          [r2, r1],
        );
        assert.deepEqual(
          (await tx.signalsPurgeableBy(69, 10)).map((x) => x.rid),
          [],
        );
        assert.deepEqual(
          (await tx.signalsPurgeableBy(70, 10)).map((x) => x.rid),
          [r3],
        );
        assert.deepEqual(await tx.signalStateCounts(o), { active: 2, inactive: 1 });
        // Live at a time: a due signal is not active (docs/engine.md "The life of a signal").
        const live = (n: number) => [{ organisationId: uuid(1001), activeSignals: n }];
        assert.deepEqual(await tx.activeSignalCounts(49), live(2));
        assert.deepEqual(await tx.activeSignalCounts(50), live(1));
        assert.deepEqual(await tx.activeSignalCounts(100), []);
        assert.equal(await tx.matchCount('active', 'person'), 1);
        assert.equal(await tx.matchCount('active', 'family'), 0);
        assert.equal(await tx.matchCount('ended', 'person'), 0);
        assert.deepEqual(
          (await tx.listMatches('active')).map((m) => m.id),
          [newMatch(1, r1!, r2!).id],
        );
        assert.deepEqual(await tx.listMatches('ended'), []);
        const c = await tx.counts();
        assert.deepEqual(c.organisations, { active: 1, suspended: 0 });
        assert.deepEqual(c.signals, { active: 2, inactive: 1 });
        assert.deepEqual(c.matches, { active: 1, ended: 0, family: 0 });
      });
      await s.compact();
      assert.equal((await s.read((tx) => tx.listSignals(o, undefined, 0, 10))).length, 3);
    }),
  );

  test(
    'request hashes are replaced in place; the rotation bookkeeping is kept and read back',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const rids = await s.write(async (tx) => {
        const out: number[] = [];
        for (let n = 1; n <= 3; n++) {
          const rid = await tx.insertSignal(newSignal(o, n));
          await tx.insertPseudonyms([
            { stored: stored(n), role: 'subject', signalRid: rid, epoch: 1, generation: 1 },
          ]);
          out.push(rid);
        }
        return out;
      });
      const [r1, r2, r3] = rids as [number, number, number];
      await s.read(async (tx) => {
        assert.equal(await tx.maxSignalRid(), r3);
        assert.deepEqual(await tx.latestSecretRotation(), undefined);
        assert.deepEqual(
          (await tx.signalHashesInRange(0, r3, 10)).map((x) => x.rid),
          [r1, r2, r3],
        );
        assert.deepEqual(
          (await tx.signalHashesInRange(r1, r3, 1)).map((x) => x.rid),
          [r2],
        );
      });
      const rotation = {
        generation: 2,
        startedAt: 10,
        completedAt: null,
        maxSignalRid: r3,
        cursorRid: 0,
        rowsRekeyed: 0,
        hashesRekeyed: 0,
      };
      await s.write(async (tx) => {
        await tx.updateRequestHash(r1, Buffer.alloc(16, 0xee));
        await tx.insertSecretRotation(rotation);
        await tx.updateSecretRotation(2, {
          cursorRid: r2,
          rowsRekeyed: 2,
          hashesRekeyed: 2,
          completedAt: null,
        });
        await tx.noteRotationCatchUp(r3);
        await tx.noteRotationCatchUp(r1);
      });
      await s.read(async (tx) => {
        const [h] = await tx.signalHashesInRange(0, r1, 10);
        assert.equal(Buffer.from(h!.requestHash).toString('hex'), 'ee'.repeat(16));
        assert.deepEqual(await tx.latestSecretRotation(), {
          ...rotation,
          cursorRid: r2,
          rowsRekeyed: 2,
          hashesRekeyed: 2,
        });
        assert.deepEqual(await tx.pendingRotationCatchUps(10), [r1, r3]);
        assert.deepEqual(await tx.pendingRotationCatchUps(1), [r1]);
      });
      await s.write(async (tx) => {
        await tx.deleteRotationCatchUps([r1]);
        await tx.updateSecretRotation(2, {
          cursorRid: r3,
          rowsRekeyed: 3,
          hashesRekeyed: 3,
          completedAt: 20,
        });
      });
      await s.read(async (tx) => {
        assert.deepEqual(await tx.pendingRotationCatchUps(10), [r3]);
        assert.equal((await tx.latestSecretRotation())?.completedAt, 20);
      });
    }),
  );

  test(
    'outbox rows are listed and updated; delivered ones and old placement hours are deleted by age',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const delivery = (n: number, nextAttemptAt: number) => newDelivery(o, n, nextAttemptAt);
      const first = { token: uuid(804), until: 10 };
      await s.write(async (tx) => {
        await tx.insertDelivery(delivery(1, 5));
        await tx.insertDelivery(delivery(2, 6));
        assert.equal((await tx.claimDeliveries(6, first, 10)).length, 2);
        await tx.updateDelivery(uuid(801), first.token, {
          status: 'delivered',
          attempts: 1,
          nextAttemptAt: 5,
          lastErrorCode: null,
          deliveredAt: 7,
        });
        await tx.updateDelivery(uuid(802), first.token, {
          status: 'pending',
          attempts: 1,
          nextAttemptAt: 60,
          lastErrorCode: 'http_503',
          deliveredAt: null,
        });
        await tx.setPlacementHour(o, 1, { count: 2, alerted: false });
        await tx.setPlacementHour(o, 5, { count: 1, alerted: true });
      });
      await s.read(async (tx) => {
        assert.deepEqual(await tx.getDelivery(uuid(802)), {
          ...delivery(2, 60),
          organisationId: uuid(1001),
          attempts: 1,
          lastErrorCode: 'http_503',
          claim: null,
          claimedUntil: null,
        });
        assert.equal(await tx.getDelivery(uuid(899)), undefined);
        assert.deepEqual(
          (await tx.listDeliveries('delivered', 10)).map((d) => d.id),
          [uuid(801)],
        );
        assert.deepEqual(
          (await tx.listDeliveries('pending', 10)).map((d) => d.id),
          [uuid(802)],
        );
        assert.equal((await tx.listDeliveries(undefined, 10)).length, 2);
        assert.equal((await tx.listDeliveries(undefined, 1)).length, 1);
      });
      // 802 is due at 60, not before; claimed, it shows its claim until an update ends it.
      const claim = { token: uuid(803), until: 90 };
      assert.deepEqual(await s.write((tx) => tx.claimDeliveries(59, claim, 10)), []);
      const [claimed] = await s.write((tx) => tx.claimDeliveries(60, claim, 10));
      assert.deepEqual(claimed, {
        ...delivery(2, 60),
        organisationId: uuid(1001),
        attempts: 1,
        lastErrorCode: 'http_503',
        claim: uuid(803),
        claimedUntil: 90,
      });
      assert.equal((await s.read((tx) => tx.getDelivery(uuid(802))))?.claim, uuid(803));
      await s.write((tx) =>
        tx.updateDelivery(uuid(802), claim.token, {
          status: 'pending',
          attempts: 1,
          nextAttemptAt: 60,
          lastErrorCode: 'http_503',
          deliveredAt: null,
        }),
      );
      assert.deepEqual(
        await s.read(async (tx) => {
          const d = await tx.getDelivery(uuid(802));
          return [d?.claim, d?.claimedUntil];
        }),
        [null, null],
      );
      assert.equal(await s.write((tx) => tx.deleteDeliveredBefore(7)), 0);
      assert.equal(await s.write((tx) => tx.deleteDeliveredBefore(8)), 1);
      assert.equal(await s.write((tx) => tx.deletePlacementHoursBefore(5)), 1);
      await s.read(async (tx) => {
        assert.deepEqual(
          (await tx.listDeliveries(undefined, 10)).map((d) => d.id),
          [uuid(802)],
        );
        assert.equal(await tx.placementHour(o, 1), undefined);
        assert.deepEqual(await tx.placementHour(o, 5), { count: 1, alerted: true });
      });
    }),
  );
}
