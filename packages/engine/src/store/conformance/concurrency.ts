// Store conformance, concurrency (docs/engine.md "Storage contract", clauses 3-5): the
// critical sections make concurrent read-then-write operations exact — pairwise matches
// for one person, a day budget, one logbook chain, inbox cursors a reader never skips —
// and nonces, job locks and outbox claims are shared. Each case runs its writes concurrently on one
// instance of the store here; the same cases on two instances on the same data are a
// trait (store/traits/instances.ts).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Store, StoreWriter } from '../store.js';
import { type ConformanceContext, newMatch, newSignal, org, stored, uuid } from './fixtures.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes spread over the store and, where there is one, a second instance on the same data. */
function spread(stores: readonly Store[], i: number): Store {
  return stores[i % stores.length]!;
}

/** A case written for one or more instances of one store (the first made the store). */
export interface InstancesCase {
  readonly name: string;
  readonly run: (stores: readonly Store[]) => Promise<void>;
}

const CASES: InstancesCase[] = [];
const both = (name: string, run: (stores: readonly Store[]) => Promise<void>) => {
  CASES.push({ name, run });
};

both(
  'N placements for one person written at once see each other: exactly the pairwise matches',
  async (stores) => {
    const s = stores[0]!;
    const orgs = await s.write(async (tx) => Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => org(tx, n))));
    const person = stored(42);
    await Promise.all(
      orgs.map((o, i) =>
        spread(stores, i).write(async (tx: StoreWriter) => {
          // Half of them through the batch path's lookup: the same section (store.ts clause 4).
          const others =
            i % 2 === 0
              ? await tx.findSignalsByStored([person], 'subject')
              : ((await tx.signalsByStoredValues([person], 'subject'))[0] ?? []);
          await pause(2); // widen the window between the read and the writes
          const rid = await tx.insertSignal(newSignal(o, 100 + i));
          await tx.insertPseudonyms([
            { stored: person, signalRid: rid, epoch: 1, generation: 1, role: 'subject' },
          ]);
          for (const t of others) {
            await tx.insertMatch(newMatch(rid * 100 + t.rid, Math.min(rid, t.rid), Math.max(rid, t.rid)));
          }
        }),
      ),
    );
    const signals = await s.read((tx) => tx.findSignalsByStored([person], 'subject'));
    assert.equal(signals.length, 8);
    const pairs = new Set<string>();
    for (const x of signals)
      for (const m of await s.read((tx) => tx.matchesOfSignal(x.rid))) pairs.add(`${m.a}-${m.b}`);
    assert.equal(pairs.size, (8 * 7) / 2);
  },
);

both(
  'enterPersonSections enters every person at once: batches in opposite orders wait, never deadlock, see each other',
  async (stores) => {
    const s = stores[0]!;
    const orgs = await s.write(async (tx) => Promise.all([1, 2, 3, 4, 5, 6].map((n) => org(tx, n))));
    const people = [stored(61), stored(62), stored(63)];
    let seenAll = 0;
    await Promise.all(
      orgs.map((o, i) =>
        spread(stores, i).write(async (tx: StoreWriter) => {
          // even writes name the people in one order, odd ones in the other
          await tx.enterPersonSections(i % 2 === 0 ? people : [...people].reverse());
          // a read that enters no section: what it sees shows the sections were held
          const before = await Promise.all(
            orgs.slice(0, 6).map((_, j) => tx.getSignalByRequest(orgs[j]!, uuid(5000 + 300 + j))),
          );
          await pause(2);
          const rid = await tx.insertSignal(newSignal(o, 300 + i));
          await tx.insertPseudonyms(
            people.map((p) => ({
              stored: p,
              signalRid: rid,
              epoch: 1,
              generation: 1,
              role: 'subject' as const,
            })),
          );
          seenAll += before.filter((x) => x !== undefined).length;
        }),
      ),
    );
    // One after the other: the k-th write to get in saw the k−1 before it, 0+1+…+5 = 15.
    assert.equal(seenAll, 15);
    const signals = await s.read((tx) => tx.findSignalsByStored([people[1]!], 'subject'));
    assert.equal(signals.length, 6);
    // Outside a write it does nothing (and does not fail).
    await s.read((tx) => tx.enterPersonSections(people));
  },
);

both('a day budget charged concurrently holds exactly (check and charge in one section)', async (stores) => {
  const s = stores[0]!;
  const o = await s.write((tx) => org(tx, 1));
  const budget = 10;
  const results = await Promise.allSettled(
    Array.from({ length: 30 }, (_, i) =>
      spread(stores, i).write(async (tx) => {
        if ((await tx.placementsSince(o, 0)) >= budget) return false;
        await pause(1);
        await tx.addToPlacementHour(o, 5 + (i % 3), 1);
        return true;
      }),
    ),
  );
  const charged = results.filter((r) => r.status === 'fulfilled' && r.value === true).length;
  assert.equal(charged, budget);
  assert.equal(await s.read((tx) => tx.placementsSince(o, 0)), budget);
});

