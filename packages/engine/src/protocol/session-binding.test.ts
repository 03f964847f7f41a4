// The server side of passkey sign-in held to the shared vectors (test/vectors/
// session-binding.json, written by the independent generator): the enrolment code's
// verifier hash and parsing (§10.1), the session-binding challenge (§10.3), and a request
// signed with a session key verifying under the §5 profile with keyid = the session id.

import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { parseEnrolmentCode } from '../domain/enrolment-codes.js';
import { ENROLMENT_CODE_LABEL, SESSION_BINDING_LABEL } from './labels.js';
import {
  PublicKeyVerifier,
  contentDigest,
  parseRequestSignature,
  requestSignatureBase,
} from './request-signature.js';
import { enrolmentVerifierHash, isSessionKeyId, sessionChallenge } from './session-binding.js';

const v = vectors.sessionBinding();

describe('session-binding vectors (server)', () => {
  it('labels are the vectors’ labels', () => {
    expect(ENROLMENT_CODE_LABEL).toBe(v.enrolmentCodeLabel);
    expect(SESSION_BINDING_LABEL).toBe(v.sessionBindingLabel);
  });

  it('§10.1: a code splits into selector and verifier, however it is typed, and hashes as the vectors say', () => {
    for (const c of v.enrolmentCodes) {
      expect(parseEnrolmentCode(c.code)).toEqual({ selector: c.selector, verifier: c.verifier });
      expect(parseEnrolmentCode(` ${c.code.toLowerCase().replace(/-/g, ' ')} `)).toEqual({
        selector: c.selector,
        verifier: c.verifier,
      });
      expect(enrolmentVerifierHash(c.verifier).toString('hex')).toBe(c.verifierHashHex);
    }
    expect(parseEnrolmentCode('ABCD-EFGH')).toBeUndefined();
    expect(parseEnrolmentCode('UUUU-UUUU-UUUU-UUUU-UUUU-UUUU')).toBeUndefined();
  });

  it('§10.3: the challenge commits to the nonce and the session key', () => {
    for (const b of v.bindings) {
      const challenge = sessionChallenge(
        Buffer.from(b.nonceHex, 'hex'),
        Buffer.from(b.sessionPublicKey, 'base64url'),
      );
      expect(challenge.toString('base64url')).toBe(b.challenge);
      expect(Buffer.from(b.nonceHex, 'hex').toString('base64url')).toBe(b.challengeId);
    }
    // Another key or another nonce, another challenge.
    expect(new Set(v.bindings.map((b) => b.challenge)).size).toBe(v.bindings.length);
  });

  it('§10.4: a session-signed request verifies under the §5 profile with keyid = the session id', async () => {
    const r = v.sessionRequest;
    expect(isSessionKeyId(r.keyId)).toBe(true);
    expect(r.keyId).toBe(v.session.sessionId);
    const parsed = parseRequestSignature(r.signatureInput ?? undefined, r.signature ?? undefined);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(contentDigest(Buffer.from(r.body))).toBe(r.contentDigest);
    const base = requestSignatureBase(
      { method: r.method, path: r.path, query: r.query },
      r.contentDigest,
      parsed.value,
    );
    expect(base).toBe(r.signatureBase);
    const verifier = new PublicKeyVerifier(Buffer.from(v.session.publicKey, 'base64url'));
    expect(await verifier.verifyAsync(Buffer.from(base), parsed.value.signature)).toBe(true);
  });
});
