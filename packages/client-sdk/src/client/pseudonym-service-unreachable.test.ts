// A pseudonym service that does not answer at all (docs/sdk.md "Errors"): a real port on
// 127.0.0.1 with nothing listening, so the connection is refused. The SDK says which service
// was down — `pseudonym_service_unavailable`, not the match server's `network_error` — so a
// caller can say that nothing was sent; the error names no URL, element or key.

import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshPort } from '../../../../test/support/ports.js';
import { SluisError } from '../errors.js';
import { SEED } from '../testing/fixtures.js';
import { createClient } from './client.js';
import { PseudonymServiceClient } from './pseudonym-service-client.js';
import { casePseudonymKey, caseSigningKey } from '../../../../test/support/case-keys.js';

let url = '';

beforeAll(async () => {
  // A port nothing listens on and no other process draws (test/support/ports.ts): refused.
  url = `http://127.0.0.1:${await freshPort()}`;
});

async function refusal(p: Promise<unknown>): Promise<SluisError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SluisError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('a pseudonym service that cannot be reached', () => {
  it('is pseudonym_service_unavailable after the retries, naming no URL or element', async () => {
    const client = new PseudonymServiceClient({
      serviceUrl: url,
      signingKey: caseSigningKey(SEED),
      retries: 1,
      sleep: () => Promise.resolve(),
    });
    const blind = ristretto255_oprf.voprf.blind(new TextEncoder().encode('x'));
    const e = await refusal(client.evaluate(1, [blind.blinded]));
    expect(e.code).toBe('pseudonym_service_unavailable');
    expect(e.message).toBe('the pseudonym service could not be reached');
    expect(JSON.stringify({ message: e.message, details: e.details })).not.toContain('127.0.0.1');
  });

  it('while the match server out of reach stays network_error', async () => {
    const client = createClient({
      serverUrl: url,
      signingKey: caseSigningKey(SEED),
      pseudonymKeys: [casePseudonymKey(new Uint8Array(32).fill(7), 1)],
      retries: 0,
    });
    expect((await refusal(client.whoami())).code).toBe('network_error');
  });
});
