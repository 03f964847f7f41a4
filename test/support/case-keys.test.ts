// The helper of case-keys.ts: each key is intact while its scope runs and zeroed once the scope is
// done — a test (passed or failed), a beforeEach's test, a describe, the file — and a beforeAll
// is refused. The checks run in a later test or an outer afterAll, so a missing registration
// leaves the seed as it was and fails them.

import type { SigningKey } from '@sluis/client-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caseKey, casePseudonymKey, caseSigningKey } from './case-keys.js';
import { SoftAuthenticator } from './soft-authenticator.js';

const SEED = new Uint8Array(32).fill(7);
const ZERO = new Uint8Array(32);
const intact = (k: SigningKey) => expect(k.exportSeed()).toEqual(SEED);
const zeroed = (k: SigningKey) => expect(k.exportSeed()).toEqual(ZERO);

// Registered before the file-level key's own afterAll, so it runs after it (afterAll runs last first).
afterAll(() => zeroed(fileKey));
const fileKey = caseSigningKey(SEED);

describe('a key made in a test', () => {
  let passed: SigningKey | undefined;
  let failed: SigningKey | undefined;
  let counted = 0;

  it('is intact while the test runs', () => {
    passed = caseSigningKey(SEED);
    intact(passed);
    intact(fileKey);
    caseKey({ destroy: () => counted++ });
    expect(counted).toBe(0);
  });

  it('is zeroed once that test passed, and destroyed once', () => {
    zeroed(passed!);
    expect(counted).toBe(1);
  });

  it.fails('is made in a test that fails', () => {
    failed = caseSigningKey(SEED);
    throw new Error('this case fails on purpose');
  });

  it('is zeroed once that test failed', () => {
    zeroed(failed!);
  });

  let pseudonymKeyDestroyed = false;
  it('generates a fresh key without a seed, and wraps PseudonymKey.fromBytes', () => {
    const generated = caseSigningKey();
    expect(generated.exportSeed()).not.toEqual(ZERO);
    const pseudonymKey = casePseudonymKey(new Uint8Array(32).fill(0x11), 3);
    expect(pseudonymKey.epoch).toBe(3);
    const destroy = pseudonymKey.destroy.bind(pseudonymKey);
    pseudonymKey.destroy = () => {
      pseudonymKeyDestroyed = true;
      destroy();
    };
  });

  it('destroys that pseudonym key once the test is done', () => {
    expect(pseudonymKeyDestroyed).toBe(true);
  });
});

describe('a key made in a beforeEach', () => {
  const made: SigningKey[] = [];
  beforeEach(() => {
    made.push(caseSigningKey(SEED));
  });

  it('is intact in its test', () => {
    intact(made[0]!);
  });

  it('is zeroed before the next test, whose own key is intact', () => {
    zeroed(made[0]!);
    intact(made[1]!);
  });
});

describe('a SoftAuthenticator', () => {
  let passkey: SoftAuthenticator | undefined;

  it('creates and signs while its case runs', () => {
    passkey = caseKey(new SoftAuthenticator('http://localhost:5173', 'localhost'));
    passkey.create({ challenge: 'AAAA' });
    expect(passkey.get({ challenge: 'AAAA' })).toHaveProperty('response.signature');
  });

  it('refuses once its case is done: its private keys are zeroed', () => {
    expect(() => passkey!.get({ challenge: 'AAAA' })).toThrow('SoftAuthenticator used after destroy()');
    expect(() => passkey!.create({ challenge: 'AAAA' })).toThrow('SoftAuthenticator used after destroy()');
  });
});

let describeKey: SigningKey | undefined;
describe('a key made in a describe body', () => {
  describeKey = caseSigningKey(SEED);
  it('is intact through the describe', () => intact(describeKey!));
  it('still in its second test', () => intact(describeKey!));
});

describe('after that describe', () => {
  it('the describe key is zeroed', () => zeroed(describeKey!));
  it('the file key is still intact', () => intact(fileKey));
});

describe('a key made in a beforeAll', () => {
  let refused: unknown;
  beforeAll(() => {
    try {
      caseSigningKey(SEED);
    } catch (e) {
      refused = e;
    }
  });

  it('is refused (an afterAll registered there would never run)', () => {
    expect(String(refused)).toContain('caseKey in a beforeAll/afterAll');
  });
});
