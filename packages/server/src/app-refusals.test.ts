// Every refusal path through the real app: each authentication code, the role split
// between organisation and admin keys, and validation (unknown fields, size, content
// type, malformed JSON, invalid UTF-8) — always problem+json, never echoing input.

import type { SigningKey } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSN_A, type Harness, makeHarness } from './testing/harness.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

let h: Harness;
let A: { id: string; key: SigningKey };

beforeAll(async () => {
  h = await makeHarness();
  A = await h.admit('Jeugdzorg Rijnmond');
});
afterAll(async () => h.close());

async function expectProblem(r: Response, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toBe('application/problem+json');
  const b = (await r.json()) as Record<string, unknown>;
  expect(b).toMatchObject({ type: `urn:sluis:problem:${code}`, status, code });
  expect(typeof b.title).toBe('string');
  expect(b.correlationId).toBe(r.headers.get('x-correlation-id'));
  expect(JSON.stringify(b)).not.toMatch(/stack|at Object|\.ts:/);
  return b;
}

describe('authentication refusals', () => {
  it('unsigned → 401 auth_missing', async () => {
    await expectProblem(await h.call(undefined, 'GET', '/v1/whoami'), 401, 'auth_missing');
  });
  it('malformed signature headers → 401 auth_malformed', async () => {
    await expectProblem(
      await h.call(A.key, 'GET', '/v1/whoami', { override: { signature: 'sluis=:AAAA:' } }),
      401,
      'auth_malformed',
    );
  });
  it('unknown key → 401 key_unknown', async () => {
    await expectProblem(await h.call(caseSigningKey(), 'GET', '/v1/whoami'), 401, 'key_unknown');
  });
  it('bad signature (signed another path) → 401 signature_invalid', async () => {
    await expectProblem(
      await h.call(A.key, 'GET', '/v1/whoami', { signedPath: '/v1/signals' }),
      401,
      'signature_invalid',
    );
  });
  it('body swapped under a valid signature → 401 digest_mismatch', async () => {
    const body = h.placement(BSN_A, 'J. de Vries');
    const signedOver = new TextEncoder().encode(JSON.stringify(body));
    const { signRequest } = await import('@sluis/client-sdk');
    const headers = signRequest(A.key, { method: 'POST', path: '/v1/signals', query: '' }, signedOver, {
      created: Math.floor(h.clock.now() / 1000),
    });
    const swapped = new TextEncoder().encode(JSON.stringify({ ...body, endDate: '2030-01-01' }));
    await expectProblem(
      await h.call(A.key, 'POST', '/v1/signals', { rawBody: swapped, override: { ...headers } }),
      401,
      'digest_mismatch',
    );
  });
  it('timestamp outside the window → 401 timestamp_out_of_window', async () => {
    const created = Math.floor(h.clock.now() / 1000) - 3600;
    await expectProblem(
      await h.call(A.key, 'GET', '/v1/whoami', { created }),
      401,
      'timestamp_out_of_window',
    );
  });
  it('replayed nonce → 401 nonce_reused', async () => {
    const nonce = 'AAAAAAAAAAAAAAAAAAAAAA';
    const created = Math.floor(h.clock.now() / 1000);
    expect((await h.call(A.key, 'GET', '/v1/whoami', { nonce, created })).status).toBe(200);
    await expectProblem(await h.call(A.key, 'GET', '/v1/whoami', { nonce, created }), 401, 'nonce_reused');
  });
  it('organisation key on an admin route → 403 forbidden', async () => {
    await expectProblem(await h.call(A.key, 'GET', '/v1/admin/organisations'), 403, 'forbidden');
  });
  it('admin key on an organisation route → 403 forbidden', async () => {
    await expectProblem(await h.call(h.admin, 'GET', '/v1/whoami'), 403, 'forbidden');
  });
  it('suspended organisation → 403 organisation_suspended; reinstated → 200', async () => {
    const S = await h.admit('Te schorsen');
    expect(
      (await h.call(h.admin, 'POST', `/v1/admin/organisations/${S.id}/suspend`, { body: {} })).status,
    ).toBe(200);
    await expectProblem(await h.call(S.key, 'GET', '/v1/whoami'), 403, 'organisation_suspended');
    expect(
      (await h.call(h.admin, 'POST', `/v1/admin/organisations/${S.id}/reinstate`, { body: {} })).status,
    ).toBe(200);
    expect((await h.call(S.key, 'GET', '/v1/whoami')).status).toBe(200);
  });
  it('revoked key → 401 key_revoked, on the very next request', async () => {
    const R = await h.admit('Sleutel kwijt');
    expect((await h.call(R.key, 'GET', '/v1/whoami')).status).toBe(200);
    const rv = await h.call(h.admin, 'POST', `/v1/admin/keys/${R.key.keyId}/revoke`, { body: {} });
    expect(rv.status).toBe(200);
    await expectProblem(await h.call(R.key, 'GET', '/v1/whoami'), 401, 'key_revoked');
  });
});

