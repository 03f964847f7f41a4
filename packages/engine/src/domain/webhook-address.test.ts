// The webhook address rule (docs/threat-model.md §5.8): only global unicast, every class of
// internal or special address refused — also when written as an IPv4-mapped or NAT64 IPv6
// address — and loopback only with the test-only flag.

import { describe, expect, it } from 'vitest';
import { parseIpAddress, webhookAddressAllowed } from './webhook-address.js';

const REFUSED: Record<string, readonly string[]> = {
  loopback: ['127.0.0.1', '127.255.255.254', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::7f00:1'],
  'link-local and metadata': [
    '169.254.169.254',
    '169.254.0.1',
    'fe80::1',
    'febf::1',
    'fd00:ec2::254',
    '::ffff:169.254.169.254',
  ],
  private: [
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.1',
    '192.168.1.1',
    '::ffff:10.0.0.1',
    '::ffff:c0a8:101',
  ],
  'shared (CGNAT)': ['100.64.0.1', '100.127.255.254'],
  'unique-local': ['fc00::1', 'fd12:3456:789a::1', 'fdff:ffff::1'],
  multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1', 'ff0e::1', '::ffff:224.0.0.251'],
  unspecified: ['0.0.0.0', '0.1.2.3', '::', '::ffff:0.0.0.0'],
  'reserved and broadcast': ['240.0.0.1', '255.255.255.255'],
  'documentation and benchmarking': [
    '192.0.2.1',
    '198.51.100.1',
    '203.0.113.9',
    '198.18.0.1',
    '2001:db8::1',
    '3fff::1',
  ],
  'special-purpose IPv6': ['2001::1', '2002:7f00:1::1', '100::1', '::7f00:1', '64:ff9b:1::1'],
  'not an address': ['', 'example.nl', '127.1', '2130706433', '0x7f.1', '1.2.3.4.5', '[::1'],
};

const ALLOWED = [
  '93.184.216.34',
  '8.8.8.8',
  '172.32.0.1',
  '100.128.0.1',
  '2a00:1450:4001::1',
  '2606:4700::1111',
  '::ffff:93.184.216.34',
  '64:ff9b::5db8:d822',
];

describe('webhook address rule', () => {
  it.each(Object.entries(REFUSED))('refuses %s', (_, addresses) => {
    for (const a of addresses) {
      expect(webhookAddressAllowed(a), a).toBe(false);
      if (!['loopback'].includes(_))
        expect(webhookAddressAllowed(a, true), `${a} with the loopback flag`).toBe(false);
    }
  });

  it('accepts global unicast, IPv4-mapped and NAT64 forms of it included', () => {
    for (const a of ALLOWED) expect(webhookAddressAllowed(a), a).toBe(true);
    expect(webhookAddressAllowed('[2a00:1450:4001::1]')).toBe(true);
  });

  it('the test-only flag adds loopback and nothing else', () => {
    for (const a of REFUSED.loopback!) expect(webhookAddressAllowed(a, true), a).toBe(true);
    expect(webhookAddressAllowed('10.0.0.1', true)).toBe(false);
  });

  it('parses addresses to their bytes', () => {
    expect([...parseIpAddress('10.1.2.3')!]).toEqual([10, 1, 2, 3]);
    expect(Buffer.from(parseIpAddress('::ffff:127.0.0.1')!).toString('hex')).toBe(
      '00000000000000000000ffff7f000001',
    );
    expect(Buffer.from(parseIpAddress('fd00:ec2::254')!).toString('hex')).toBe(
      'fd000ec2000000000000000000000254',
    );
    expect(Buffer.from(parseIpAddress('::')!).toString('hex')).toBe('0'.repeat(32));
    expect(parseIpAddress('127.1')).toBeUndefined();
  });
});
