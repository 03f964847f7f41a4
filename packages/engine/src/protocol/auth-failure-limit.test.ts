// The failed-authentication buckets and the client address they are keyed by
// (docs/protocol.md §5.4): X-Forwarded-For counts only from a trusted proxy, IPv6 per /64. At
// the cap a refusing bucket is never forgotten; a spray of new keys is refused instead.

import { describe, expect, it } from 'vitest';
import {
  AuthFailureLimiter,
  clientAddress,
  DEFAULT_AUTH_FAILURE_LIMIT,
  isProxyEntry,
  trustedProxyList,
} from './auth-failure-limit.js';
import { CappedBuckets } from './capped-buckets.js';

describe('AuthFailureLimiter', () => {
  it('refuses once the burst of failures is spent, refills per minute, and wait() takes nothing', () => {
    let now = 0;
    const l = new AuthFailureLimiter({ perMinute: 6, burst: 2 }, () => now);
    expect(l.wait('k')).toBe(0);
    for (let i = 0; i < 10; i++) expect(l.wait('k')).toBe(0);
    l.fail('k');
    expect(l.wait('k')).toBe(0);
    l.fail('k');
    expect(l.wait('k')).toBe(10);
    expect(l.wait('other')).toBe(0);
    now += 10_000;
    expect(l.wait('k')).toBe(0);
    const off = new AuthFailureLimiter({ perMinute: 0, burst: 1 }, () => now);
    for (let i = 0; i < 5; i++) off.fail('k');
    expect(off.wait('k')).toBe(0);
  });

  describe('at the cap (docs/protocol.md §5.4)', () => {
    const limit = { perMinute: 1, burst: 2 };
    const drain = (l: AuthFailureLimiter, key: string) => {
      l.fail(key);
      l.fail(key);
    };

    it('a spray of new keys never forgets a refusing bucket, and the map stays at the cap', () => {
      let now = 0;
      const l = new AuthFailureLimiter(limit, () => now, 100);
      drain(l, 'drained');
      expect(l.wait('drained')).toBe(60);
      let recorded = 0;
      let largest = 0;
      for (let i = 0; i < 10_000; i++) {
        now += 1;
        const key = `sprayed ${i}`;
        if (l.wait(key) > 0) continue;
        drain(l, key);
        if (l.wait(key) > 0) recorded += 1;
        largest = Math.max(largest, l.size);
      }
      expect(l.wait('drained')).toBeGreaterThan(0);
      // 99 sprayed keys got a bucket and were drained; every later one was refused unseen.
      expect(largest).toBe(100);
      expect(l.size).toBe(100);
      expect(recorded).toBe(99);
      expect(l.wait('sprayed 9999')).toBeGreaterThan(0);
      // Once a bucket has a token again it makes room; 'drained' refills by itself only.
      now = 60_000 + 10_000;
      expect(l.wait('newcomer')).toBe(0);
      l.fail('newcomer');
      expect(l.size).toBeLessThanOrEqual(100);
    });

    it('buckets that are not refusing go first, partly spent ones too; a refusing one keeps its wait', () => {
      const now = 0;
      const l = new AuthFailureLimiter(limit, () => now, 4);
      drain(l, 'drained');
      l.fail('a'); // one token left: not refusing
      l.fail('b');
      l.fail('c');
      expect(l.size).toBe(4);
      l.fail('d'); // the map is full: a, b and c go, the refusing one stays
      expect(l.size).toBe(2);
      expect(l.wait('drained')).toBe(60);
      expect(l.wait('d')).toBe(0);
    });

    it('a new key while every bucket refuses waits until the first has a token again, and is not recorded', () => {
      let now = 0;
      const l = new AuthFailureLimiter(limit, () => now, 2);
      drain(l, 'a');
      now = 30_000;
      drain(l, 'b');
      // a has a token at 60 s, b at 90 s: 30 s from now.
      expect(l.wait('c')).toBe(30);
      l.fail('c');
      expect(l.size).toBe(2);
      expect(l.wait('c')).toBe(30);
      now = 60_000;
      expect(l.wait('c')).toBe(0);
      expect(l.wait('b')).toBe(30);
    });

    it('making room costs no scan of the map: against 999 refusing buckets, a few buckets are looked at per new key (docs/threat-model.md §5.6)', () => {
      // Each sprayed key leaves one failure (not refusing), so the next new key drops it: the
      // attack of a map kept full of refusing buckets. A scan of the map would look at all
      // 1,000 buckets for each new key. The answers are a scan's either way, so the buckets
      // looked at are counted (capped-buckets.ts' test hook).
      let now = 0;
      const l = new AuthFailureLimiter(limit, () => now, 1000);
      for (let i = 0; i < 999; i++) drain(l, `drained ${i}`);
      const before = CappedBuckets.examined;
      for (let i = 0; i < 5000; i++) {
        now += 1;
        expect(l.wait(`sprayed ${i}`)).toBe(0);
        l.fail(`sprayed ${i}`);
      }
      expect(l.size).toBe(1000);
      for (let i = 0; i < 999; i++) expect(l.wait(`drained ${i}`)).toBeGreaterThan(0);
      expect((CappedBuckets.examined - before) / 5000).toBeLessThanOrEqual(4);
    });

    it('holds at most the default 50,000 buckets without forgetting a refusing one', () => {
      const now = 0;
      const l = new AuthFailureLimiter(DEFAULT_AUTH_FAILURE_LIMIT, () => now);
      for (let i = 0; i < DEFAULT_AUTH_FAILURE_LIMIT.burst; i++) l.fail('drained');
      expect(l.wait('drained')).toBeGreaterThan(0);
      for (let i = 0; i < 60_000; i++) {
        const key = `sprayed ${i}`;
        if (l.wait(key) === 0) for (let j = 0; j < DEFAULT_AUTH_FAILURE_LIMIT.burst; j++) l.fail(key);
      }
      expect(l.wait('drained')).toBeGreaterThan(0);
      expect(l.size).toBe(50_000);
      expect(l.wait('sprayed 59999')).toBeGreaterThan(0);
    });
  });
});

