// The client's bound webhook verifier: accepts the configured server key(s) — two during a
// server key rotation — refuses replays and unknown keys, and parses the notification.

import { describe, expect, it } from 'vitest';
import { base64url, utf8 } from '../protocol/encoding.js';
import { signWebhook } from '../protocol/http-signature.js';
import { SigningKey } from '../protocol/signing-key.js';
import { NOW, harness } from '../testing/fixtures.js';

const URL_ = 'https://zorg.example.nl/sluis-hook';
const oldKey = SigningKey.fromSeed(new Uint8Array(32).fill(1));
const newKey = SigningKey.fromSeed(new Uint8Array(32).fill(2));
const stranger = SigningKey.fromSeed(new Uint8Array(32).fill(3));

function delivery(key: SigningKey, body: string, nonce: string) {
  const bytes = utf8(body);
  const headers = signWebhook(key, URL_, bytes, { created: Math.floor(NOW / 1000), nonce });
  return { targetUri: URL_, headers: { ...headers }, body: bytes };
}

const BODY = JSON.stringify({
  type: 'match.created',
  matchId: '8c1f0e52-5a0b-4b8e-9d43-6f1e2a3b4c5d',
  cursor: '42',
});

describe('verifyWebhook', () => {
  it('accepts both server keys during rotation and refuses others and replays', () => {
    const { client } = harness({
      serverPublicKeys: [base64url.encode(oldKey.publicKey), newKey.publicKey],
    });
    const a = client.verifyWebhook(delivery(oldKey, BODY, 'nonce-aaaaaaaaaaaaaaaa'));
    expect(a).toEqual({
      ok: true,
      keyId: oldKey.keyId,
      notification: { type: 'match.created', matchId: '8c1f0e52-5a0b-4b8e-9d43-6f1e2a3b4c5d', cursor: '42' },
    });
    expect(client.verifyWebhook(delivery(newKey, BODY, 'nonce-bbbbbbbbbbbbbbbb')).ok).toBe(true);
    expect(client.verifyWebhook(delivery(oldKey, BODY, 'nonce-aaaaaaaaaaaaaaaa'))).toEqual({
      ok: false,
      code: 'nonce_reused',
    });
    expect(client.verifyWebhook(delivery(stranger, BODY, 'nonce-cccccccccccccccc'))).toEqual({
      ok: false,
      code: 'key_unknown',
    });
    const tampered = delivery(newKey, BODY, 'nonce-dddddddddddddddd');
    expect(client.verifyWebhook({ ...tampered, body: utf8(BODY.replace('42', '43')) })).toEqual({
      ok: false,
      code: 'digest_mismatch',
    });
    expect(client.verifyWebhook(delivery(newKey, '{"type":"x"}', 'nonce-eeeeeeeeeeeeeeee'))).toEqual({
      ok: false,
      code: 'body_invalid',
    });
    expect(
      client.verifyWebhook({
        ...delivery(newKey, BODY, 'nonce-ffffffffffffffff'),
        targetUri: 'https://evil.example',
      }),
    ).toEqual({ ok: false, code: 'signature_invalid' });
  });

  it('needs configured server keys; refuses malformed ones', () => {
    expect(() =>
      harness().client.verifyWebhook(delivery(oldKey, BODY, 'nonce-aaaaaaaaaaaaaaaa')),
    ).toThrowError(expect.objectContaining({ code: 'input_invalid' }));
    expect(() => harness({ serverPublicKeys: ['abc'] })).toThrowError(
      expect.objectContaining({ code: 'key_invalid' }),
    );
    expect(() =>
      harness({ serverPublicKeys: [oldKey.publicKey, newKey.publicKey, stranger.publicKey] }),
    ).toThrowError(expect.objectContaining({ code: 'key_invalid' }));
  });
});
