// The token buckets in front of sign-in and step-up (docs/protocol.md §10.6): `peek` takes
// nothing, `takeBoth` takes from a session's and its person's bucket only when both allow, so
// a refusal by either leaves the other's tokens. At the cap (docs/protocol.md §10.5) refilled
// buckets go first and a drained one is never forgotten: a flood of new keys is refused
// instead. An injected clock.

import { CappedBuckets } from '@sluis/engine/protocol';
import { describe, expect, it } from 'vitest';
import { SERVER_DEFAULTS } from '../cli/server-options.js';
import { signInRoutes } from '../routes/sign-in-routes.js';
import { MAX_BUCKETS, RateLimiter, takeBoth } from './rate-limit.js';

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

  describe('at the cap (docs/protocol.md §10.5)', () => {
    const rate = { perSecond: 1 / 60, burst: 2 };

    it('a spray of new keys never restores a drained bucket, and the map stays at the cap', () => {
      let now = 0;
      const l = new RateLimiter(rate, () => now, 100);
      expect(l.take('drained')).toBe(0);
      expect(l.take('drained')).toBe(0);
      expect(l.take('drained')).toBe(60);
      let admitted = 0;
      for (let i = 0; i < 10_000; i++) {
        now += 1;
        if (l.take(`sprayed ${i}`) === 0) admitted += 1;
        expect(l.size).toBeLessThanOrEqual(100);
      }
      // The first 99 got a bucket; every later one was refused, none emptied the map.
      expect(l.size).toBe(100);
      expect(admitted).toBe(99);
      expect(l.take('drained')).toBeGreaterThan(0);
      // Once the sprayed buckets have refilled they make room; the drained one stays drained
      // until its own refill.
      now = 60_000 + 10_000;
      expect(l.take('newcomer')).toBe(0);
      expect(l.size).toBeLessThanOrEqual(100);
    });

    it('refilled buckets are dropped first (they answer as a new one would); a drained one keeps its wait', () => {
      let now = 0;
      const l = new RateLimiter(rate, () => now, 3);
      l.take('drained');
      l.take('drained');
      l.take('a');
      l.take('b');
      now = 120_000; // a and b have refilled; 'drained' too, so spend it again
      l.take('drained');
      l.take('drained');
      expect(l.take('c')).toBe(0);
      expect(l.size).toBe(2);
      expect(l.take('drained')).toBe(60);
    });

    it('the spray figures of docs/protocol.md §10.5: 12,500 addresses fill it, ≈ 8,333 requests a second keep it full', () => {
      // As app.ts keys the address budget: route and address; the defaults as server.ts sets them.
      const routes = signInRoutes.filter((r) => r.signInLimited === true).map((r) => r.operationId);
      expect(routes).toHaveLength(4);
      const perMinute = SERVER_DEFAULTS.signInPerMinute;
      let now = 0;
      const l = new RateLimiter({ perSecond: perMinute / 60, burst: perMinute }, () => now);
      const addresses = MAX_BUCKETS / routes.length;
      expect(addresses).toBe(12_500);
      const ip = (i: number) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`;
      for (let i = 0; i < addresses; i++)
        for (const route of routes) expect(l.take(`${route} ${ip(i)}`)).toBe(0);
      // Full with one request per bucket: a new address is refused until a sprayed bucket is
      // full again, 60 / signInPerMinute seconds later (6 s at the defaults).
      expect(l.take(`${routes[0]} ${ip(addresses)}`)).toBe(60 / perMinute);
      now = (60 / perMinute) * 1000 - 1;
      expect(l.take(`${routes[0]} ${ip(addresses)}`)).toBeGreaterThan(0);
      now += 1;
      expect(l.take(`${routes[0]} ${ip(addresses)}`)).toBe(0);
      // So every bucket needs a request each 6 s: 50,000 × 10 / 60 ≈ 8,333 a second.
      expect(Math.round((MAX_BUCKETS * perMinute) / 60)).toBe(8_333);
    });

    it('making room costs no scan of the map: with a bucket refilled at each new key, a few buckets are looked at per key (docs/threat-model.md §5.6)', () => {
      // 1,000 buckets drained one a millisecond, each full again a second later: from then on
      // one bucket has refilled when each new key comes, and the new key takes its place. A
      // scan of the map would look at all 1,000 buckets for each new key. The answers are a
      // scan's either way, so the buckets looked at are counted (capped-buckets.ts' test hook).
      let now = 0;
      const l = new RateLimiter({ perSecond: 1, burst: 1 }, () => now, 1000);
      for (let i = 0; i < 1000; i++, now++) expect(l.take(`drained ${i}`)).toBe(0);
      const before = CappedBuckets.examined;
      for (let i = 0; i < 5000; i++, now++) expect(l.take(`new ${i}`)).toBe(0);
      expect((CappedBuckets.examined - before) / 5000).toBeLessThanOrEqual(4);
      // At the cap, only refilled buckets went: the last new key's, drained, is still held.
      expect(l.size).toBe(1000);
      expect(l.peek('new 4999')).toBe(1);
    });

    it('a new key refused at the cap waits until the first bucket will have refilled', () => {
      let now = 0;
      const l = new RateLimiter(rate, () => now, 2);
      l.take('a');
      now = 30_000;
      l.take('b');
      // a is full at 60 s, b at 90 s: 30 s from now.
      expect(l.take('c')).toBe(30);
      expect(l.peek('c')).toBe(30);
      now = 60_000;
      expect(l.take('c')).toBe(0);
    });
  });
});
