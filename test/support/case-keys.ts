// Keys a test makes are zeroed when the test is done, on every path (passed, failed, timed out),
// as docs/keys.md asks of every holder of a secret and STYLE.md "Errors" of code that owns a key
// buffer. Use these instead of the bare factories in tests:
//
//   caseSigningKey()            SigningKey.generate()
//   caseSigningKey(seed)        SigningKey.fromSeed(seed)
//   casePseudonymKey(bytes, e)  PseudonymKey.fromBytes(bytes, e)
//   caseKey(anything)           any other holder with destroy(): a loaded or parsed key file,
//                               ServerSecrets, a SoftAuthenticator
//
// Where it is called decides when destroy() runs:
//   - in a test, or in a beforeEach (vitest has the test then): when that test finishes
//     (onTestFinished), so after its afterEach hooks;
//   - at file level or in a describe body (collection): in an afterAll of that file or describe;
//   - in a beforeAll or afterAll (no test, collection over): it throws. vitest drops an afterAll
//     registered while the file runs without a word, so the key would silently outlive the file;
//     make the key at file level instead, or destroy it in the matching afterAll yourself.
// A key that must outlive its case (shared by the file's cases) belongs at file level. The
// end-to-end World (e2e-world.ts) zeroes its own keys at close(): the covenant key, its
// organisations' keys, and what `world.hold(key)` / `world.adminKey()` gave out in a beforeAll.
// The server harness (packages/server/src/testing/harness.ts) does the same for what it hands out.
//
// What destroy() cannot reach: a SigningKey's seed and a PseudonymKey's bytes and HMAC states are
// zeroed, but not what noble derives while it signs (the secret scalar as a bigint, immutable in
// JavaScript); a SoftAuthenticator's private keys are zeroed as bytes, but the key OpenSSL builds
// from them for each signature lives in node's native memory, out of JavaScript's reach
// (soft-authenticator.ts).

import { PseudonymKey, SigningKey } from '@sluis/client-sdk';
import { afterAll, onTestFinished, TestRunner } from 'vitest';

/** Anything that zeroes what it holds. */
export interface Destroyable {
  destroy(): void;
}

/** Registers `key.destroy()` for the end of the current test, describe or file (see the header). */
export function caseKey<K extends Destroyable>(key: K): K {
  if (TestRunner.getCurrentTest() !== undefined) {
    onTestFinished(() => key.destroy());
    return key;
  }
  // While the file is collected its task has no result yet; once it runs (beforeAll, afterAll)
  // an afterAll registered here would never run.
  if (TestRunner.getCurrentSuite().file?.result !== undefined) {
    key.destroy();
    throw new Error(
      'caseKey in a beforeAll/afterAll: make the key at file level or in the test, or destroy it in an afterAll',
    );
  }
  afterAll(() => key.destroy());
  return key;
}

/** SigningKey.generate(), or SigningKey.fromSeed(seed), destroyed as caseKey says. */
export function caseSigningKey(seed?: Uint8Array): SigningKey {
  return caseKey(seed === undefined ? SigningKey.generate() : SigningKey.fromSeed(seed));
}

/** PseudonymKey.fromBytes(keyBytes, epoch), destroyed as caseKey says. */
export function casePseudonymKey(keyBytes: Uint8Array, epoch: number): PseudonymKey {
  return caseKey(PseudonymKey.fromBytes(keyBytes, epoch));
}
