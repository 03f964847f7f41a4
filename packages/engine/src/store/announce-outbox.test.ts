// announceOutbox on the real SQLite store: the callback follows a committed write that
// queued deliveries, once, and never a write that queued nothing or was rolled back —
// including one that queued deliveries before it failed.

import { afterEach, describe, expect, it } from 'vitest';
import { announceOutbox } from './announce-outbox.js';
import { openSqliteStore, type SqliteStore } from './sqlite/sqlite-store.js';

let inner: SqliteStore | undefined;
afterEach(async () => {
  await inner?.close();
  inner = undefined;
});

function setup() {
  inner = openSqliteStore({ path: ':memory:', clock: () => 0 });
  const outbox = { inserted: 0 };
  const calls: number[] = [];
  const store = announceOutbox(inner, outbox, () => calls.push(outbox.inserted));
  return { store, outbox, calls };
}

describe('announceOutbox', () => {
  it('announces a committed write that queued deliveries, after its commit', async () => {
    const { store, outbox, calls } = setup();
    const value = await store.write(async () => {
      outbox.inserted += 2;
      expect(calls).toEqual([]); // not before the commit
      return 'done';
    });
    expect(value).toBe('done');
    expect(calls).toEqual([2]);
  });

  it('stays silent for a write that queued nothing', async () => {
    const { store, calls } = setup();
    await store.write(async () => 'nothing queued');
    expect(calls).toEqual([]);
  });

  it('stays silent for a write that queued deliveries and then failed (rolled back)', async () => {
    const { store, outbox, calls } = setup();
    await expect(
      store.write(async () => {
        outbox.inserted += 1;
        throw new Error('fails after queuing');
      }),
    ).rejects.toThrow();
    expect(calls).toEqual([]);
  });

  it('announces each of concurrent writes that queued, not the ones beside them', async () => {
    const { store, outbox, calls } = setup();
    await Promise.all([
      store.write(async () => {
        outbox.inserted += 1;
      }),
      store.write(async () => undefined),
      store.write(async () => {
        outbox.inserted += 1;
      }),
    ]);
    expect(calls).toHaveLength(2);
  });
});
