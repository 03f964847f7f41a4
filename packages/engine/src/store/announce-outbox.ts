// A Store decorator that calls `onOutbox` after each committed write whose operation inserted
// webhook deliveries or match notices, so the outbox workers can send them at once instead of polling. It never
// announces a rolled-back write: the callback runs only after `write` has resolved. The count
// is the operation's own — taken from its `tx`, started again when the store repeats the
// operation (docs/engine.md "Storage contract", clause 3) — not a counter shared in memory.
//
// The operation gets a plain wrapper of the store's `tx` (docs/performance.md "Ninth pass"):
// its prototype, made once per kind of writer (per class), forwards every method of the
// writer's prototype chain to the writer itself and counts the two inserts; a function the
// writer holds as its own property is bound onto the wrapper per run. Methods are all the
// StoreWriter contract has; a writer's own data fields are its implementation's and are not
// forwarded.

import type { Store, StoreWriter } from './store.js';

const TARGET = Symbol('tx');
const ADDED = Symbol('added');

/** What the operation holds: the writer's methods, and this run's count of queued messages. */
interface Counting {
  [TARGET]: StoreWriter;
  [ADDED]: number;
}

/** The methods counted: each call that resolves queued one message for the outbox workers. */
const COUNTED = ['insertDelivery', 'insertMailNotice'] as const;
type Counted = (typeof COUNTED)[number];

function counter(name: Counted) {
  return async function (this: Counting, ...args: unknown[]): Promise<void> {
    const tx = this[TARGET];
    await (tx[name] as (...a: unknown[]) => Promise<void>).apply(tx, args);
    this[ADDED]++;
  };
}

/** The wrappers' prototype for writers whose prototype is `proto` (one per class). */
function wrapperPrototype(proto: object | null): object {
  const out: Record<PropertyKey, unknown> = {};
  const seen = new Set<PropertyKey>(['constructor', ...COUNTED]);
  for (let p = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Reflect.ownKeys(p)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const d = Object.getOwnPropertyDescriptor(p, name)!;
      if (typeof d.value === 'function') {
        const fn = d.value as (...a: unknown[]) => unknown;
        out[name] = function (this: Counting, ...args: unknown[]) {
          return fn.apply(this[TARGET], args);
        };
      } else {
        // An accessor or a shared value of the class: read from the writer on every access.
        Object.defineProperty(out, name, {
          get(this: Counting) {
            const t = this[TARGET];
            const v: unknown = Reflect.get(t, name, t);
            return typeof v === 'function' ? v.bind(t) : v;
          },
        });
      }
    }
  }
  for (const name of COUNTED) out[name] = counter(name);
  return out;
}

const prototypes = new WeakMap<object, object>();
let ofNullPrototype: object | undefined;

/** `tx`, counting its queued messages under ADDED. */
export function countingWriter(tx: StoreWriter): StoreWriter & Counting {
  const proto = Object.getPrototypeOf(tx) as object | null;
  let wp = proto === null ? ofNullPrototype : prototypes.get(proto);
  if (wp === undefined) {
    wp = wrapperPrototype(proto);
    if (proto === null) ofNullPrototype = wp;
    else prototypes.set(proto, wp);
  }
  const w = Object.create(wp) as StoreWriter & Counting;
  w[TARGET] = tx;
  w[ADDED] = 0;
  for (const name of Object.keys(tx)) {
    if (name === 'insertDelivery' || name === 'insertMailNotice') continue; // counted by the prototype
    const v: unknown = (tx as unknown as Record<string, unknown>)[name];
    if (typeof v === 'function') (w as unknown as Record<string, unknown>)[name] = v.bind(tx);
  }
  return w;
}

/** Messages queued through `w` so far (its last run's, when the store repeats the operation). */
export const queuedThrough = (w: Counting): number => w[ADDED];

/** The store, with `onOutbox` called after each committed write whose operation inserted deliveries or notices. */
export function announceOutbox(store: Store, onOutbox: () => void): Store {
  return {
    read: (op) => store.read(op),
    write: async (op) => {
      let run: Counting | undefined;
      const value = await store.write((tx) => {
        const w = countingWriter(tx);
        run = w;
        return op(w);
      });
      if (run !== undefined && queuedThrough(run) > 0) onOutbox();
      return value;
    },
    claimNonce: (keyId, nonce, expiresAt, now) => store.claimNonce(keyId, nonce, expiresAt, now),
    exclusive: (name, fn) => store.exclusive(name, fn),
    compact: () => store.compact(),
    stats: () => store.stats(),
    close: () => store.close(),
  };
}
