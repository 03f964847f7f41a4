// Where a webhook may go (docs/threat-model.md §5.8, docs/operations.md "Webhook
// addresses"). The municipality sets webhook URLs, and the server connects to them from
// inside its network: a URL must never reach loopback, link-local (cloud metadata at
// 169.254.169.254 and fd00:ec2::254 included), private, shared, unique-local, multicast,
// unspecified, documentation or other special-purpose addresses. The rule is applied at
// registration to the URL's host and at every connection to each address the name resolves
// to (packages/server/src/jobs/webhook-transport.ts), so DNS cannot route around it. Only
// global unicast passes; the test-only loopback flag adds 127.0.0.0/8 and ::1.

import { isIP } from 'node:net';

/** The 4 or 16 bytes of an IPv4 or IPv6 address in its textual form; undefined otherwise. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  const family = isIP(text);
  if (family === 4) return Uint8Array.from(text.split('.').map(Number));
  if (family !== 6) return undefined;
  let t = text.replace(/%.*$/, '');
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4 !== null) {
    tail.push(...v4[1]!.split('.').map(Number));
    t = `${t.slice(0, v4.index)}0:0`;
  }
  const [head = '', rest] = t.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  });
  if (tail.length === 4) out.set(tail, 12);
  return out;
}

type Range = readonly [prefix: readonly number[], bits: number];

/** IPv4 ranges that are not global unicast (RFC 6890 and its successors). */
const V4_REFUSED: readonly Range[] = [
  [[0], 8], // "this network", 0.0.0.0 unspecified
  [[10], 8], // private
  [[100, 64], 10], // shared (carrier-grade NAT)
  [[127], 8], // loopback
  [[169, 254], 16], // link-local, cloud metadata 169.254.169.254
  [[172, 16], 12], // private
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2], 24], // documentation
  [[192, 88, 99], 24], // 6to4 relay anycast
  [[192, 168], 16], // private
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24], // documentation
  [[203, 0, 113], 24], // documentation
  [[224], 4], // multicast
  [[240], 4], // reserved, broadcast
];

/** Inside global unicast 2000::/3, the special-purpose ranges. */
const V6_REFUSED: readonly Range[] = [
  [[0x20, 0x01, 0x00], 23], // IETF protocol assignments (Teredo, ORCHID, benchmarking …)
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x20, 0x02], 16], // 6to4 (embeds an IPv4 address)
  [[0x3f, 0xff, 0x00], 20], // documentation (RFC 9637)
];

function inRange(bytes: Uint8Array, offset: number, [prefix, bits]: Range): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const keep = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - keep)) & 0xff;
    if (((bytes[offset + i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 address stands for: IPv4-mapped (::ffff:0:0/96) or NAT64 (64:ff9b::/96). */
function embeddedV4(b: Uint8Array): boolean {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 10) && b[10] === 0xff && b[11] === 0xff;
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12);
  return mapped || nat64;
}

function loopback(b: Uint8Array): boolean {
  if (b.length === 4) return b[0] === 127;
  if (embeddedV4(b)) return b[12] === 127;
  return b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
}

/**
 * True when a webhook may be delivered to this address: global unicast only, or loopback
 * too with the test-only `allowLoopback`. False for anything that is not an IP address.
 */
export function webhookAddressAllowed(address: string, allowLoopback = false): boolean {
  const b = parseIpAddress(address.startsWith('[') ? address.slice(1, -1) : address);
  if (b === undefined) return false;
  if (allowLoopback && loopback(b)) return true;
  if (b.length === 4 || embeddedV4(b)) {
    const offset = b.length === 4 ? 0 : 12;
    return !V4_REFUSED.some((r) => inRange(b, offset, r));
  }
  if ((b[0]! & 0xe0) !== 0x20) return false; // outside 2000::/3: ::1, fc00::/7, fe80::/10, ff00::/8 …
  return !V6_REFUSED.some((r) => inRange(b, 0, r));
}
