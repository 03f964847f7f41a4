// Failed authentications are limited before they cost a verification, and the request rate
// limit is checked before the nonce is used (docs/protocol.md §5.4, docs/threat-model.md
// §5.6). Verifications are counted by the engine's own statistics
// (signatureVerifications), not guessed from timing. Per key id in-process; per client
// address on a real listening server, behind a trusted proxy's X-Forwarded-For too. Every
// limit refills on the server's clock: the test clock moves it, no test waits on the wall clock.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signRequest } from '@sluis/client-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './cli/config.js';
import { createLogger } from './ops/logger.js';
import { loadSigningKeyFile } from './ops/key-files.js';
import { startServer } from './server.js';
import { type Harness, makeHarness } from './testing/harness.js';
import { caseKey, caseSigningKey } from '../../../test/support/case-keys.js';

const open: Harness[] = [];
afterAll(async () => {
  for (const h of open) await h.close();
});
async function harness(options: Parameters<typeof makeHarness>[0]) {
  const h = await makeHarness(options);
  open.push(h);
  return h;
}
const verifications = (h: Harness) => h.engine.metrics().signatureVerifications;

describe('failed authentications per key id', () => {
  it('N bad signatures under a registered key id: 401 while the burst lasts, then 429 with no verification at all', async () => {
    const h = await harness({ authFailureLimit: { perMinute: 1, burst: 5 } });
    const A = await h.admit('Jeugdzorg');
    const B = await h.admit('Wijkteam', { type: 'social_services' });
    // A's key id, a signature over another path: signature_invalid after a verification.
    const forged = () => h.call(A.key, 'GET', '/v1/whoami', { signedPath: '/v1/signals' });
    const v0 = verifications(h);
    for (let i = 0; i < 5; i++) expect((await forged()).status).toBe(401);
    expect(verifications(h)).toBe(v0 + 5);
    for (let i = 0; i < 50; i++) {
      const r = await forged();
      expect(r.status).toBe(429);
      expect(((await r.json()) as { code: string }).code).toBe('rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(verifications(h)).toBe(v0 + 5);
    // The price (documented): the key's own valid requests wait too; other keys do not.
    expect((await h.call(A.key, 'GET', '/v1/whoami')).status).toBe(429);
    expect(verifications(h)).toBe(v0 + 5);
    expect((await h.call(B.key, 'GET', '/v1/whoami')).status).toBe(200);
  });

  it('refused requests never take a token of the request rate limit (nobody drains it by claiming a key id)', async () => {
    const h = await harness({
      rateLimitPerSecond: 0.001,
      rateLimitBurst: 1,
      authFailureLimit: { perMinute: 0, burst: 1 },
    });
    const A = await h.admit('Jeugdzorg');
    for (let i = 0; i < 20; i++)
      expect((await h.call(A.key, 'GET', '/v1/whoami', { signedPath: '/x' })).status).toBe(401);
    // The one token of A's bucket is still there: only verified requests take one.
    expect((await h.call(A.key, 'GET', '/v1/whoami')).status).toBe(200);
    expect((await h.call(A.key, 'GET', '/v1/whoami')).status).toBe(429);
  });
});

describe('request rate limit before the nonce', () => {
  it('a request refused with 429 has not used its nonce: sent again unchanged once allowed, it passes (once)', async () => {
    // A token a minute: the harness clock is wall time too, and a token every 250 ms came back
    // whenever a loaded machine took that long between the two requests below.
    const h = await harness({ rateLimitPerSecond: 1 / 60, rateLimitBurst: 1 });
    const A = await h.admit('Jeugdzorg');
    expect((await h.call(A.key, 'GET', '/v1/whoami')).status).toBe(200);
    const same = { nonce: 'nonce-of-the-limited-request-01', created: Math.floor(h.clock.now() / 1000) };
    const limited = await h.call(A.key, 'GET', '/v1/whoami', same);
    expect(limited.status).toBe(429);
    // Each minute on the test clock gives one token back (the request stays inside the ±300 s window).
    h.clock.advance(60_000);
    expect((await h.call(A.key, 'GET', '/v1/whoami', same)).status).toBe(200);
    h.clock.advance(60_000);
    const replay = await h.call(A.key, 'GET', '/v1/whoami', same);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe('nonce_reused');
  });
});

describe("the server's clock", () => {
  it('the request rate limit and both failed-authentication limits refill as the server’s clock moves, not before', async () => {
    const h = await harness({
      rateLimitPerSecond: 1 / 60,
      rateLimitBurst: 2,
      authFailureLimit: { perMinute: 1, burst: 1 },
    });
    const A = await h.admit('Jeugdzorg');
    const B = await h.admit('Wijkteam', { type: 'social_services' });
    const whoami = () => h.call(A.key, 'GET', '/v1/whoami');
    // B's key id, a signature over another path; a key nobody registered, from one address.
    const forged = () => h.call(B.key, 'GET', '/v1/whoami', { signedPath: '/v1/signals' });
    const stranger = caseSigningKey();
    const fromAddress = () => h.call(stranger, 'GET', '/v1/whoami', { clientAddress: '198.51.100.9' });
    const statuses = async () => [
      (await whoami()).status,
      (await forged()).status,
      (await fromAddress()).status,
    ];
    expect((await whoami()).status).toBe(200);
    expect(await statuses()).toEqual([200, 401, 401]);
    expect(await statuses()).toEqual([429, 429, 429]);
    // A minute on the test clock (no wall-clock wait): one token more in each bucket.
    h.clock.advance(60_000);
    expect(await statuses()).toEqual([200, 401, 401]);
    expect(await statuses()).toEqual([429, 429, 429]);
  });
});

describe('failed authentications per client address (real server)', () => {
  it('limits by the peer address, or by X-Forwarded-For from a trusted proxy only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-auth-limit-'));
    const server = await startServer({
      config: loadConfig({
        flags: {
          'data-dir': dir,
          port: '0',
          'retention-interval': '0',
          'auth-failure-burst': '3',
          'auth-failures-per-minute': '6',
          'trusted-proxy': ['127.0.0.1'],
        },
        env: {},
        cwd: dir,
      }),
      logger: createLogger({ write: () => {} }),
    });
    try {
      const admin = caseKey(loadSigningKeyFile(server.keys.adminKeyFile));
      // signed: the admin key's signature; 'unknown': a key nobody registered (key_unknown, a
      // failed authentication without a verification); false: no signature at all.
      const stranger = caseSigningKey();
      const get = (forwardedFor?: string, signed: boolean | 'unknown' = 'unknown') => {
        const headers: Record<string, string> =
          forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
        if (signed !== false) {
          const key = signed === 'unknown' ? stranger : admin;
          const target = { method: 'GET', path: '/v1/admin/statistics', query: '' };
          Object.assign(headers, signRequest(key, target, new Uint8Array(0)));
        }
        return fetch(`${server.url}/v1/admin/statistics`, { headers }).then(async (r) => {
          await r.body?.cancel();
          return r.status;
        });
      };
      const v0 = server.engine.metrics().signatureVerifications;
      // Unsigned requests, as any page of another site can make a browser send without a
      // preflight: refused, and they spend nothing (docs/protocol.md §5.4).
      for (let i = 0; i < 10; i++) expect(await get('198.51.100.7', false)).toBe(401);
      expect(await get('198.51.100.7', true)).toBe(200);
      expect(server.engine.metrics().signatureVerifications).toBe(v0 + 1);
      // Client 198.51.100.7 behind the proxy: three failed authentications, then refused unverified.
      for (let i = 0; i < 3; i++) expect(await get('203.0.113.50, 198.51.100.7')).toBe(401);
      expect(await get('198.51.100.7')).toBe(429);
      expect(await get('198.51.100.7', true)).toBe(429);
      expect(server.engine.metrics().signatureVerifications).toBe(v0 + 1);
      // Another client behind the same proxy, the proxy itself (never taken for a client:
      // that would limit everyone behind it), and an IPv6 client are not.
      expect(await get('198.51.100.8')).toBe(401);
      expect(await get(undefined, true)).toBe(200);
      expect(await get('2001:db8:1:2::1', true)).toBe(200);
      expect(server.engine.metrics().signatureVerifications).toBe(v0 + 3);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
