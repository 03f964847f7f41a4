// A Store decorator that calls `onOutbox` after each committed write whose operation inserted
// webhook deliveries, so a webhook worker can send them at once instead of polling. It never
// announces a rolled-back write: the callback runs only after `write` has resolved.

import type { Store } from './store.js';

/**
 * The store, with `onOutbox` called after each committed write whose operation inserted
 * deliveries. The writer runs operations one after another, so the counter's change
 * during an operation is that operation's own (another store interleaving them could at
 * worst announce too often, never too seldom).
 */
export function announceOutbox(store: Store, outbox: { inserted: number }, onOutbox: () => void): Store {
  return {
    read: (op) => store.read(op),
    write: async (op) => {
      let added = 0;
      const value = await store.write(async (tx) => {
        const before = outbox.inserted;
        const v = await op(tx);
        added = outbox.inserted - before;
        return v;
      });
      if (added > 0) onOutbox();
      return value;
    },
    compact: () => store.compact(),
    stats: () => store.stats(),
    close: () => store.close(),
  };
}
