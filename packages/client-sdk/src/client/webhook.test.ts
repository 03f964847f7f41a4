// The client's bound webhook verifier: accepts the configured server key(s) — two during a
// server key rotation — refuses replays and unknown keys, and parses the notification.

import { describe, expect, it } from 'vitest';
import { base64url, utf8 } from '../protocol/encoding.js';
import { signWebhook } from '../protocol/http-signature.js';
import type { SigningKey } from '../protocol/signing-key.js';
import { NOW, harness } from '../testing/fixtures.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

const URL_ = 'https://zorg.example.nl/sluis-hook';
const oldKey = caseSigningKey(new Uint8Array(32).fill(1));
const newKey = caseSigningKey(new Uint8Array(32).fill(2));
const stranger = caseSigningKey(new Uint8Array(32).fill(3));

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
  it('runs its checks in the documented order (docs/protocol.md §6): the first failing one answers', () => {
    const { client } = harness({ serverPublicKeys: [newKey.publicKey] });
    const d = delivery(stranger, BODY, 'nonce-oooooooooooooooo');
    const headers = d.headers as Record<string, string>;
    const wrongBody = utf8(BODY.replace('42', '43'));
    // 1 before 2: headers missing wins over a malformed one.
    expect(client.verifyWebhook({ ...d, headers: { signature: 'x' } })).toEqual({
      ok: false,
      code: 'signature_missing',
    });
    // 2 before 3: a malformed signature wins over a wrong digest.
    expect(
      client.verifyWebhook({ ...d, headers: { ...headers, signature: 'sluis=:!:' }, body: wrongBody }),
    ).toEqual({ ok: false, code: 'signature_malformed' });
    // 3 before 4: a wrong digest wins over an unknown key.
    expect(client.verifyWebhook({ ...d, body: wrongBody })).toEqual({ ok: false, code: 'digest_mismatch' });
    // 4 before 5: an unknown key wins over an old timestamp.
    const old = signWebhook(stranger, URL_, utf8(BODY), {
      created: Math.floor(NOW / 1000) - 3600,
      nonce: 'nonce-pppppppppppppppp',
    });
    expect(client.verifyWebhook({ ...d, headers: { ...old } })).toEqual({ ok: false, code: 'key_unknown' });
    // 5 before 6: an old timestamp wins over a bad signature.
    const late = signWebhook(newKey, URL_, utf8(BODY), {
      created: Math.floor(NOW / 1000) - 3600,
      nonce: 'nonce-qqqqqqqqqqqqqqqq',
    });
    expect(client.verifyWebhook({ ...d, targetUri: 'https://other.example', headers: { ...late } })).toEqual({
      ok: false,
      code: 'timestamp_out_of_window',
    });
    // 6 before 7 before the body: a replay with a bad signature is signature_invalid; a bad body last.
    const ok = delivery(newKey, '{"type":"x"}', 'nonce-rrrrrrrrrrrrrrrr');
    expect(client.verifyWebhook(ok)).toEqual({ ok: false, code: 'body_invalid' });
    expect(client.verifyWebhook({ ...ok, targetUri: 'https://other.example' })).toEqual({
      ok: false,
      code: 'signature_invalid',
    });
    expect(client.verifyWebhook(ok)).toEqual({ ok: false, code: 'nonce_reused' });
  });

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
