// A cheap per-key token bucket in front of every authenticated route (429
// rate_limited). It protects the server, not the domain: the per-organisation placement
// budget (engine, budget_exceeded) is the enumeration defence. Keyed by verified key id
// only, so nobody can drain another key's bucket by claiming its key id; taken after the
// signature verified and before the nonce is recorded, so a request refused here can be
// sent again unchanged (docs/protocol.md §5.4). Failed authentications have their own
// limit (@sluis/engine/protocol, auth-failure-limit.ts).

export interface RateLimitOptions {
  /** Sustained requests per second per key; 0 disables the limiter. */
  readonly perSecond: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_BUCKETS = 50_000;

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #options: RateLimitOptions;
  readonly #clock: () => number;

  constructor(options: RateLimitOptions, clock: () => number) {
    this.#options = options;
    this.#clock = clock;
  }

  /** 0 when allowed, else whole seconds until a token is available. */
  take(key: string): number {
    const wait = this.peek(key);
    if (wait === 0 && this.#options.perSecond > 0) this.#buckets.get(key)!.tokens -= 1;
    return wait;
  }

  /** What `take` would answer, taking nothing (the bucket is only refilled to now). */
  peek(key: string): number {
    const { perSecond, burst } = this.#options;
    if (perSecond <= 0) return 0;
    const now = this.#clock();
    let b = this.#buckets.get(key);
    if (b === undefined) {
      if (this.#buckets.size >= MAX_BUCKETS) this.#buckets.clear();
      b = { tokens: burst, at: now };
      this.#buckets.set(key, b);
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
