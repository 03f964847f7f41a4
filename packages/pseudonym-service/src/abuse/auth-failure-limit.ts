// Failed authentications, limited before they cost a verification — the match server's rule
// (docs/protocol.md §5.4), here for the pseudonym service (docs/operations.md "Pseudonym
// service"): a token bucket per client address (checked before the body is read) and per key
// id (checked after the key lookup, before the Ed25519 verification of the request). Each
// refused authentication (a 401) takes a token from both; while a bucket is empty the request
// is refused with `rate_limited` without being verified. One implementation for both servers:
// packages/engine/src/protocol/auth-failure-limit.ts.

export {
  AuthFailureLimiter,
  DEFAULT_AUTH_FAILURE_LIMIT,
  clientAddress,
  isProxyEntry,
  trustedProxyList,
  type AuthFailureLimitOptions,
} from '@sluis/engine/protocol';

/** A reverse proxy on this host, as the match server's default. */
export const DEFAULT_TRUSTED_PROXIES = ['127.0.0.0/8', '::1'];