both('concurrent appends make one logbook chain: seq 1..n, each on the previous head', async (stores) => {
  const s = stores[0]!;
  const n = 40;
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      spread(stores, i).write(async (tx) => {
        const head = await tx.lastLogEntry();
        await pause(1);
        const seq = (head?.seq ?? 0) + 1;
        const prev = head === undefined ? '' : Buffer.from(head.hash).toString('hex');
        const hash = createHash('sha256').update(`${prev}|${seq}`).digest();
        await tx.insertLogEntry({ seq, at: i, actor: '{}', action: 'x', refs: '{}', details: '{}', hash });
      }),
    ),
  );
  const rows = await s.read((tx) => tx.logEntries(1, 1000));
  assert.deepEqual(
    rows.map((r) => r.seq),
    Array.from({ length: n }, (_, i) => i + 1),
  );
  let prev = '';
  for (const r of rows) {
    assert.ok(Buffer.from(r.hash).equals(createHash('sha256').update(`${prev}|${r.seq}`).digest()));
    prev = Buffer.from(r.hash).toString('hex');
  }
});

both(
  'concurrent appendLogEntry calls, two per write, and head-read appends make one chain',
  async (stores) => {
    const s = stores[0]!;
    const n = 30;
    const link = (i: number) => (head: { seq: number; hash: Uint8Array } | undefined) => {
      const seq = (head?.seq ?? 0) + 1;
      const prev = head === undefined ? '' : Buffer.from(head.hash).toString('hex');
      const hash = createHash('sha256').update(`${prev}|${seq}`).digest();
      return { seq, at: i, actor: '{}', action: 'x', refs: '{}', details: '{}', hash };
    };
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        spread(stores, i).write(async (tx) => {
          if (i % 3 === 0) {
            // The older way: read the head in the section, then insert onto it.
            const head = await tx.lastLogEntry();
            await pause(1);
            await tx.insertLogEntry(link(i)(head));
            return;
          }
          await tx.appendLogEntry(link(i));
          await pause(1);
          await tx.appendLogEntry(link(i));
        }),
      ),
    );
    const rows = await s.read((tx) => tx.logEntries(1, 1000));
    const total = n + Math.floor((n * 2) / 3);
    assert.deepEqual(
      rows.map((r) => r.seq),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    let prev = '';
    for (const r of rows) {
      assert.ok(Buffer.from(r.hash).equals(createHash('sha256').update(`${prev}|${r.seq}`).digest()));
      prev = Buffer.from(r.hash).toString('hex');
    }
    // A write's two entries are adjacent: nothing else chained in between.
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) continue;
      const mine = rows.filter((r) => r.at === i).map((r) => r.seq);
      assert.equal(mine.length, 2);
      assert.equal(mine[1], mine[0]! + 1);
    }
  },
);

both('a reader following an inbox never skips a cursor while writers commit out of order', async (stores) => {
  const s = stores[0]!;
  const o = await s.write((tx) => org(tx, 1));
  const n = 30;
  let done = false;
  const seen: number[] = [];
  const reader = (async () => {
    let after = 0;
    while (!done || after < n) {
      const page = await s.read((tx) => tx.eventsAfter(o, after, 100));
      for (const e of page) seen.push(e.cursor);
      if (page.length > 0) after = page[page.length - 1]!.cursor;
      await pause(1);
    }
  })();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      spread(stores, i).write(async (tx) => {
        await tx.appendEvent({ organisationRid: o, type: 'match.created', matchId: uuid(i + 1), at: i });
        await pause((i * 7) % 5); // hold the transaction a while: later cursors may try to commit first
      }),
    ),
  );
  done = true;
  await reader;
  assert.deepEqual(
    seen,
    Array.from({ length: n }, (_, i) => i + 1),
  );
});

