// Only a trusted proxy's X-Request-Id is believed, and only as a short token
// (docs/operations.md "Request ids").

import { describe, expect, it } from 'vitest';
import { trustedProxyList } from './auth-failure-limit.js';
import { proxyRequestId } from './request-id.js';

const trusted = trustedProxyList(['10.0.0.0/8', '::1']);

describe('proxyRequestId', () => {
  it('takes the id from a trusted peer (IPv4 range, IPv6, IPv4-mapped)', () => {
    expect(proxyRequestId('10.1.2.3', 'lb-7f3a.42:1', trusted)).toBe('lb-7f3a.42:1');
    expect(proxyRequestId('::1', 'a', trusted)).toBe('a');
    expect(proxyRequestId('::ffff:10.9.9.9', '0af7651916cd43dd8448eb211c80319c', trusted)).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
  });

  it('ignores it from any other peer, without a proxy list, or without a peer', () => {
    expect(proxyRequestId('192.0.2.1', 'lb-1', trusted)).toBeUndefined();
    expect(proxyRequestId('10.1.2.3', 'lb-1', undefined)).toBeUndefined();
    expect(proxyRequestId(undefined, 'lb-1', trusted)).toBeUndefined();
  });

  it('ignores anything that is not a short token', () => {
    for (const v of ['', ' lb', 'a b', '-lead', 'x'.repeat(129), 'é', 'a"b', 'a\\b', 'id{1}', '<script>']) {
      expect(proxyRequestId('10.1.2.3', v, trusted), JSON.stringify(v)).toBeUndefined();
    }
    expect(proxyRequestId('10.1.2.3', 'x'.repeat(128), trusted)).toBe('x'.repeat(128));
  });
});
