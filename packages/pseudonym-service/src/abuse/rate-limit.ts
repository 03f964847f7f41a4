// Per-key request rate limit: at most `perMinute` evaluate requests per signing key in
// any fixed clock minute; the next is refused with `rate_limited` and Retry-After until
// the minute ends. Checked right after authentication, so every authenticated request
// counts, refused or not. In memory: a restart grants at most one extra minute's worth.
//
// What the logbook gets of it (docs/operations.md "Pseudonym service"): the first refusal of
// a key in a minute is a `refused` line; the further ones are only counted and come out of
// `takeRepeated` as one `refused.repeated` line per key and minute once the minute is over.
// A client that keeps sending past its limit (hundreds of requests a second) thus adds at
// most two lines a minute, where a line per refusal would grow the file without bound.

import { ServiceError } from '../errors.js';

export interface RepeatedRefusals {
  readonly keyId: string;
  readonly organisation: string;
  /** Start of the clock minute, ms. */
  readonly minute: number;
  /** Refusals after the first in that minute. */
  readonly further: number;
}

interface Entry {
  minute: number;
  count: number;
  organisation: string;
}

export class KeyRateLimit {
  readonly #minute = new Map<string, Entry>();
  /** Counts of ended minutes not yet taken (an entry replaced by a new minute). */
  readonly #ended: RepeatedRefusals[] = [];

  constructor(private readonly perMinute: number) {}

  /**
   * Takes one request of `keyId`; throws `rate_limited` past the minute's limit. The error's
   * `firstOfMinute` says whether this is the minute's first refusal of the key (to be logged).
   */
  take(keyId: string, now: number, organisation = ''): void {
    const minute = Math.floor(now / 60_000);
    const cur = this.#minute.get(keyId);
    if (cur !== undefined && cur.minute !== minute) this.#end(keyId, cur);
    const count = cur === undefined || cur.minute !== minute ? 1 : cur.count + 1;
    if (this.#minute.size > 100_000) {
      for (const [k, e] of this.#minute) this.#end(k, e);
      this.#minute.clear();
    }
    this.#minute.set(keyId, { minute, count, organisation });
    if (count > this.perMinute) {
      throw new RateLimited(
        Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)),
        count === this.perMinute + 1,
      );
    }
  }

  #end(keyId: string, e: Entry): void {
    const further = e.count - this.perMinute - 1;
    if (further > 0)
      this.#ended.push({ keyId, organisation: e.organisation, minute: e.minute * 60_000, further });
  }

  /**
   * The counts of further refusals of every minute that is over at `now` (all minutes with
   * `all`, at a stop), each once. Also drops the entries of ended minutes.
   */
  takeRepeated(now: number, all = false): RepeatedRefusals[] {
    const minute = Math.floor(now / 60_000);
    for (const [k, e] of this.#minute) {
      if (e.minute < minute || all) {
        this.#end(k, e);
        this.#minute.delete(k);
      }
    }
    return this.#ended.splice(0);
  }
}

/** `rate_limited`, knowing whether it is the key's first refusal of the minute. */
export class RateLimited extends ServiceError {
  constructor(
    retryAfterSeconds: number,
    readonly firstOfMinute: boolean,
  ) {
    super('rate_limited', { retryAfterSeconds });
  }
}
