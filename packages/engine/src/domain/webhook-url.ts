// The webhook URL policy at registration (docs/api.md "Admin"; docs/threat-model.md §5.8):
// https only, no credentials or fragment; a host that is an IP address must be written in
// its canonical form and be a global unicast address (webhook-address.ts); a name must have
// a dot and must not be `localhost` or under `.localhost`. Names are checked again at every
// connection, against each address they resolve to. Plain http — and loopback — only with
// the test-only `allowLoopbackHttpWebhooks`, and then only for a loopback host, so a
// notification can never travel unencrypted over a network.

import { isIP } from 'node:net';
import { webhookAddressAllowed } from './webhook-address.js';

/** Hosts for which the test-only `allowLoopbackHttpWebhooks` permits plain http (as URL normalises them). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The host exactly as written in the URL text (lower case), before URL normalised it. */
function writtenHost(url: string): string {
  const authority = url.slice(url.indexOf('//') + 2).split(/[/?#\\]/, 1)[0] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.lastIndexOf(':');
  return (end > 0 ? host.slice(0, end) : host).toLowerCase();
}

export function webhookOk(url: unknown, allowLoopbackHttp = false): boolean {
  if (url === null) return true;
  if (typeof url !== 'string' || url.length > 2000) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username !== '' || u.password !== '' || u.hash !== '') return false;
  const loopbackHost = allowLoopbackHttp && LOOPBACK_HOSTS.has(u.hostname);
  if (u.protocol !== 'https:' && !(loopbackHost && u.protocol === 'http:')) return false;
  if (loopbackHost) return writtenHost(url) === u.hostname;
  const host = u.hostname;
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(literal) !== 0) {
    // `2130706433`, `0x7f.1`, `017700000001` and `127.1` all become 127.0.0.1 in URL: a
    // numeric host written any other way than its canonical form is refused outright.
    return writtenHost(url) === host && webhookAddressAllowed(literal);
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (!name.includes('.') || name === 'localhost' || name.endsWith('.localhost')) return false;
  return true;
}
