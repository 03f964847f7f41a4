// The request id a trusted reverse proxy sends (docs/operations.md "Request ids"): logged as
// `requestId` beside sluis's own correlation id and put on the request's trace span, so an
// operator can follow one request from the proxy's log into sluis's. Only a direct peer on
// the trusted-proxy list is believed (anyone else could forge ids to confuse the logs), and
// only a short token of letters, digits and `._:-` — never free text in a log line.

import type { BlockList } from 'node:net';
import { isTrustedPeer } from './auth-failure-limit.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The proxy's request id, or undefined when the peer is not trusted or the value is not a token. */
export function proxyRequestId(
  peer: string | undefined,
  header: string | undefined,
  trusted: BlockList | undefined,
): string | undefined {
  if (header === undefined || !REQUEST_ID.test(header)) return undefined;
  return isTrustedPeer(trusted, peer) ? header : undefined;
}
