// A cheap per-key token bucket in front of every authenticated route (429
// rate_limited). It protects the server, not the domain: the per-organisation placement
// budget (engine, budget_exceeded) is the enumeration defence. Keyed by verified key id
// only, so nobody can drain another key's bucket by claiming its key id; taken after the
// signature verified and before the nonce is recorded, so a request refused here can be
// sent again unchanged (docs/protocol.md §5.4). Failed authentications have their own
// limit (@sluis/engine/protocol, auth-failure-limit.ts).
//
// Memory is bounded without forgetting a spent budget (docs/protocol.md §10.5): at the cap
// the limiter drops the buckets that have refilled (a full bucket is what a new one would
// be, so dropping it changes no answer) and, when none has, refuses new keys until the
// first one will have, rather than forget a drained bucket for a stranger's sake.

export interface RateLimitOptions {
  /** Sustained requests per second per key; 0 disables the limiter. */
  readonly perSecond: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export const MAX_BUCKETS = 50_000;

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #options: RateLimitOptions;
  readonly #clock: () => number;
  readonly #capacity: number;
  /** When full and nothing had refilled at the last sweep: the first time one will have. */
  #nextSweepAt = 0;

  constructor(options: RateLimitOptions, clock: () => number, capacity = MAX_BUCKETS) {
    this.#options = options;
    this.#clock = clock;
    this.#capacity = capacity;
  }

  /** How many keys hold a bucket (bounded by the capacity). */
  get size(): number {
    return this.#buckets.size;
  }

  /** 0 when allowed, else whole seconds until a token is available. */
  take(key: string): number {
    const wait = this.peek(key);
    if (wait === 0 && this.#options.perSecond > 0) this.#buckets.get(key)!.tokens -= 1;
    return wait;
  }

  /**
   * What `take` would answer, taking nothing (the bucket is only refilled to now). A new key
   * when the limiter is full of unrefilled buckets: refused until the first has refilled.
   */
  peek(key: string): number {
    const { perSecond, burst } = this.#options;
    if (perSecond <= 0) return 0;
    const now = this.#clock();
    let b = this.#buckets.get(key);
    if (b === undefined) {
      if (this.#buckets.size >= this.#capacity) {
        const wait = this.#sweep(now);
        if (wait > 0) return wait;
      }
      b = { tokens: burst, at: now };
      this.#buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
    }
    if (b.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }

  /**
   * Drops every bucket that has refilled; 0 when that made room, else whole seconds until
   * the first one will have (no sweep before then, so a flood of new keys costs one pass).
   */
  #sweep(now: number): number {
    const { perSecond, burst } = this.#options;
    if (now >= this.#nextSweepAt) {
      let first = Number.POSITIVE_INFINITY;
      for (const [key, b] of this.#buckets) {
        const fullAt = b.at + ((burst - b.tokens) / perSecond) * 1000;
        if (fullAt <= now) this.#buckets.delete(key);
        else first = Math.min(first, fullAt);
      }
      this.#nextSweepAt = this.#buckets.size >= this.#capacity ? first : 0;
    }
    if (this.#buckets.size < this.#capacity) return 0;
    return Math.max(1, Math.ceil((this.#nextSweepAt - now) / 1000));
  }
}

/**
 * Takes a token from each of two buckets only when both have one, so a refusal by either
 * spends nothing from the other; else the longer wait (whole seconds).
 */
export function takeBoth(a: RateLimiter, aKey: string, b: RateLimiter, bKey: string): number {
  const wait = Math.max(a.peek(aKey), b.peek(bKey));
  if (wait > 0) return wait;
  a.take(aKey);
  b.take(bKey);
  return 0;
}
