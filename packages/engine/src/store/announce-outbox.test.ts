// announceOutbox on the real SQLite store: the callback follows a committed write that
// queued deliveries, once, and never a write that queued nothing or was rolled back —
// including one that queued deliveries before it failed. A repeated run counts afresh.
// The operation's writer is a plain wrapper (no Proxy): it forwards every method of the
// store's writer with the writer as `this`, and counts only inserts that resolved.

import { afterEach, describe, expect, it } from 'vitest';
import { announceOutbox, countingWriter, queuedThrough } from './announce-outbox.js';
import { newMatch, newSignal, org } from './conformance/fixtures.js';
import { openSqliteStore, type SqliteStore } from './sqlite/sqlite-store.js';
import type { NewDelivery, Store, StoreWriter } from './store.js';

let inner: SqliteStore | undefined;
afterEach(async () => {
  await inner?.close();
  inner = undefined;
});

function setup(wrap: (s: Store) => Store = (s) => s) {
  inner = openSqliteStore({ path: ':memory:', clock: () => 0 });
  const calls: number[] = [];
  const store = announceOutbox(wrap(inner), () => calls.push(calls.length + 1));
  return { store, calls };
}

let deliveries = 0;
/** Queues one real delivery (to a real organisation) in `tx`; returns it. */
async function queue(tx: StoreWriter): Promise<NewDelivery> {
  const n = ++deliveries;
  const org = await tx.insertOrganisation({
    id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    name: `Org ${n}`,
    type: 'youth_care',
    status: 'active',
    webhookUrl: 'https://example.nl/hook',
    placementBudgetPerDay: 10,
    createdAt: 0,
  });
  const d: NewDelivery = {
    id: `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`,
    organisationRid: org,
    url: 'https://example.nl/hook',
    type: 'match.created',
    matchId: `00000000-0000-4000-a000-${n.toString(16).padStart(12, '0')}`,
    cursor: 1,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    lastErrorCode: null,
    createdAt: 0,
    deliveredAt: null,
  };
  await tx.insertDelivery(d);
  return d;
}

/** Queues one real match notice e-mail (to a real person, about a real match) in `tx`. */
async function queueMail(tx: StoreWriter): Promise<void> {
  const n = ++deliveries;
  const o = await org(tx, 100 + n);
  const person = await tx.insertPerson({
    id: `00000000-0000-4000-b000-${n.toString(16).padStart(12, '0')}`,
    organisationRid: o,
    displayName: `Person ${n}`,
    email: `p${n}@example.nl`,
    roles: ['professional'],
    status: 'active',
    createdAt: 1,
    removedAt: null,
  });
  const a = await tx.insertSignal(newSignal(o, 600 + 2 * n));
  const b = await tx.insertSignal(newSignal(o, 601 + 2 * n));
  const m = newMatch(500 + n, a, b);
  await tx.insertMatch(m);
  await tx.insertMailNotice({
    id: `00000000-0000-4000-c000-${n.toString(16).padStart(12, '0')}`,
    personRid: person,
    matchId: m.id,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    lastErrorCode: null,
    createdAt: 0,
    doneAt: null,
  });
}

/** Every method name on `o`'s prototype chain (below Object.prototype) and own. */
function methodNames(o: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = o; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) {
      if (k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, k)?.value === 'function')
        names.add(k);
    }
  }
  return [...names].sort();
}

