// The token buckets in front of sign-in and step-up (docs/protocol.md §10.6): `peek` takes
// nothing, `takeBoth` takes from a session's and its person's bucket only when both allow, so
// a refusal by either leaves the other's tokens. An injected clock.

import { describe, expect, it } from 'vitest';
import { RateLimiter, takeBoth } from './rate-limit.js';

describe('RateLimiter', () => {
  it('peek answers what take would, and takes nothing', () => {
    let now = 0;
    const l = new RateLimiter({ perSecond: 1, burst: 1 }, () => now);
    expect(l.peek('k')).toBe(0);
    expect(l.peek('k')).toBe(0);
    expect(l.take('k')).toBe(0);
    expect(l.peek('k')).toBe(1);
    expect(l.take('k')).toBe(1);
    now += 1000;
    expect(l.take('k')).toBe(0);
  });

  it('takeBoth: a refusal by the person’s bucket spends nothing of the session’s, and the other way round', () => {
    const clock = () => 0;
    const sessions = new RateLimiter({ perSecond: 1 / 60, burst: 2 }, clock);
    const people = new RateLimiter({ perSecond: 1 / 60, burst: 1 }, clock);
    expect(takeBoth(sessions, 's', people, 'p')).toBe(0);
    // The person's bucket is empty: refused, and session s keeps its second token.
    expect(takeBoth(sessions, 's', people, 'p')).toBe(60);
    expect(takeBoth(sessions, 's', people, 'p')).toBe(60);
    expect(takeBoth(sessions, 's', people, 'q')).toBe(0);
    // Session s is empty now: refused, and person r keeps its token.
    expect(takeBoth(sessions, 's', people, 'r')).toBe(60);
    expect(takeBoth(sessions, 't', people, 'r')).toBe(0);
  });

  it('a limiter with perSecond 0 never refuses', () => {
    const l = new RateLimiter({ perSecond: 0, burst: 0 }, () => 0);
    expect(l.take('k')).toBe(0);
    expect(l.peek('k')).toBe(0);
    expect(takeBoth(l, 'a', l, 'b')).toBe(0);
  });
});
