// The organisation is read again after the nonce is made durable (request-auth.ts, the
// service's afterNonce hook, nonce-file.ts): a suspension committed while the nonce's
// fdatasync ran refuses the request, as one committed before its checks does
// (docs/protocol.md §5.4).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, signRequest } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { type AdmittedOrganisation, AdmissionList, writeAdmissionFile } from './admission.js';
import { openDataDir } from './data-dir.js';
import { RequestAuthenticator } from './request-auth.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

describe('RequestAuthenticator', () => {
  it('refuses a request whose organisation was suspended while its nonce was written', async () => {
    const dataDir = openDataDir(mkdtempSync(join(tmpdir(), 'sluis-ps-auth-')), true); // mkdtemp made it (0700): run as root, init creates none
    const org = caseSigningKey();
    const entry: AdmittedOrganisation = {
      name: 'Org A',
      status: 'active',
      publicKeys: [base64url.encode(org.publicKey)],
    };
    writeAdmissionFile(dataDir, { organisations: [entry] });
    const auth = new RequestAuthenticator(new AdmissionList(dataDir), Date.now, { maxLifetimeSeconds: 900 });
    const request = () => {
      const body = new TextEncoder().encode('{}');
      const h = signRequest(org, { method: 'POST', path: '/v1/evaluate', query: '' }, body);
      return {
        method: 'POST',
        path: '/v1/evaluate',
        query: '',
        body,
        contentDigest: h['content-digest'],
        signatureInput: h['signature-input'],
        signature: h.signature,
      };
    };
    let written = 0;
    const caller = await auth.authenticate(request(), { afterNonce: async () => void written++ });
    expect([caller.organisation.name, written]).toEqual(['Org A', 1]);
    const suspendMeanwhile = async () =>
      writeAdmissionFile(dataDir, { organisations: [{ ...entry, status: 'suspended' }] });
    await expect(auth.authenticate(request(), { afterNonce: suspendMeanwhile })).rejects.toMatchObject({
      code: 'organisation_suspended',
    });
  });
});
