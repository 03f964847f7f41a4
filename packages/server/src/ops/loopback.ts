// The one loopback rule of the server's outgoing connections (docs/operations.md "PostgreSQL"
// under TLS): `--database-tls auto` is off only on a loopback host, and the match notice e-mail's
// `tls: none` is allowed only to a loopback relay. Invariant: a name is never loopback because of
// how it begins — `127.db.example.nl` and `localhost.example.nl` are remote hosts that a
// resolver may send anywhere, so they keep TLS.

import { isIP } from 'node:net';

/**
 * `localhost`, a dotted IPv4 address in 127.0.0.0/8 (`127.a.b.c`), or the IPv6 loopback
 * address written `::1` or `[::1]`. Nothing else: not the short or numeric IPv4 forms (`127.1`,
 * `2130706433`), not another spelling of `::1` (`0:0:0:0:0:0:0:1`) and not the IPv4-mapped
 * `::ffff:127.0.0.1` — each of those is a remote host here, so TLS stays on (the safe side;
 * write the address as above).
 */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
