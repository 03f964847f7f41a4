// docs/protocol.md §9.7 vectors at the verifier: the service's authenticator, at the
// vectors' clock, admits the valid request (charged to the credential's organisation,
// naming its person) and refuses each invalid one with exactly the vector's code.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CredentialRequestVector, vectors } from '../../../test/support/vectors.js';
import { AdmissionList, writeAdmissionFile } from './admission.js';
import { openDataDir } from './data-dir.js';
import { isServiceError } from './errors.js';
import { RequestAuthenticator } from './request-auth.js';

const v = vectors.oprfCredentials();

function authenticator() {
  const dataDir = openDataDir(mkdtempSync(join(tmpdir(), 'sluis-ps-vec-')), true); // mkdtemp made it (0700): run as root, init creates none
  writeAdmissionFile(dataDir, {
    organisations: [
      { name: 'Jeugdzorg A', status: 'active', publicKeys: [], organisationId: v.organisationId },
    ],
    credentialIssuers: [{ name: 'Match server', publicKey: v.issuer.publicKey }],
  });
  return new RequestAuthenticator(new AdmissionList(dataDir), () => v.now * 1000, {
    maxLifetimeSeconds: v.maxLifetimeSeconds,
  });
}

const request = (r: CredentialRequestVector) => ({
  method: r.method,
  path: r.path,
  query: r.query,
  body: Buffer.from(r.body, 'utf8'),
  contentDigest: r.contentDigest,
  signatureInput: r.signatureInput,
  signature: r.signature,
  credential: r.credential,
});

describe('credential verification (oprf-credentials.json)', () => {
  it('admits the valid request for the credential’s organisation and person', async () => {
    const caller = await authenticator().authenticate(request(v.valid));
    expect(caller.keyId).toBe(v.session.keyId);
    expect(caller.organisation.organisationId).toBe(v.organisationId);
    expect(caller.person).toMatchObject({ personId: v.claims.personId, credentialId: v.claims.credentialId });
  });

  for (const c of v.invalid) {
    it(`refuses: ${c.name} → ${c.error}`, async () => {
      let code: string | undefined;
      try {
        await authenticator().authenticate(request(c.request));
      } catch (e) {
        if (isServiceError(e)) code = e.code;
      }
      expect(code).toBe(c.error);
    });
  }
});
