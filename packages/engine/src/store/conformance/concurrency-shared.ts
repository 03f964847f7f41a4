// Store conformance, what every instance shares (docs/engine.md "Storage contract",
// clauses 3 and 5): nonces claimed once, outbox rows leased to one claim, retention's row
// claims, rotation steps in sequence, job exclusivity (the secret generation fence in every
// order: concurrency-fence.ts). Cases for one or more instances (concurrency.ts runs them).

import assert from 'node:assert/strict';
import { type InstancesCase, latch, newSignal, org, pause, spread, uuid } from './fixtures.js';

export const SHARED_CASES: InstancesCase[] = [];
const both = (name: string, run: InstancesCase['run']) => {
  SHARED_CASES.push({ name, run });
};

both('a nonce is claimed exactly once, also concurrently, and again after it expired', async (stores) => {
  const claims = await Promise.all(
    Array.from({ length: 20 }, (_, i) => spread(stores, i).claimNonce('k', 'n-1', 1_000, 10)),
  );
  assert.equal(claims.filter((c) => c).length, 1);
  for (const st of stores) assert.equal(await st.claimNonce('k', 'n-1', 1_000, 999), false);
  assert.equal(await stores[0]!.claimNonce('k', 'n-2', 1_000, 10), true);
  assert.equal(await stores[0]!.claimNonce('other-key', 'n-1', 1_000, 10), true);
  // After its expiry the nonce can be claimed again (the timestamp window refuses the old request).
  assert.equal(await spread(stores, 1).claimNonce('k', 'n-1', 5_000, 1_000), true);
  assert.equal(await stores[0]!.claimNonce('k', 'n-1', 5_000, 1_001), false);
});

both('concurrent claims of many nonces are each decided by their own clock reading', async (stores) => {
  // PostgreSQL sends claims made at the same moment in one statement (pg-shared-statements.ts):
  // each must still be judged alone, by its own `now`, and a nonce named twice claimed once.
  const s = stores[0]!;
  assert.equal(await s.claimNonce('k', 'a', 100, 0), true);
  assert.equal(await s.claimNonce('k', 'b', 200, 0), true);
  assert.equal(await s.claimNonce('k', 'd', 300, 0), true);
  const [a, b, d, ...rest] = await Promise.all([
    spread(stores, 0).claimNonce('k', 'a', 900, 150), // expired at 150: taken over
    spread(stores, 1).claimNonce('k', 'b', 900, 150), // live at 150: a replay
    spread(stores, 2).claimNonce('k', 'd', 900, 300), // expires at 300: taken over at 300
    ...Array.from({ length: 6 }, (_, i) => spread(stores, i).claimNonce('k', 'c', 900, 150)),
    spread(stores, 3).claimNonce('other', 'a', 900, 150),
  ]);
  assert.deepEqual([a, b, d], [true, false, true]);
  assert.equal(rest.slice(0, 6).filter((x) => x).length, 1);
  assert.equal(rest[6], true);
  assert.equal(await s.claimNonce('k', 'b', 900, 199), false);
  assert.equal(await s.claimNonce('k', 'b', 900, 200), true);
});

