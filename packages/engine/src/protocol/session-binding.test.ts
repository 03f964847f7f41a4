// The server side of passkey sign-in held to the shared vectors (test/vectors/
// session-binding.json, written by the independent generator): the enrolment code's
// verifier hash and parsing (§10.1), the session-binding challenge (§10.3), and a request
// signed with a session key verifying under the §5 profile with keyid = the session id; the
// step-up challenge and the action text of every act of §10.6.

import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import type { StepUpAction } from '../api.js';
import { parseEnrolmentCode } from '../domain/enrolment-codes.js';
import { checkedAction, stepUpActionText } from '../domain/step-up.js';
import { ENROLMENT_CODE_LABEL, SESSION_BINDING_LABEL, STEP_UP_LABEL } from './labels.js';
import {
  PublicKeyVerifier,
  contentDigest,
  parseRequestSignature,
  requestSignatureBase,
} from './request-signature.js';
import {
  enrolmentVerifierHash,
  isSessionKeyId,
  sessionChallenge,
  stepUpChallenge,
} from './session-binding.js';

const v = vectors.sessionBinding();

describe('session-binding vectors (server)', () => {
  it('labels are the vectors’ labels', () => {
    expect(ENROLMENT_CODE_LABEL).toBe(v.enrolmentCodeLabel);
    expect(SESSION_BINDING_LABEL).toBe(v.sessionBindingLabel);
    expect(STEP_UP_LABEL).toBe(v.stepUpLabel);
  });

  it('§10.6: every act has the action text of the vectors, and the challenge commits to nonce, session and action', () => {
    const kinds = new Set(v.stepUps.map((s) => s.action.kind));
    expect([...kinds].sort()).toEqual(
      [
        'admin_key_add',
        'device_add',
        'device_remove',
        'enrolment_code',
        'epoch_register',
        'organisation_admit',
        'organisation_key_add',
      ].sort(),
    );
    for (const s of v.stepUps) {
      // What the options route accepts is what the act is checked against (device-add has its own route).
      const action = s.action.kind === 'device_add' ? (s.action as StepUpAction) : checkedAction(s.action);
      expect(action).toEqual(s.action);
      expect(stepUpActionText(action)).toBe(s.actionText);
      const nonce = Buffer.from(s.nonceHex, 'hex');
      expect(nonce.toString('base64url')).toBe(s.challengeId);
      expect(stepUpChallenge(nonce, s.sessionId, s.actionText).toString('base64url')).toBe(s.challenge);
    }
    expect(new Set(v.stepUps.map((s) => s.actionText)).size).toBe(v.stepUps.length - 1);
    expect(new Set(v.stepUps.map((s) => s.challenge)).size).toBe(v.stepUps.length);
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
