// A Store decorator that calls `onOutbox` after each committed write whose operation inserted
// webhook deliveries or match notices, so the outbox workers can send them at once instead of polling. It never
// announces a rolled-back write: the callback runs only after `write` has resolved. The count
// is the operation's own — taken from its `tx`, started again when the store repeats the
// operation (docs/engine.md "Storage contract", clause 3) — not a counter shared in memory.

import type { Store, StoreWriter } from './store.js';

/** `tx`, with `onInsert` called after each insertDelivery and insertMailNotice. */
function countingDeliveries(tx: StoreWriter, onInsert: () => void): StoreWriter {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === 'insertDelivery') {
        return async (...args: Parameters<StoreWriter['insertDelivery']>) => {
          await target.insertDelivery(...args);
          onInsert();
        };
      }
      if (prop === 'insertMailNotice') {
        return async (...args: Parameters<StoreWriter['insertMailNotice']>) => {
          await target.insertMailNotice(...args);
          onInsert();
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** The store, with `onOutbox` called after each committed write whose operation inserted deliveries or notices. */
export function announceOutbox(store: Store, onOutbox: () => void): Store {
  return {
    read: (op) => store.read(op),
    write: async (op) => {
      let added = 0;
      const value = await store.write((tx) => {
        added = 0;
        return op(
          countingDeliveries(tx, () => {
            added++;
          }),
        );
      });
      if (added > 0) onOutbox();
      return value;
    },
    claimNonce: (keyId, nonce, expiresAt, now) => store.claimNonce(keyId, nonce, expiresAt, now),
    exclusive: (name, fn) => store.exclusive(name, fn),
    compact: () => store.compact(),
    stats: () => store.stats(),
    close: () => store.close(),
  };
}
