// @simplewebauthn/server, and the @peculiar/* ASN.1 and X.509 parsers it brings (≈ 70 module
// files), loaded only by an engine that has sign-in configured (`webauthn`): once, when such an
// engine is created (engine.ts), so no ceremony waits for it; an engine without sign-in refuses
// every ceremony (`sign_in_disabled`, webauthnOf) before it would need it, and never loads it
// (docs/performance.md "Case 4 on a crowded machine"). A ceremony takes the module loaded,
// never a fresh import.

export type WebAuthnLibrary = typeof import('@simplewebauthn/server');

let library: Promise<WebAuthnLibrary> | undefined;

/** The library: loaded on the first call, the same module after (a failed load is tried again). */
export function webAuthnLibrary(): Promise<WebAuthnLibrary> {
  library ??= import('@simplewebauthn/server').catch((e: unknown) => {
    library = undefined;
    throw e;
  });
  return library;
}
