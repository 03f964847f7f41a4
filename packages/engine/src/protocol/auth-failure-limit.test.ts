// The failed-authentication buckets and the client address they are keyed by
// (docs/protocol.md §5.4): X-Forwarded-For counts only from a trusted proxy, IPv6 per /64.

import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter, clientAddress, isProxyEntry, trustedProxyList } from './auth-failure-limit.js';

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
