// The request id a trusted reverse proxy sends (docs/operations.md "Request ids"): logged as
// `requestId` beside sluis's own correlation id and put on the request's trace span, so an
// operator can follow one request from the proxy's log into sluis's. Only a direct peer on
// the trusted-proxy list is believed (anyone else could forge ids to confuse the logs), and
// only in the shapes proxies generate — 16 to 64 hex digits (nginx `$request_id`) or a UUID — so
// a value passed through from a client can carry no free text, no BSN (nine digits alone) and
// no base64url pseudonym into a log line or a span.

import type { BlockList } from 'node:net';
import { isTrustedPeer } from '@sluis/engine/protocol';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID = /^(?:[0-9a-f]{16,64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The proxy's request id, or undefined when the peer is not trusted or the value is not a proxy's id. */
export function proxyRequestId(
  peer: string | undefined,
  header: string | undefined,
  trusted: BlockList | undefined,
): string | undefined {
  if (header === undefined || !REQUEST_ID.test(header)) return undefined;
  return isTrustedPeer(trusted, peer) ? header : undefined;
}