describe('validation refusals', () => {
  it('an unknown field (a "reason") is refused without echoing it', async () => {
    const secret = 'huiselijk geweld vermoed';
    const r = await h.call(A.key, 'POST', '/v1/signals', {
      body: { ...h.placement(BSN_A, 'J. de Vries'), reason: secret },
    });
    const b = await expectProblem(r, 400, 'validation_failed');
    expect(b.fields).toEqual(['body']);
    expect(JSON.stringify(b)).not.toContain(secret);
    expect(JSON.stringify(b)).not.toContain('reason');
  });
  it('an unknown nested field is reported by the path of its object', async () => {
    const p = h.placement(BSN_A, 'J. de Vries');
    const r = await h.call(A.key, 'POST', '/v1/signals', {
      body: { ...p, contact: { ...(p.contact as object), note: 'x' } },
    });
    expect((await expectProblem(r, 400, 'validation_failed')).fields).toEqual(['contact']);
  });
  it('a bad value names the field, not the value', async () => {
    const p = h.placement(BSN_A, 'J. de Vries');
    const bad = 'not-an-email-123456782';
    const r = await h.call(A.key, 'POST', '/v1/signals', {
      body: { ...p, contact: { name: 'x', role: 'y', email: bad } },
    });
    // It holds a BSN, so it is text_forbidden (docs/api.md "Text fields").
    const b = await expectProblem(r, 400, 'text_forbidden');
    expect(b.fields).toEqual(['contact.email']);
    expect(JSON.stringify(b)).not.toContain(bad);
  });
  it('oversized body → 413 (before authentication)', async () => {
    const big = new TextEncoder().encode(JSON.stringify({ pad: 'x'.repeat(70 * 1024) }));
    await expectProblem(await h.call(A.key, 'POST', '/v1/signals', { rawBody: big }), 413, 'body_too_large');
  });
  it('wrong content type → 415', async () => {
    await expectProblem(
      await h.call(A.key, 'POST', '/v1/signals', {
        body: h.placement(BSN_A, 'x'),
        contentType: 'text/plain',
      }),
      415,
      'unsupported_media_type',
    );
  });
  it('malformed JSON → 400 with the path body', async () => {
    const r = await h.call(A.key, 'POST', '/v1/signals', {
      rawBody: new TextEncoder().encode('{"requestId": 123456782'),
    });
    const b = await expectProblem(r, 400, 'validation_failed');
    expect(b.fields).toEqual(['body']);
    expect(JSON.stringify(b)).not.toContain('123456782');
  });
  it('invalid UTF-8 → 400', async () => {
    const r = await h.call(A.key, 'POST', '/v1/signals', {
      rawBody: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    await expectProblem(r, 400, 'validation_failed');
  });
  it('an unknown query parameter and a duplicated one → 400', async () => {
    await expectProblem(await h.call(A.key, 'GET', '/v1/signals?bsn=123456782'), 400, 'validation_failed');
    await expectProblem(await h.call(A.key, 'GET', '/v1/signals?limit=1&limit=2'), 400, 'validation_failed');
  });
  it('POST on a GET route → 405', async () => {
    const r = await h.call(A.key, 'POST', '/v1/whoami', { body: {} });
    await expectProblem(r, 405, 'method_not_allowed');
  });
  it('unknown route → 404 problem; wrong method → 405 with Allow', async () => {
    await expectProblem(await h.call(A.key, 'GET', '/v1/nope'), 404, 'not_found');
    const r = await h.call(A.key, 'DELETE', '/v1/signals');
    await expectProblem(r, 405, 'method_not_allowed');
    expect(r.headers.get('allow')).toBe('POST, GET');
  });
  it('HEAD on any route → 405 with Allow, before authentication: a signed HEAD of the inbox logs no reveal', async () => {
    const B = await h.admit('Wijkteam Zuid', { type: 'social_services' });
    expect((await h.call(A.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'Ans') })).status).toBe(
      201,
    );
    expect((await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'Bo') })).status).toBe(201);
    const entries = async () => (await h.engine.logbook(1, 5000)).length;
    const before = await entries();
    for (const target of ['/v1/matches', '/v1/whoami', '/healthz', '/metrics']) {
      const nonce = `head-nonce-${target.length}-0123456789`;
      const r = await h.call(A.key, 'HEAD', target, { nonce });
      expect(r.status, target).toBe(405);
      expect(r.headers.get('allow'), target).toBe('GET');
      // nothing was authenticated, so its nonce is unused: a GET under the same nonce passes
      if (target === '/v1/whoami') expect((await h.call(A.key, 'GET', target, { nonce })).status).toBe(200);
    }
    expect(await entries()).toBe(before);
    // the GET of the same inbox does log its reveal, so the count above could have moved
    expect((await h.call(A.key, 'GET', '/v1/matches')).status).toBe(200);
    expect(await entries()).toBeGreaterThan(before);
  });
  it('a malformed id in the path → 404, and percent-encoded or dot-segment paths are refused', async () => {
    await expectProblem(await h.call(A.key, 'GET', '/v1/signals/not-a-uuid'), 404, 'not_found');
    await expectProblem(await h.call(A.key, 'GET', '/v1/%77hoami'), 404, 'not_found');
  });
  it('security headers are on every response, refusals included', async () => {
    for (const r of [
      await h.call(undefined, 'GET', '/healthz'),
      await h.call(undefined, 'GET', '/v1/whoami'),
    ]) {
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('rate limit and CORS', () => {
  it('a key over its rate limit gets 429 rate_limited with Retry-After', async () => {
    const h2 = await makeHarness({ rateLimitPerSecond: 0.001 });
    try {
      const O = await h2.admit('Snel');
      expect((await h2.call(O.key, 'GET', '/v1/whoami')).status).toBe(200);
      const r = await h2.call(O.key, 'GET', '/v1/whoami');
      await expectProblem(r, 429, 'rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await h2.close();
    }
  });
  it('CORS answers only allow-listed origins', async () => {
    const h3 = await makeHarness({ corsOrigins: ['https://portal.example.nl'] });
    try {
      const ok = await h3.app.request('http://sluis.test/healthz', {
        headers: { origin: 'https://portal.example.nl' },
      });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://portal.example.nl');
      const pre = await h3.app.request('http://sluis.test/v1/signals', {
        method: 'OPTIONS',
        headers: { origin: 'https://portal.example.nl' },
      });
      expect(pre.status).toBe(204);
      // A browser may send every signed header, the on-behalf one included (protocol.md §5.6).
      expect(pre.headers.get('access-control-allow-headers')?.split(', ')).toEqual(
        expect.arrayContaining([
          'Signature',
          'Signature-Input',
          'Content-Digest',
          'Sluis-On-Behalf-Of',
          'Prefer',
        ]),
      );
      // The batch routes' minimal answer (api.md, 1.11.0): a browser may read that it was applied.
      expect(ok.headers.get('access-control-expose-headers')?.split(', ')).toContain('Preference-Applied');
      const no = await h3.app.request('http://sluis.test/healthz', {
        headers: { origin: 'https://evil.example' },
      });
      expect(no.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await h3.close();
    }
  });
});