describe('announceOutbox', () => {
  it('announces a committed write that queued deliveries, after its commit', async () => {
    const { store, calls } = setup();
    const value = await store.write(async (tx) => {
      await queue(tx);
      await queue(tx);
      expect(calls).toEqual([]); // not before the commit
      return 'done';
    });
    expect(value).toBe('done');
    expect(calls).toEqual([1]);
  });

  it('stays silent for a write that queued nothing', async () => {
    const { store, calls } = setup();
    await store.write(async () => 'nothing queued');
    expect(calls).toEqual([]);
  });

  it('stays silent for a write that queued deliveries and then failed (rolled back)', async () => {
    const { store, calls } = setup();
    await expect(
      store.write(async (tx) => {
        await queue(tx);
        throw new Error('fails after queuing');
      }),
    ).rejects.toThrow();
    expect(calls).toEqual([]);
  });

  it('announces each of concurrent writes that queued, not the ones beside them', async () => {
    const { store, calls } = setup();
    await Promise.all([
      store.write(async (tx) => void (await queue(tx))),
      store.write(async () => undefined),
      store.write(async (tx) => void (await queue(tx))),
    ]);
    expect(calls).toHaveLength(2);
  });

  it('counts afresh when the store repeats an operation: a repeat that queues nothing announces nothing', async () => {
    // A store that runs each operation twice, as PostgreSQL does after a serialization
    // failure; only the second run's changes would commit. The first run queues a delivery
    // (rolled back by its savepoint), the second does not.
    const repeating = (s: Store): Store => ({
      ...s,
      read: (op) => s.read(op),
      write: (op) =>
        s.write(async (tx) => {
          await tx
            .savepoint(async () => {
              await op(tx);
              throw new Error('serialization failure');
            })
            .catch(() => undefined);
          return op(tx);
        }),
    });
    let run = 0;
    const { store, calls } = setup(repeating);
    await store.write(async (tx) => {
      if (run++ === 0) await queue(tx);
    });
    expect(run).toBe(2);
    expect(calls).toEqual([]);
  });

  it('announces a committed write that queued a match notice e-mail', async () => {
    const { store, calls } = setup();
    await store.write((tx) => queueMail(tx));
    expect(calls).toEqual([1]);
  });

  it('stays silent for a committed write whose only insert failed and was caught', async () => {
    const { store, calls } = setup();
    // A delivery committed without the announcer; the operation then inserts it again
    // (a duplicate id: refused), catches the refusal and commits.
    const d = await inner!.write((tx) => queue(tx));
    await store.write(async (tx) => {
      await tx.savepoint(() => tx.insertDelivery(d)).catch(() => undefined);
    });
    expect(calls).toEqual([]);
  });

  it('forwards every method of the writer, with the writer as this, in every run; counts per run', async () => {
    inner = openSqliteStore({ path: ':memory:', clock: () => 0 });
    // Run 1 meets the writer for the first time (forwarded by the class prototype); runs 2
    // and 3 meet it again (its methods bound once, kept).
    for (const n of [1, 2, 3]) {
      await inner.write(async (tx) => {
        const w = countingWriter(tx);
        expect(
          methodNames(tx).filter((k) => typeof (w as unknown as Record<string, unknown>)[k] !== 'function'),
        ).toEqual([]);
        expect(methodNames(tx).length).toBeGreaterThan(50);
        const rid = await w.insertOrganisation({
          id: `00000000-0000-4000-8000-0000000000a${n}`,
          name: `Org a${n}`,
          type: 'youth_care',
          status: 'active',
          webhookUrl: null,
          placementBudgetPerDay: 10,
          createdAt: 0,
        });
        // Written through the wrapper, read through the writer and the other way round.
        expect((await tx.getOrganisationByRid(rid))?.name).toBe(`Org a${n}`);
        expect(await w.getOrganisationByRid(rid)).toEqual(await tx.getOrganisationByRid(rid));
        // A nested savepoint through the wrapper rolls back what it wrote, as on the writer.
        await w
          .savepoint(async () => {
            await w.updateOrganisation(rid, { placementBudgetPerDay: 3 });
            throw new Error('undo');
          })
          .catch(() => undefined);
        expect((await tx.getOrganisationByRid(rid))?.placementBudgetPerDay).toBe(10);
        expect(queuedThrough(w)).toBe(0);
        await queue(w);
        if (n !== 2) await queueMail(w);
        expect(queuedThrough(w)).toBe(n === 2 ? 1 : 2);
      });
    }
  });

  it('forwards a writer’s own function properties, bound to it, and counts its own inserts', async () => {
    const make = (marker: number, seen: unknown[]) => ({
      marker,
      read(this: { marker: number }) {
        seen.push(this.marker);
        return this.marker;
      },
      async insertDelivery(this: { marker: number }) {
        seen.push(this.marker);
      },
      async insertMailNotice() {
        throw new Error('refused');
      },
    });
    const seen: unknown[] = [];
    const a = make(7, seen);
    const b = make(8, seen);
    // a first met, a met again (bound, kept), b, then a once more.
    for (const tx of [a, a, b, a]) {
      const w = countingWriter(tx as unknown as StoreWriter) as unknown as typeof tx;
      seen.length = 0;
      expect(w.read()).toBe(tx.marker);
      await w.insertDelivery();
      await expect(w.insertMailNotice()).rejects.toThrow('refused');
      expect(seen).toEqual([tx.marker, tx.marker]);
      expect(queuedThrough(w as never)).toBe(1);
    }
  });
});
