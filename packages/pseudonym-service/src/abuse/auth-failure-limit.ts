// Failed authentications, limited before they cost a verification — the match server's rule
// (docs/protocol.md §5.4, its http/auth-failure-limit.ts), here for the pseudonym service
// (docs/operations.md "Pseudonym service"): a token bucket per client address (checked before
// the body is read) and per key id (checked after the key lookup, before the Ed25519
// verification of the request). Each refused authentication (a 401) takes a token from both;
// while a bucket is empty the request is refused with `rate_limited` without being verified.
// Successful requests take nothing. The price, as at the match server: whoever knows a key id
// can keep that key refused while it sends failures faster than the refill.

import { BlockList, isIP } from 'node:net';

export interface AuthFailureLimitOptions {
  /** Failures refilled per minute per bucket; 0 disables the limit. */
  readonly perMinute: number;
  readonly burst: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimitOptions = { perMinute: 60, burst: 20 };
/** A reverse proxy on this host, as the match server's default. */
export const DEFAULT_TRUSTED_PROXIES = ['127.0.0.0/8', '::1'];

const MAX_BUCKETS = 50_000;

export class AuthFailureLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: AuthFailureLimitOptions,
    private readonly clock: () => number,
  ) {}

  #refilled(key: string) {
    const b = this.#buckets.get(key);
    if (b === undefined) return undefined;
    const now = this.clock();
    b.tokens = Math.min(this.options.burst, b.tokens + ((now - b.at) / 60_000) * this.options.perMinute);
    b.at = now;
    return b;
  }

  /** 0 when a request may try to authenticate, else whole seconds until it may. Takes nothing. */
  wait(key: string): number {
    if (this.options.perMinute <= 0) return 0;
    const b = this.#refilled(key);
    if (b === undefined || b.tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / this.options.perMinute));
  }

  /** Records one refused authentication. */
  fail(key: string): void {
    if (this.options.perMinute <= 0) return;
    let b = this.#refilled(key);
    if (b === undefined) {
      if (this.#buckets.size >= MAX_BUCKETS) this.#buckets.delete(this.#buckets.keys().next().value!);
      b = { tokens: this.options.burst, at: this.clock() };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.max(0, b.tokens - 1);
  }
}

/**
 * The client's address: the socket's peer, or — when the peer is a trusted reverse proxy —
 * the right-most `X-Forwarded-For` entry that is not a trusted proxy; undefined when that
 * cannot be told (then only the per-key limit applies: limiting the proxy would limit
 * everyone behind it). IPv6 addresses count per /64.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: BlockList | undefined,
): string | undefined {
  let address = normalise(peer);
  if (address !== undefined && trusted !== undefined && isTrusted(trusted, address)) {
    address = undefined;
    const hops = forwardedFor === undefined ? [] : forwardedFor.split(',').map((h) => normalise(h.trim()));
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i];
      if (hop === undefined) break; // malformed: nothing further left can be believed
      if (!isTrusted(trusted, hop)) {
        address = hop;
        break;
      }
    }
  }
  if (address === undefined || isIP(address) !== 6) return address;
  return `${prefix64(address)}/64`;
}

/** The first four groups of an IPv6 address (isIP-valid), as 16 hex digits. */
function prefix64(address: string): string {
  const [head = '', tail] = address.split('::');
  const groups = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [g];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        });
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all
    .slice(0, 4)
    .map((g) => g.padStart(4, '0'))
    .join('');
}

/** A BlockList of trusted proxies ("192.0.2.1", "10.0.0.0/8", "fd00::/8"); entries checked by isProxyEntry. */
export function trustedProxyList(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const e of entries) {
    const [address = '', prefix] = e.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/** True when `entry` is an address or a CIDR range. */
export function isProxyEntry(entry: string): boolean {
  const m = /^([^/]+)(?:\/([0-9]{1,3}))?$/.exec(entry);
  if (m === null) return false;
  const family = isIP(m[1]!);
  if (family === 0) return false;
  return m[2] === undefined || Number(m[2]) <= (family === 4 ? 32 : 128);
}

const isTrusted = (list: BlockList, address: string) =>
  list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** An IP address without an IPv4-mapped prefix or zone; undefined when not an address. */
function normalise(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  return isIP(t) === 0 ? undefined : t.toLowerCase();
}
