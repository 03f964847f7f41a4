// The token buckets of a limiter that holds at most `capacity` of them (docs/protocol.md §5.4
// and §10.5): a map by key, and a queue (a binary min-heap) ordered by when each bucket may be
// forgotten. The limiter's rule says when that is (`goneAt`: the request limiter's "refilled",
// the failed-authentication limiter's "not refusing"); a bucket is never dropped before it.
// At the cap every bucket whose time has come goes and, when none has, the caller learns when
// the first one's will — without a scan of the map (docs/threat-model.md §5.6, "Spray new
// keys at a limiter's cap"). A bucket's place in the queue is its time as last looked at, a
// lower bound: taking a token only moves the time later, and a refill leaves it (or moves a
// full bucket's later, which was due already). So each bucket looked at to make room is
// dropped (once per bucket added), placed again at its later time (once per token taken since
// it was placed), or is the head that settles the answer (once per call): amortised O(1)
// buckets per operation, O(log n) steps each.

export interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

interface Entry extends Bucket {
  readonly key: string;
  /** goneAt(this) when last placed: never later than its goneAt now. */
  due: number;
}

export class CappedBuckets {
  readonly #map = new Map<string, Entry>();
  readonly #queue: Entry[] = [];
  readonly #capacity: number;
  readonly #goneAt: (b: Bucket) => number;
  static #examined = 0;

  /**
   * A test hook: how many buckets making room has looked at, in every instance since the process
   * started. The cost docs/threat-model.md §5.6 bounds shows in no answer — the queue answers
   * exactly as a scan of the map would (capped-buckets.test.ts) — and a clock would measure it
   * only loosely and unsteadily on a shared machine, so the limiters' tests count it here (before
   * and after a run of new keys). Nothing else reads it.
   */
  static get examined(): number {
    return CappedBuckets.#examined;
  }

  /** `goneAt(b)`: when `b` may be forgotten; it must never move earlier as `b` is used. */
  constructor(capacity: number, goneAt: (b: Bucket) => number) {
    this.#capacity = capacity;
    this.#goneAt = goneAt;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): Bucket | undefined {
    return this.#map.get(key);
  }

  /** Adds `bucket` for `key`, which has none; the caller made room first (`room`). */
  add(key: string, bucket: Bucket): Bucket {
    const e: Entry = { key, tokens: bucket.tokens, at: bucket.at, due: 0 };
    e.due = this.#goneAt(e);
    this.#map.set(key, e);
    this.#queue.push(e);
    this.#up(this.#queue.length - 1);
    return e;
  }

  /**
   * 0 when a new key may have a bucket now — below the cap, or at it once every bucket whose
   * time has come is dropped — else whole seconds until the first one's time comes.
   */
  room(now: number): number {
    if (this.#map.size < this.#capacity) return 0;
    const q = this.#queue;
    for (let head = q[0]; head !== undefined; head = q[0]) {
      CappedBuckets.#examined += 1;
      const due = this.#goneAt(head);
      if (due <= now) {
        this.#map.delete(head.key);
        const last = q.pop()!;
        if (last !== head) {
          q[0] = last;
          this.#down(0);
        }
      } else if (due !== head.due) {
        // Used since it was placed: placed again at its time now (at most once per call).
        head.due = due;
        this.#down(0);
      } else break;
    }
    if (this.#map.size < this.#capacity) return 0;
    return Math.max(1, Math.ceil((q[0]!.due - now) / 1000));
  }

  #up(i: number): void {
    const q = this.#queue;
    const e = q[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (q[parent]!.due <= e.due) break;
      q[i] = q[parent]!;
      i = parent;
    }
    q[i] = e;
  }

  #down(i: number): void {
    const q = this.#queue;
    const e = q[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= q.length) break;
      if (child + 1 < q.length && q[child + 1]!.due < q[child]!.due) child += 1;
      if (q[child]!.due >= e.due) break;
      q[i] = q[child]!;
      i = child;
    }
    q[i] = e;
  }
}