both(
  'keys read at the same moment each get their own row, and a revoke is seen by the next read',
  async (stores) => {
    const s = stores[0]!;
    const o = await s.write((tx) => org(tx, 1));
    const key = (keyId: string, role: 'organisation' | 'admin') => ({
      keyId,
      role,
      organisationRid: role === 'admin' ? null : o,
      publicKey: new Uint8Array(32).fill(keyId.length),
      status: 'active' as const,
      addedAt: 1,
      revokedAt: null,
    });
    await s.write(async (tx) => {
      await tx.insertKey(key('k-1', 'organisation'));
      await tx.insertKey(key('k-22', 'organisation'));
      await tx.insertKey(key('k-admin', 'admin'));
    });
    const ids = ['k-1', 'k-22', 'nope', 'k-admin', 'k-1', 'k-22'];
    const got = await Promise.all(
      ids.map((id, i) =>
        spread(stores, i).read(async (tx) => {
          const k = await tx.getKey(id);
          const owner =
            k?.organisationRid == null ? undefined : await tx.getOrganisationByRid(k.organisationRid);
          return k === undefined
            ? undefined
            : [k.keyId, k.role, k.publicKey[0], k.status, owner?.rid ?? null];
        }),
      ),
    );
    assert.deepEqual(got, [
      ['k-1', 'organisation', 3, 'active', o],
      ['k-22', 'organisation', 4, 'active', o],
      undefined,
      ['k-admin', 'admin', 7, 'active', null],
      ['k-1', 'organisation', 3, 'active', o],
      ['k-22', 'organisation', 4, 'active', o],
    ]);
    await spread(stores, 1).write((tx) => tx.updateKey('k-1', { status: 'revoked', revokedAt: 2 }));
    const after = await Promise.all(
      stores.map((st) => st.read(async (tx) => (await tx.getKey('k-1'))?.status)),
    );
    assert.deepEqual(
      after,
      stores.map(() => 'revoked'),
    );
  },
);

both('concurrent outbox claims hand each due row to one claim; a lapsed lease frees it', async (stores) => {
  const s = stores[0]!;
  const o = await s.write((tx) => org(tx, 1));
  const ids = Array.from({ length: 30 }, (_, n) => uuid(600 + n));
  await s.write(async (tx) => {
    for (const [n, id] of ids.entries()) {
      await tx.insertDelivery({
        id,
        organisationRid: o,
        url: 'https://example.nl/hook',
        type: 'match.created',
        matchId: uuid(700 + n),
        cursor: n + 1,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: 10 + (n % 3),
        lastErrorCode: null,
        createdAt: 1,
        deliveredAt: null,
      });
    }
  });
  // Rounds of 8 concurrent claims of up to 3 rows each, until no claim gets anything.
  const claimedBy = new Map<string, string>();
  for (let round = 0, got = 1; got > 0; round++) {
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => {
        const token = uuid(1000 + round * 8 + i);
        return spread(stores, i)
          .write((tx) => tx.claimDeliveries(100, { token, until: 200 }, 3))
          .then((rows) => rows.map((r) => [r.id, r.claim, token] as const));
      }),
    );
    got = 0;
    for (const [id, claim, token] of claims.flat()) {
      assert.equal(claim, token);
      assert.equal(claimedBy.has(id), false, 'a row was handed to two claims');
      claimedBy.set(id, token);
      got++;
    }
  }
  assert.deepEqual([...claimedBy.keys()].sort(), [...ids].sort());
  // While the leases hold nothing is claimed again; once they end (200) every row is free.
  assert.deepEqual(await s.write((tx) => tx.claimDeliveries(199, { token: uuid(2000), until: 300 }, 50)), []);
  const again = await spread(stores, 1).write((tx) =>
    tx.claimDeliveries(200, { token: uuid(2001), until: 300 }, 50),
  );
  assert.equal(again.length, 30);
});

both(
  'concurrent retention writes expire each due signal once (the rows read are claimed)',
  async (stores) => {
    const s = stores[0]!;
    const o = await s.write((tx) => org(tx, 1));
    await s.write(async (tx) => {
      for (let n = 1; n <= 12; n++) await tx.insertSignal(newSignal(o, n, { expiresAt: 100 + n }));
    });
    const expiredBy = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        spread(stores, i).write(async (tx) => {
          const due = await tx.signalsExpiringBy(500, 5);
          await pause(5); // hold the claims while the other writes read
          for (const d of due) {
            await tx.updateSignal(d.rid, {
              status: 'inactive',
              endReason: 'expired',
              endedAt: 500,
              purgeAt: 900,
            });
          }
          return due.map((d) => d.id);
        }),
      ),
    );
    const all = expiredBy.flat();
    assert.equal(new Set(all).size, all.length, 'a signal was expired by two writes');
    // what the concurrent writes left is found by the next one; nothing twice
    const rest = await s.write((tx) => tx.signalsExpiringBy(500, 20));
    assert.equal(all.length + rest.length, 12);
    assert.equal(new Set([...all, ...rest.map((r) => r.id)]).size, 12);
  },
);