both(
  'batches of inbox events for two organisations written at once: consecutive cursors, none skipped',
  async (stores) => {
    const s = stores[0]!;
    const [o1, o2] = await s.write(async (tx) => [await org(tx, 1), await org(tx, 2)]);
    const n = 12;
    const ev = (o: number, i: number) => ({
      organisationRid: o,
      type: 'match.created' as const,
      matchId: uuid(i),
      at: i,
    });
    const written = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        spread(stores, i).write(async (tx) => {
          // Rows in either organisation order: the store takes the organisations' locks in rid
          // order, so two such writes cannot deadlock.
          const rows = i % 2 === 0 ? [ev(o1!, i), ev(o2!, i), ev(o1!, i)] : [ev(o2!, i), ev(o1!, i)];
          const cursors = await tx.appendEvents(rows);
          await pause((i * 7) % 5);
          return rows.map((r, k) => ({ org: r.organisationRid, cursor: cursors[k]! }));
        }),
      ),
    );
    for (const o of [o1!, o2!]) {
      const mine = written.map((w) => w.filter((x) => x.org === o).map((x) => x.cursor));
      // Each write's cursors of one organisation are consecutive.
      for (const c of mine) for (let k = 1; k < c.length; k++) assert.equal(c[k], c[k - 1]! + 1);
      const all = mine.flat().sort((x, y) => x - y);
      assert.deepEqual(
        all,
        Array.from({ length: all.length }, (_, k) => k + 1),
      );
      const inbox = await s.read((tx) => tx.eventsAfter(o, 0, 100));
      assert.deepEqual(
        inbox.map((e) => e.cursor),
        all,
      );
    }
  },
);

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

both(
  'the secret generation is fenced by the logbook section: a write that read generation 1 commits before a rotation to 2 can record it',
  async (stores) => {
    const [s0, s1] = [stores[0]!, stores[stores.length - 1]!];
    const rotation = {
      generation: 2,
      startedAt: 1,
      completedAt: null,
      maxSignalRid: 0,
      cursorRid: 0,
      rowsRekeyed: 0,
      hashesRekeyed: 0,
    };
    let entered!: () => void;
    const inSection = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const writer = s0.write(async (tx) => {
      const head = await tx.logbookHead();
      entered();
      await new Promise((r) => setTimeout(r, 150));
      await tx.insertLogEntry({
        seq: 1,
        at: 1,
        actor: '{}',
        action: 'x',
        refs: '{}',
        details: '{}',
        hash: stored(1),
      });
      return head.secretGeneration;
    });
    await inSection;
    // The rotation enters the section after the writer: it sees the writer's entry, and the
    // writer saw generation 1 because the rotation could not record 2 before it committed.
    const rotated = s1.write(async (tx) => {
      const head = await tx.logbookHead();
      await tx.insertSecretRotation(rotation);
      return head.last?.seq;
    });
    assert.equal(await writer, 1);
    assert.equal(await rotated, 1);
    assert.equal((await s0.write((tx) => tx.logbookHead())).secretGeneration, 2);
  },
);

both(
  'a write fenced at generation 1 and a rotation to 2 at once: it commits before the rotation reads, or it is refused',
  async (stores) => {
    const [s0, s1] = [stores[0]!, stores[stores.length - 1]!];
    let fenced!: () => void;
    const afterFence = new Promise<void>((resolve) => {
      fenced = resolve;
    });
    const writer = s0
      .write(async (tx) => {
        await tx.fenceGeneration(1);
        fenced();
        await pause(150); // the rotation runs while this write is still going on
        await tx.appendLogEntry((head) => {
          const seq = (head?.seq ?? 0) + 1;
          return { seq, at: seq, actor: '{}', action: 'x', refs: '{}', details: '{}', hash: stored(seq) };
        });
      })
      .then(
        () => 'committed',
        (e: unknown) => (e instanceof Error && 'code' in e ? String(e.code) : 'other'),
      );
    await afterFence;
    // What the rotation reads under the section: the writer's entry when the writer went first.
    const rotated = s1.write(async (tx) => {
      const head = await tx.logbookHead();
      await tx.insertSecretRotation({
        generation: 2,
        startedAt: 1,
        completedAt: null,
        maxSignalRid: 0,
        cursorRid: 0,
        rowsRekeyed: 0,
        hashesRekeyed: 0,
      });
      return head.last?.seq;
    });
    const [outcome, seenByRotation] = [await writer, await rotated];
    // Exactly one of the two orders, never the writer committed unseen by the rotation.
    if (outcome === 'committed') assert.equal(seenByRotation, 1);
    else {
      assert.equal(outcome, 'secret_generation_stale');
      assert.equal(seenByRotation, undefined);
      assert.equal((await s0.read((tx) => tx.logEntries(1, 10))).length, 0);
    }
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
  let started!: () => void;
  const isRunning = new Promise<void>((r) => {
    started = r;
  });
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
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

/** Every concurrency case; the two-instance run of them is a trait (store/traits/instances.ts). */
export const CONCURRENCY_CASES: readonly InstancesCase[] = CASES;

/** The cases on one instance: the contract every store keeps. */
export function concurrencyCases({ test, withStore }: ConformanceContext): void {
  for (const c of CONCURRENCY_CASES) {
    test(
      c.name,
      withStore((s) => c.run([s])),
    );
  }
}
