// Shared test fixtures: deterministic keys, valid BSNs, and a client wired to a FakeServer
// with an injected clock, random source and instant sleep (no real waiting in tests). The
// harness's keys are zeroed when the case (or describe, or file) that made it is done
// (test/support/case-keys.ts).

import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { createClient, type SluisClient } from '../client/client.js';
import { OprfPseudonymiser } from '../client/oprf-pseudonymiser.js';
import type { ClientOptions } from '../client/client-options.js';
import { SluisError } from '../errors.js';
import { base64url } from '../protocol/encoding.js';
import { PseudonymKey } from '../protocol/pseudonym.js';
import { SigningKey } from '../protocol/signing-key.js';
import { FakeServer } from './fake-server.js';
import { caseKey } from '../../../../test/support/case-keys.js';

export const SEED = new Uint8Array(32).fill(7);
export const PSEUDONYM_KEY_1 = new Uint8Array(32).fill(0x11);
export const PSEUDONYM_KEY_2 = new Uint8Array(32).fill(0x22);
/** 2026-11-22T10:00:00Z */
export const NOW = Date.UTC(2026, 10, 22, 10, 0, 0);

/** The n-th valid BSN (eleven test), 9 digits, starting at 100000000 + n·10 region. */
export function validBsn(n: number): string {
  for (let base = 10_000_000 + n * 10; ; base++) {
    const digits = String(base).padStart(8, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(digits[i]);
    const d9 = sum % 11;
    if (d9 < 10) return `${digits}${d9}`;
  }
}

export interface Harness {
  readonly server: FakeServer;
  readonly client: SluisClient;
  readonly signingKey: SigningKey;
  readonly sleeps: number[];
}

export function harness(options: Partial<ClientOptions> & { pageSize?: number } = {}): Harness {
  const signingKey = caseKey(SigningKey.fromSeed(SEED));
  let counter = 0;
  const server = new FakeServer({
    publicKey: signingKey.publicKey,
    keyId: signingKey.keyId,
    now: () => NOW,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  });
  const sleeps: number[] = [];
  const client = createClient({
    serverUrl: 'https://sluis.example.nl',
    signingKey,
    pseudonymKeys: [caseKey(PseudonymKey.fromBytes(PSEUDONYM_KEY_1, 1))],
    fetch: server.fetch,
    clock: () => NOW,
    // Deterministic but distinct bytes for request ids, nonces and jitter.
    random: (n) => {
      counter++;
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = i < 4 ? (counter >>> (8 * i)) & 0xff : (i * 7 + counter) & 0xff;
      return b;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { server, client, signingKey, sleeps };
}

export const CONTACT = { name: 'J. de Vries', role: 'jeugdconsulent', phone: '+31 10 123 4567' };
export const INFORMED = { status: 'citizen', date: '2026-11-20' } as const;

/** The public key (base64url) of the OPRF key localOprf evaluates under, as the CLI takes it. */
export function localOprfPublicKey(seedByte = 0x33): string {
  const { publicKey } = ristretto255_oprf.voprf.deriveKeyPair(
    new Uint8Array(32).fill(seedByte),
    new TextEncoder().encode('sluis test key'),
  );
  return base64url.encode(publicKey);
}

/**
 * An OPRF epoch evaluated in process (docs/protocol.md §9) under a fixed key, for tests
 * that need the OPRF path without a pseudonym service; `batches` records each batch size.
 */
export function localOprf(
  epoch: number,
  seedByte = 0x33,
): { pseudonymiser: OprfPseudonymiser; batches: number[] } {
  const { secretKey, publicKey } = ristretto255_oprf.voprf.deriveKeyPair(
    new Uint8Array(32).fill(seedByte),
    new TextEncoder().encode('sluis test key'),
  );
  const batches: number[] = [];
  const pseudonymiser = OprfPseudonymiser.create({
    epoch,
    publicKey,
    service: {
      async evaluate(_epoch, blinded) {
        batches.push(blinded.length);
        return ristretto255_oprf.voprf.blindEvaluateBatch(secretKey, publicKey, [...blinded]);
      },
    },
  });
  return { pseudonymiser, batches };
}

/** The SluisError `p` is refused with; anything else (an answer, another error) fails the test. */
export async function refusal(p: Promise<unknown>): Promise<SluisError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SluisError) return e;
    throw e;
  }
  throw new Error('expected a SluisError');
}
