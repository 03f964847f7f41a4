// What a request is refused for before it may spend any budget, from its method and headers
// alone: no body read, no verification (app.ts runs this first, then the budgets). A page of
// another site can make a browser send a request without a CORS preflight only with a
// "simple" content type and no signature headers (neither is safelisted), so such a request
// must cost nothing:
// - a passkey ceremony (a public route with a body) needs a JSON content type before its
//   budget per route and address is taken (docs/protocol.md §10.5);
// - a signed route needs a JSON content type when its method has a body, and then its
//   signature headers: an unsigned request costs no verification, reads no body and never
//   spends the address's failed authentications — else any page open at an office would
//   lock the office's address out (docs/protocol.md §5.4).

import { ServerError } from '../errors.js';
import { isJsonContentType } from './raw-body.js';
import type { AnyRoute } from './route.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Throws `unsupported_media_type` or `auth_missing`; returns when the budgets may be taken. */
export function refuseBeforeBudget(
  route: AnyRoute,
  method: string,
  header: (name: string) => string | undefined,
): void {
  const signed = route.role !== 'public';
  const hasBody = signed ? BODY_METHODS.has(method) : route.body !== undefined;
  if (hasBody && !isJsonContentType(header('content-type') ?? null)) {
    throw new ServerError('unsupported_media_type');
  }
  if (signed && (header('signature-input') === undefined || header('signature') === undefined)) {
    throw new ServerError('auth_missing');
  }
}
