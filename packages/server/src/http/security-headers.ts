// Headers on every response, refusals included. The API serves JSON to programs, so
// nothing may be cached, sniffed, framed or allowed to load anything (CSP 'none').
// CORS is off unless an origin is on the configured allow-list.

import { PREFERENCE_APPLIED_HEADER } from './prefer.js';

export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Cache-Control', 'no-store'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];

// Sluis-On-Behalf-Of: a browser case system acting for a person (docs/protocol.md §5.6); Prefer:
// a batch route's minimal answer (docs/api.md "POST /v1/signals/batch").
export const CORS_ALLOW_HEADERS =
  'Content-Type, Content-Digest, Signature, Signature-Input, Sluis-On-Behalf-Of, Prefer';
/**
 * On every answer to a request a person's session signed: the whole seconds the session lives on
 * without another request (its idle expiry as this request moved it, never past its absolute
 * one), so a page can warn before it ends (docs/api.md "Conventions").
 */
export const SESSION_EXPIRES_IN_HEADER = 'Sluis-Session-Expires-In';
export const CORS_EXPOSE_HEADERS = `X-Correlation-Id, Retry-After, Date, API-Version, ${SESSION_EXPIRES_IN_HEADER}, ${PREFERENCE_APPLIED_HEADER}`;

/** The allowed origin to echo, or undefined (no CORS headers at all). */
export function allowedOrigin(origin: string | undefined, allowList: readonly string[]): string | undefined {
  if (origin === undefined || allowList.length === 0) return undefined;
  return allowList.includes(origin) ? origin : undefined;
}
