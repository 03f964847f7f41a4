// How a webhook delivery reaches its receiver (docs/operations.md "Webhook addresses",
// docs/threat-model.md §5.8). Invariant: the server connects only to addresses the engine's
// webhook address rule allows — checked at connect time, on every address the host name
// resolves to (one refused address refuses the delivery), and the socket connects to the
// address that was checked (a custom `lookup` hands it to the connection), so a DNS answer
// that changes between a check and the connection (rebinding) cannot reach inside the
// network. An IP-literal host is checked directly (no lookup happens for it). Redirects are
// not followed.

import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { webhookAddressAllowed } from '@sluis/engine';
import { ServerError } from '../errors.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** A host name → every address it resolves to (injected in tests). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  readonly signal: AbortSignal;
}

/** POSTs the body and answers the receiver's HTTP status; rejects when there is no answer. */
export type WebhookTransport = (url: string, request: WebhookRequest) => Promise<number>;

export interface GuardedTransportOptions {
  /** The test-only `allowLoopbackHttpWebhooks`: loopback addresses and plain http to them. */
  readonly allowLoopback: boolean;
  readonly resolve?: Resolver;
}

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const refused = () => new ServerError('webhook_address_refused');

export function guardedTransport(options: GuardedTransportOptions): WebhookTransport {
  const resolve = options.resolve ?? systemResolver;
  const allowed = (address: string) => webhookAddressAllowed(address, options.allowLoopback);
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const usable = addresses.filter(
          (a) =>
            lookupOptions.family === undefined ||
            lookupOptions.family === 0 ||
            a.family === lookupOptions.family,
        );
        if (addresses.length === 0 || !addresses.every((a) => allowed(a.address)) || usable.length === 0) {
          callback(refused(), '', 0);
        } else if (lookupOptions.all === true) {
          callback(
            null,
            usable.map((a) => ({ address: a.address, family: a.family })),
          );
        } else {
          callback(null, usable[0]!.address, usable[0]!.family);
        }
      },
      (e: NodeJS.ErrnoException) => callback(e, '', 0),
    );
  };

  return (url, init) =>
    new Promise<number>((done, fail) => {
      const u = new URL(url);
      const literal = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
      if (isIP(literal) !== 0 && !allowed(literal)) return fail(refused());
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && options.allowLoopback))
        return fail(refused());
      const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(
        u,
        {
          method: 'POST',
          headers: { ...init.headers, 'content-length': String(init.body.byteLength) },
          signal: init.signal,
          lookup,
          agent: false,
        },
        (res) => {
          done(res.statusCode ?? 0);
          res.destroy();
        },
      );
      req.on('error', fail);
      req.end(init.body);
    });
}

/** A transport through a fetch function (tests that point deliveries at a local receiver). */
export function fetchTransport(f: typeof fetch): WebhookTransport {
  return async (url, init) => {
    const res = await f(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body as Uint8Array<ArrayBuffer>,
      redirect: 'manual',
      signal: init.signal,
    });
    await res.body?.cancel().catch(() => undefined);
    return res.status;
  };
}
