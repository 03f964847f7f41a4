// Failed authentications and the client's address: the engine's protocol module, which the
// pseudonym service uses too (packages/engine/src/protocol/auth-failure-limit.ts).

export {
  AuthFailureLimiter,
  DEFAULT_AUTH_FAILURE_LIMIT,
  clientAddress,
  isProxyEntry,
  isTrustedPeer,
  trustedProxyList,
  type AuthFailureLimitOptions,
} from '@sluis/engine/protocol';