both('rotation steps run one after another: each sees the cursor the last one wrote', async (stores) => {
  const s = stores[0]!;
  await s.write((tx) =>
    tx.insertSecretRotation({
      generation: 2,
      startedAt: 1,
      completedAt: null,
      maxSignalRid: 100,
      cursorRid: 0,
      rowsRekeyed: 0,
      hashesRekeyed: 0,
    }),
  );
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      spread(stores, i).write(async (tx) => {
        const r = (await tx.latestSecretRotation())!;
        await pause(3);
        await tx.updateSecretRotation(2, {
          cursorRid: r.cursorRid + 10,
          rowsRekeyed: r.rowsRekeyed + 1,
          hashesRekeyed: r.hashesRekeyed,
          completedAt: null,
        });
      }),
    ),
  );
  const done = await s.read((tx) => tx.latestSecretRotation());
  assert.deepEqual([done?.cursorRid, done?.rowsRekeyed], [60, 6]);
});

both('a job runs on one instance at a time and again once released', async (stores) => {
  const [isRunning, started] = latch();
  const [held, release] = latch();
  const first = stores[0]!.exclusive('retention', async () => {
    started();
    await held;
    return 'first';
  });
  await isRunning;
  let ran = 0;
  const others = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      spread(stores, i + 1).exclusive('retention', async () => {
        ran++;
        return 'other';
      }),
    ),
  );
  assert.deepEqual(others, [undefined, undefined, undefined, undefined, undefined]);
  assert.equal(ran, 0);
  release();
  assert.equal(await first, 'first');
  // Another job name is independent; the released one runs again.
  assert.equal(await stores[0]!.exclusive('webhooks', async () => 1), 1);
  assert.equal(await spread(stores, 1).exclusive('retention', async () => 2), 2);
  // A job that throws releases its lock too.
  await assert.rejects(stores[0]!.exclusive('retention', async () => Promise.reject(new Error('boom'))));
  assert.equal(await spread(stores, 1).exclusive('retention', async () => 3), 3);
});

both(
  'a server-secret check value is recorded once: every writer and reader gets the first one',
  async (stores) => {
    const value = (n: number) => Buffer.alloc(32, n);
    // Instances recording generation 1 at once, each its own value: one wins, all see it.
    const got = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        spread(stores, i).write((tx) => tx.recordSecretCheck(1, value(i + 1), 100 + i)),
      ),
    );
    const first = Buffer.from(got[0]!);
    assert.ok([1, 2, 3, 4, 5, 6].some((n) => value(n).equals(first)));
    for (const g of got) assert.ok(first.equals(Buffer.from(g)));
    for (const st of stores)
      assert.ok(first.equals(Buffer.from((await st.read((tx) => tx.secretCheck(1)))!)));
    assert.equal(await stores[0]!.read((tx) => tx.secretCheck(2)), undefined);
    // Later: kept, whoever asks and whatever it brings; another generation is its own row.
    const later = await spread(stores, 1).write((tx) => tx.recordSecretCheck(1, value(9), 200));
    assert.ok(first.equals(Buffer.from(later)));
    const second = await stores[0]!.write((tx) => tx.recordSecretCheck(2, value(7), 300));
    assert.ok(value(7).equals(Buffer.from(second)));
    // A write that records and then fails leaves nothing recorded.
    await assert.rejects(
      stores[0]!.write(async (tx) => {
        await tx.recordSecretCheck(3, value(3), 400);
        throw new Error('rolled back');
      }),
    );
    const third = await stores[0]!.write((tx) => tx.recordSecretCheck(3, value(8), 500));
    assert.ok(value(8).equals(Buffer.from(third)));
  },
);
