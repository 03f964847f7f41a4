// Only a trusted proxy's X-Request-Id is believed, and only in a proxy's id shape: hex or a UUID
// (docs/operations.md "Request ids").

import { describe, expect, it } from 'vitest';
import { trustedProxyList } from '@sluis/engine/protocol';
import { proxyRequestId } from './request-id.js';

const trusted = trustedProxyList(['10.0.0.0/8', '::1']);

describe('proxyRequestId', () => {
  it('takes the id from a trusted peer (IPv4 range, IPv6, IPv4-mapped)', () => {
    expect(proxyRequestId('10.1.2.3', '6F9619FF-8B86-D011-B42D-00CF4FC964FF', trusted)).toBe(
      '6F9619FF-8B86-D011-B42D-00CF4FC964FF',
    );
    expect(proxyRequestId('::1', '0123456789abcdef', trusted)).toBe('0123456789abcdef');
    expect(proxyRequestId('::ffff:10.9.9.9', '0af7651916cd43dd8448eb211c80319c', trusted)).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
  });

  it('ignores it from any other peer, without a proxy list, or without a peer', () => {
    const id = '0af7651916cd43dd8448eb211c80319c';
    expect(proxyRequestId('192.0.2.1', id, trusted)).toBeUndefined();
    expect(proxyRequestId('10.1.2.3', id, undefined)).toBeUndefined();
    expect(proxyRequestId(undefined, id, trusted)).toBeUndefined();
  });

  it('ignores anything that is not a proxy id: free text, a BSN, a pseudonym, an e-mail address', () => {
    const refused = [
      '',
      'a b',
      'lb-7f3a.42:1',
      '0123456789abcde',
      'f'.repeat(65),
      '999900006',
      'qK3vN0bX1yF7sT2mW9pL4hR8cD6jG5aZ0eU1iO3kY2w',
      'j.jansen@example.nl',
      'é'.repeat(16),
      '<script>alert(1)</script>',
      '6f9619ff-8b86-d011-b42d-00cf4fc964f',
    ];
    for (const v of refused) {
      expect(proxyRequestId('10.1.2.3', v, trusted), JSON.stringify(v)).toBeUndefined();
    }
    expect(proxyRequestId('10.1.2.3', 'f'.repeat(64), trusted)).toBe('f'.repeat(64));
  });
});
