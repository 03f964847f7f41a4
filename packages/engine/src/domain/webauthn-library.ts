// @simplewebauthn/server, and the @peculiar/* ASN.1 and X.509 parsers it brings (≈ 70 module
// files), loaded only by an engine that has sign-in configured (`webauthn`): once, when such an
// engine is created (engine.ts), so no ceremony waits for it; an engine without sign-in refuses
// every ceremony (`sign_in_disabled`, webauthnOf) before it would need it, and never loads it
// (docs/performance.md "Case 4 on a crowded machine"). A ceremony takes the module loaded,
// never a fresh import.

export type WebAuthnLibrary = typeof import('@simplewebauthn/server');

let library: Promise<WebAuthnLibrary> | undefined;

/**
 * The library: loaded on the first call, the same promise after. A failed load is not tried
 * again: it fails `createEngine` with the import's error (and the server's start with it), and
 * a later `createEngine` with sign-in fails with the same error.
 */
export function webAuthnLibrary(): Promise<WebAuthnLibrary> {
  library ??= import('@simplewebauthn/server');
  return library;
}
