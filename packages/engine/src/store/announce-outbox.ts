// A Store decorator that calls `onOutbox` after each committed write whose operation inserted
// webhook deliveries or match notices, so the outbox workers can send them at once instead of polling. It never
// announces a rolled-back write: the callback runs only after `write` has resolved. The count
// is the operation's own — taken from its `tx`, started again when the store repeats the
// operation (docs/engine.md "Storage contract", clause 3) — not a counter shared in memory.
//
// The operation gets a plain wrapper of the store's `tx`, no Proxy (docs/performance.md
// "Ninth pass"): SQLite's single writer, from its second write in a row on, an object of its methods
// bound once for the life of the store; a writer seen for the first time (PostgreSQL makes
// one per run) a wrapper whose prototype, made once per writer class, forwards every method
// of the class to the writer. Both count the two inserts, per run. Methods are all the
// StoreWriter contract has; a writer's own data fields are its implementation's and are not
// forwarded (a function it holds as its own property is, bound to it).

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

/** Per writer class: the wrappers' prototype, and the class's methods (to bind for a long-lived writer). */
interface ClassForwarding {
  readonly prototype: object;
  readonly methods: readonly (readonly [PropertyKey, (...a: unknown[]) => unknown])[];
}

function classForwarding(proto: object | null): ClassForwarding {
  const out: Record<PropertyKey, unknown> = {};
  const methods: [PropertyKey, (...a: unknown[]) => unknown][] = [];
  const seen = new Set<PropertyKey>(['constructor', ...COUNTED]);
  for (let p = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Reflect.ownKeys(p)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const d = Object.getOwnPropertyDescriptor(p, name)!;
      if (typeof d.value === 'function') {
        const fn = d.value as (...a: unknown[]) => unknown;
        methods.push([name, fn]);
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
  return { prototype: out, methods };
}

const classes = new WeakMap<object, ClassForwarding>();
let ofNullPrototype: ClassForwarding | undefined;
/**
 * The writer of the last run, and the writers met in two runs in a row: their methods bound,
 * kept for their life. The last writer is held weakly: a closed store's writer is not kept
 * alive by this module.
 */
let last: WeakRef<StoreWriter> | undefined;
const boundOf = new WeakMap<StoreWriter, object>();

/** The functions `tx` holds as its own properties, bound to it, on `target`. */
function bindOwn(tx: StoreWriter, target: Record<PropertyKey, unknown>): void {
  for (const name of Object.keys(tx)) {
    if ((COUNTED as readonly string[]).includes(name)) continue; // counted by the prototype
    const v: unknown = (tx as unknown as Record<string, unknown>)[name];
    if (typeof v === 'function') target[name] = v.bind(tx);
  }
}

/**
 * `tx` for one run of an operation, counting the messages it queues. A writer object met
 * in two runs in a row (SQLite's single writer) gets an object of its methods bound once,
 * built whole before any run uses it and never changed after; a writer seen for the first
 * time (PostgreSQL's, one per run) a wrapper whose class prototype forwards each call.
 */
export function countingWriter(tx: StoreWriter): StoreWriter & Counting {
  // Only the writer of the last run is looked up: a writer per run costs no look-up.
  const previous = last?.deref();
  const kept = tx === previous ? boundOf.get(tx) : undefined;
  if (kept !== undefined) return startRun(Object.create(kept));
  const proto = Object.getPrototypeOf(tx) as object | null;
  let c = proto === null ? ofNullPrototype : classes.get(proto);
  if (c === undefined) {
    c = classForwarding(proto);
    if (proto === null) ofNullPrototype = c;
    else classes.set(proto, c);
  }
  const w = Object.create(c.prototype) as Record<PropertyKey, unknown>;
  w[TARGET] = tx;
  if (tx === previous) {
    for (const [name, fn] of c.methods) w[name] = fn.bind(tx);
    bindOwn(tx, w);
    boundOf.set(tx, w);
    return startRun(Object.create(w));
  }
  last = new WeakRef(tx);
  bindOwn(tx, w);
  return startRun(w);
}

const startRun = (w: object): StoreWriter & Counting => {
  const r = w as StoreWriter & Counting;
  r[ADDED] = 0;
  return r;
};

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
    ready: () => store.ready(),
    stats: () => store.stats(),
    close: () => store.close(),
    writeConnections: store.writeConnections,
  };
}
