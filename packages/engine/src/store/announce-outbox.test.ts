// announceOutbox on the real SQLite store: the callback follows a committed write that
// queued deliveries, once, and never a write that queued nothing or was rolled back —
// including one that queued deliveries before it failed. A repeated run counts afresh.

import { afterEach, describe, expect, it } from 'vitest';
import { announceOutbox } from './announce-outbox.js';
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
/** Queues one real delivery (to a real organisation) in `tx`. */
async function queue(tx: StoreWriter): Promise<void> {
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
      store.write((tx) => queue(tx)),
      store.write(async () => undefined),
      store.write((tx) => queue(tx)),
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
});
