// The one rule of both citizen forms (without-bsn-offered.ts; docs/portal.md "A person without
// a BSN"): the option is offered only when every epoch the session pseudonymises under is an
// OPRF epoch, and not when the pseudonymisers cannot be had.

import { OprfPseudonymiser, type Pseudonymiser } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.js';
import type { Session } from '../api/session.js';
import { withoutBsnOffered } from './without-bsn-offered.js';
import { casePseudonymKey, caseSigningKey } from '../../../../test/support/case-keys.js';

const session = { signer: caseSigningKey() } as unknown as Session;
/** An OPRF epoch's pinned public key (a valid ristretto255 point); the service is never asked here. */
const oprf = (epoch: number) =>
  OprfPseudonymiser.create({
    epoch,
    publicKey: '4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY',
    service: { evaluate: () => Promise.reject(new Error('not asked')) },
  });
const hmac = (epoch: number) => casePseudonymKey(new Uint8Array(32).fill(epoch), epoch);
const services = (list: () => Promise<readonly Pseudonymiser[]>) => ({ pseudonymisers: list });

describe('a person without a BSN is offered', () => {
  it('only when every epoch is an OPRF epoch', async () => {
    expect(
      await withoutBsnOffered(
        services(async () => [oprf(2), oprf(3)]),
        session,
      ),
    ).toBe(true);
    expect(
      await withoutBsnOffered(
        services(async () => [hmac(1), oprf(2)]),
        session,
      ),
    ).toBe(false);
    expect(
      await withoutBsnOffered(
        services(async () => [hmac(1)]),
        session,
      ),
    ).toBe(false);
  });

  it('not when the pseudonymisers cannot be had', async () => {
    const refused = services(() => Promise.reject(new ApiError(503, 'pseudonym_service_unavailable')));
    expect(await withoutBsnOffered(refused, session)).toBe(false);
  });
});
