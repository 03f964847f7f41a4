// Restore mode's "made on this host" (docs/operations.md "Back up and restore"). Invariant: a
// request is local only when its peer is a loopback address, it names a loopback host, and it
// carries no header a proxy adds — so an admin request relayed by a proxy on the same host
// (whose connection is loopback too) is not taken for the operator on the server.

/** 127.0.0.0/8 or ::1, also as an IPv4-mapped IPv6 address: a peer on this host. */
function isLoopbackAddress(address: string): boolean {
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/.test(a);
}

/**
 * Headers a proxy adds: RFC 7239 `Forwarded`, `Via` (RFC 9110 §7.6.3), the de facto
 * `X-Forwarded-*` family and `X-Real-IP`.
 */
function isProxyHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'forwarded' || n === 'via' || n === 'x-real-ip' || n.startsWith('x-forwarded-');
}

/** The Host header names this host by a loopback literal or `localhost` (any port). */
function namesLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::[0-9]{1,5})?$/.exec(host.trim());
  const name = (m?.[1] ?? m?.[2])?.toLowerCase();
  return name !== undefined && (name === 'localhost' || isLoopbackAddress(name));
}

/** True for a request made on this host, not relayed by a proxy (restore mode admits only these). */
export function isLocalRequest(peer: string | undefined, headers: Headers): boolean {
  if (peer === undefined || !isLoopbackAddress(peer)) return false;
  let proxied = false;
  headers.forEach((_, name) => {
    proxied ||= isProxyHeader(name);
  });
  return !proxied && namesLoopbackHost(headers.get('host') ?? undefined);
}