describe('clientAddress', () => {
  const proxies = trustedProxyList(['127.0.0.1', '10.0.0.0/8']);
  it('is the peer unless the peer is a trusted proxy', () => {
    expect(clientAddress('192.0.2.1', '198.51.100.7', proxies)).toBe('192.0.2.1');
    expect(clientAddress('192.0.2.1', '198.51.100.7', undefined)).toBe('192.0.2.1');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.7', proxies)).toBe('198.51.100.7');
    // the right-most entry that is not itself a trusted proxy; a spoofed left part is ignored
    expect(clientAddress('127.0.0.1', '1.1.1.1, 198.51.100.7, 10.1.2.3', proxies)).toBe('198.51.100.7');
    // a trusted proxy is never the client: without a usable header the address is unknown
    expect(clientAddress('127.0.0.1', 'garbage', proxies)).toBeUndefined();
    expect(clientAddress('127.0.0.1', undefined, proxies)).toBeUndefined();
    expect(clientAddress('127.0.0.1', '10.1.2.3', proxies)).toBeUndefined();
    expect(clientAddress('127.0.0.1', '198.51.100.7, garbage', proxies)).toBeUndefined();
    expect(clientAddress(undefined, '198.51.100.7', proxies)).toBeUndefined();
  });
  it("remembers a peer's trust per list: the same answers with another list, and past the memo's size", () => {
    const none = trustedProxyList(['192.0.2.99']);
    for (let round = 0; round < 2; round++) {
      // the same peers against two lists, interleaved: one list's memo never answers for the other
      expect(clientAddress('127.0.0.1', '198.51.100.7', proxies)).toBe('198.51.100.7');
      expect(clientAddress('127.0.0.1', '198.51.100.7', none)).toBe('127.0.0.1');
      expect(clientAddress('10.9.8.7', '198.51.100.7', proxies)).toBe('198.51.100.7');
      expect(clientAddress('10.9.8.7', '198.51.100.7', none)).toBe('10.9.8.7');
      // 1,100 distinct peers, more than the memo keeps: each answered as by the list itself
      for (let i = 0; i < 1100; i++) {
        const peer = `10.0.${i >> 8}.${i & 255}`;
        expect(clientAddress(peer, '198.51.100.7', proxies)).toBe('198.51.100.7');
        expect(clientAddress(peer, '198.51.100.7', none)).toBe(peer);
      }
    }
  });
  it('groups IPv6 per /64', () => {
    expect(clientAddress('2001:db8:1:2::1', undefined, undefined)).toBe(
      clientAddress('2001:db8:1:2:ffff::9', undefined, undefined),
    );
    expect(clientAddress('2001:db8:1:2::1', undefined, undefined)).not.toBe(
      clientAddress('2001:db8:1:3::1', undefined, undefined),
    );
  });
  it('accepts proxy entries that are addresses or CIDR ranges only', () => {
    for (const ok of ['127.0.0.1', '10.0.0.0/8', 'fd00::/8', '::1']) expect(isProxyEntry(ok), ok).toBe(true);
    for (const bad of ['proxy.example', '10.0.0.0/33', '::/129', '1.2.3', ''])
      expect(isProxyEntry(bad), bad).toBe(false);
  });
});
