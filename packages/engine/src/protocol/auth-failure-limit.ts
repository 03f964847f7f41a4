// Failed authentications, limited before they cost anything (docs/protocol.md §5.4,
// docs/threat-model.md §5.6). A token bucket per client address (checked before the body is
// read) and per registered key id (checked after the key lookup, before the Ed25519
// verification): each refused authentication takes a token, and while a bucket is empty the
// request is refused with 429 without being verified. Successful requests take nothing.
// The price, written down: whoever knows a key id can keep that key refused while it sends
// failures faster than the refill rate (visible as 401s and 429s under that key id).
// Shared by the match server and the pseudonym service (`@sluis/engine/protocol`), so both
// limit and find the client's address alike.
//
// Memory is bounded without ever forgetting a refusal (docs/protocol.md §5.4): at the cap the
// limiter drops every bucket that is not refusing (at least one token) and, when every bucket
// is refusing, refuses new keys until the first one will have a token again. Not the request
// limiter's "drop only refilled buckets": a success takes nothing, so a legitimate client
// rarely has a bucket here, and refusing new keys whenever the map is full would refuse
// exactly those clients. Finding the buckets to drop costs no scan of the map
// (capped-buckets.ts).

import { BlockList, isIP } from 'node:net';
import { parseIpAddress } from '../domain/webhook-address.js';
import { type Bucket, CappedBuckets } from './capped-buckets.js';

export interface AuthFailureLimitOptions {
  /** Failures refilled per minute per bucket; 0 disables the limit. */
  readonly perMinute: number;
  readonly burst: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimitOptions = { perMinute: 60, burst: 20 };

const MAX_AUTH_FAILURE_BUCKETS = 50_000;

export class AuthFailureLimiter {
  readonly #buckets: CappedBuckets;
  readonly #options: AuthFailureLimitOptions;
  readonly #clock: () => number;

  constructor(options: AuthFailureLimitOptions, clock: () => number, capacity = MAX_AUTH_FAILURE_BUCKETS) {
    this.#options = options;
    this.#clock = clock;
    // A bucket may go once it is not refusing (a token: a partly spent one too, as forgetting
    // it never lifts a refusal).
    const { perMinute } = options;
    this.#buckets = new CappedBuckets(capacity, (b: Bucket) => b.at + ((1 - b.tokens) / perMinute) * 60_000);
  }

  /** How many keys hold a bucket (bounded by the capacity). */
  get size(): number {
    return this.#buckets.size;
  }

  #refilled(key: string): Bucket | undefined {
    const b = this.#buckets.get(key);
    if (b === undefined) return undefined;
    const now = this.#clock();
    b.tokens = Math.min(this.#options.burst, b.tokens + ((now - b.at) / 60_000) * this.#options.perMinute);
    b.at = now;
    return b;
  }

  /**
   * 0 when a request may try to authenticate, else whole seconds until it may. Takes nothing.
   * A key without a bucket while every one of a full map is refusing: refused until the first
   * of them will have a token again.
   */
  wait(key: string): number {
    if (this.#options.perMinute <= 0) return 0;
    const b = this.#refilled(key);
    if (b === undefined) return this.#buckets.room(this.#clock());
    if (b.tokens >= 1) return 0;
    return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / this.#options.perMinute));
  }

  /**
   * Records one refused authentication. A new key finds no room only when every bucket is
   * refusing; its failure is then not recorded (wait() refuses that key until there is room).
   */
  fail(key: string): void {
    if (this.#options.perMinute <= 0) return;
    let b = this.#refilled(key);
    if (b === undefined) {
      const now = this.#clock();
      if (this.#buckets.room(now) > 0) return;
      b = this.#buckets.add(key, { tokens: this.#options.burst, at: now });
    }
    b.tokens = Math.max(0, b.tokens - 1);
  }
}

/**
 * The client's address for the per-address limit: the socket's peer, or — when the peer
 * is one of the operator's trusted reverse proxies — the right-most `X-Forwarded-For`
 * entry that is not a trusted proxy. A trusted proxy is never the client itself: without a
 * usable header the address is unknown and only the per-key limit applies (limiting the
 * proxy's address would limit everyone behind it). IPv6 addresses count per /64 (one
 * host's share). undefined when unknown (also for in-process requests).
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: BlockList | undefined,
): string | undefined {
  let address = normalisePeer(peer);
  if (address !== undefined && trusted !== undefined && peerTrusted(trusted, address)) {
    address = undefined;
    // No header: no hop to believe (as the empty header's one malformed hop).
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
  return `${Buffer.from(parseIpAddress(address)!.subarray(0, 8)).toString('hex')}/64`;
}

/** A BlockList of the operator's trusted proxies ("192.0.2.1", "10.0.0.0/8", "fd00::/8"). */
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

/** True when `entry` is an address or a CIDR range trustedProxyList accepts. */
export function isProxyEntry(entry: string): boolean {
  const m = /^([^/]+)(?:\/([0-9]{1,3}))?$/.exec(entry);
  if (m === null) return false;
  const family = isIP(m[1]!);
  if (family === 0) return false;
  return m[2] === undefined || Number(m[2]) <= (family === 4 ? 32 : 128);
}

/** True when the socket peer `peer` is one of the trusted proxies. */
export function isTrustedPeer(trusted: BlockList | undefined, peer: string | undefined): boolean {
  const address = normalisePeer(peer);
  return address !== undefined && trusted !== undefined && peerTrusted(trusted, address);
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** Per trusted-proxy list: whether a (normalised) socket peer is on it, remembered like the peer itself. */
const peerTrust = new WeakMap<BlockList, Map<string, boolean>>();

/**
 * isTrusted for a socket's peer, remembered per list (`BlockList.check` builds a
 * `SocketAddress` on every call, ≈ 1 % of a placement's CPU: docs/performance.md "Eighth
 * pass"). Exact because trustedProxyList's lists are never changed once built. Header hops
 * are checked afresh every time, as they are normalised afresh.
 */
function peerTrusted(list: BlockList, address: string): boolean {
  let memo = peerTrust.get(list);
  if (memo === undefined) {
    memo = new Map();
    peerTrust.set(list, memo);
  }
  let trusted = memo.get(address);
  if (trusted === undefined) {
    trusted = isTrusted(list, address);
    if (memo.size >= PEERS_MAX) memo.clear();
    memo.set(address, trusted);
  }
  return trusted;
}

/** How many socket peers normalisePeer remembers; the memo starts afresh when full. */
const PEERS_MAX = 1024;
const peers = new Map<string, string | undefined>();

/**
 * normalise for a socket's peer address, remembered: a keep-alive connection sends many
 * requests from one peer, and this runs on every request (docs/performance.md "Seventh
 * pass"). Header values are not remembered (anyone may send any number of them).
 */
function normalisePeer(peer: string | undefined): string | undefined {
  if (peer === undefined) return undefined;
  if (peers.has(peer)) return peers.get(peer);
  const address = normalise(peer);
  if (peers.size >= PEERS_MAX) peers.clear();
  peers.set(peer, address);
  return address;
}

/** An IP address without an IPv4-mapped prefix or zone; undefined when not an address. */
function normalise(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  return isIP(t) === 0 ? undefined : t.toLowerCase();
}
