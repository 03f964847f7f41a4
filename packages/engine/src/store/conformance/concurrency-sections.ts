// Store conformance, the critical sections (docs/engine.md "Storage contract", clause 4):
// concurrent read-then-write operations are exact — pairwise matches for one person (also
// when a batch enters many persons at once), a day budget, one logbook chain, inbox cursors
// a reader never skips. Cases for one or more instances (concurrency.ts runs them).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { StoreWriter } from '../store.js';
import {
  type InstancesCase,
  newMatch,
  newSignal,
  org,
  pause,
  person,
  secondEpoch,
  spread,
  stored,
  uuid,
} from './fixtures.js';

export const SECTION_CASES: InstancesCase[] = [];
const both = (name: string, run: InstancesCase['run']) => {
  SECTION_CASES.push({ name, run });
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

both(
  'enterPeopleSection: removals that each count the people first leave exactly one, per organisation and for the municipality',
  async (stores) => {
    const s = stores[0]!;
    const o = await s.write((tx) => org(tx, 1));
    const sides = [o, null];
    for (const side of sides) {
      await s.write(async (tx) => {
        for (let i = 0; i < 6; i++)
          await tx.insertPerson(
            person(100 + (side === null ? 10 : 0) + i, side, {
              roles: side === null ? ['administrator'] : ['organisation_coordinator'],
            }),
          );
      });
    }
    for (const side of sides) {
      const people = await s.read((tx) => tx.listPeople(side));
      const removed = await Promise.all(
        people.map((p, i) =>
          spread(stores, i).write(async (tx) => {
            await tx.enterPeopleSection(side);
            const active = (await tx.listPeople(side)).filter((x) => x.status === 'active');
            if (active.length <= 1) return false;
            await pause(2); // widen the window between the count and the removal
            await tx.updatePerson(p.rid, { status: 'removed', removedAt: 500 });
            return true;
          }),
        ),
      );
      assert.equal(removed.filter(Boolean).length, 5);
      const left = (await s.read((tx) => tx.listPeople(side))).filter((x) => x.status === 'active');
      assert.equal(left.length, 1);
    }
  },
);

both(
  'enterEpochSection: a retirement run on every instance at once retires the epoch once',
  async (stores) => {
    const s = stores[0]!;
    await secondEpoch(s);
    const retired = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        spread(stores, i).write(async (tx) => {
          await tx.enterEpochSection();
          if ((await tx.getEpoch(2))?.status !== 'active') return false;
          await pause(2); // widen the window between the read and the write
          await tx.updateEpoch(2, { status: 'retired', retiredAt: 10 + i });
          return true;
        }),
      ),
    );
    assert.equal(retired.filter(Boolean).length, 1);
    assert.equal((await s.read((tx) => tx.getEpoch(2)))?.status, 'retired');
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

both(
  'tryBudgetSection never waits, and the writes it lets in charge a day budget exactly',
  async (stores) => {
    const s = stores[0]!;
    const o = await s.write((tx) => org(tx, 1));
    // Entered, then held: a second try in the same write is true too.
    assert.deepEqual(
      await s.write(async (tx) => [await tx.tryBudgetSection(o), await tx.tryBudgetSection(o)]),
      [true, true],
    );
    const budget = 10;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        spread(stores, i).write(async (tx) => {
          // The reads sent behind the try, as a coalesced group sends them (one round trip).
          const [entered, used] = await Promise.all([tx.tryBudgetSection(o), tx.placementsSince(o, 0)]);
          if (!entered) return 'taken';
          if (used >= budget) return 'refused';
          await pause(1);
          await tx.addToPlacementHour(o, 5 + (i % 3), 1);
          return 'charged';
        }),
      ),
    );
    // Whoever got in saw every earlier charge: no more than the budget, none lost.
    const charged = results.filter((r) => r === 'charged').length;
    const entered = results.filter((r) => r !== 'taken').length;
    assert.ok(entered >= 1);
    assert.equal(charged, Math.min(budget, entered));
    assert.equal(await s.read((tx) => tx.placementsSince(o, 0)), charged);
  },
);

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
