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
// first one will have, rather than forget a drained bucket for a stranger's sake. Finding
// them costs no scan of the map (capped-buckets.ts in @sluis/engine/protocol).

import { type Bucket, CappedBuckets } from '@sluis/engine/protocol';

export interface RateLimitOptions {
  /** Sustained requests per second per key; 0 disables the limiter. */
  readonly perSecond: number;
  readonly burst: number;
}

export const MAX_BUCKETS = 50_000;

export class RateLimiter {
  readonly #buckets: CappedBuckets;
  readonly #options: RateLimitOptions;
  readonly #clock: () => number;

  constructor(options: RateLimitOptions, clock: () => number, capacity = MAX_BUCKETS) {
    this.#options = options;
    this.#clock = clock;
    // A bucket may go once it has refilled: full again, it answers as a new one would.
    const { perSecond, burst } = options;
    this.#buckets = new CappedBuckets(
      capacity,
      (b: Bucket) => b.at + ((burst - b.tokens) / perSecond) * 1000,
    );
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
      const wait = this.#buckets.room(now);
      if (wait > 0) return wait;
      b = this.#buckets.add(key, { tokens: burst, at: now });
    } else {
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
    }
    if (b.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
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
