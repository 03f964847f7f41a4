// Per-key request rate limit: at most `perMinute` evaluate requests per signing key in
// any fixed clock minute; the next is refused with `rate_limited` and Retry-After until
// the minute ends. Checked right after authentication, so every authenticated request
// counts, refused or not. In memory: a restart grants at most one extra minute's worth.

import { ServiceError } from '../errors.js';

export class KeyRateLimit {
  readonly #minute = new Map<string, { minute: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  take(keyId: string, now: number): void {
    const minute = Math.floor(now / 60_000);
    const cur = this.#minute.get(keyId);
    const count = cur === undefined || cur.minute !== minute ? 1 : cur.count + 1;
    if (this.#minute.size > 100_000) this.#minute.clear();
    this.#minute.set(keyId, { minute, count });
    if (count > this.perMinute) {
      throw new ServiceError('rate_limited', {
        retryAfterSeconds: Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)),
      });
    }
  }
}
