// The failed-authentication limit of the pseudonym service, as the match server's
// (docs/protocol.md §5.4, docs/operations.md "Pseudonym service"): after 20 refused
// authentications under one key id, or from one client address (the proxy's X-Forwarded-For
// when the peer is a trusted proxy), the next request is refused `rate_limited` without being
// verified — even a correct one — and nothing is evaluated; another address is not affected.
// The buckets refill on the service's clock (one token a second), which these tests hold
// still, so a slow machine gives no token back between the failures; moving it lets one in.

import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { type SigningKey, base64url, signRequest } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { cli, startedServices } from './testing/cli.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

const services = startedServices();
/** The service's clock: the time of `setup`, moved by a test only. */
const clock = { now: 0 };

async function setup(trustedProxies?: string[]) {
  clock.now = Date.now();
  const dataDir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-fail-')), 'data');
  mkdirSync(dataDir, { mode: 0o700 }); // as the install makes it: init as root does not
  await cli(['init', '--data-dir', dataDir]);
  await cli(['add-epoch', '--epoch', '7', '--data-dir', dataDir]);
  const org = caseSigningKey();
  await cli([
    'admit',
    '--name',
    'Org A',
    `--public-key=${base64url.encode(org.publicKey)}`,
    '--data-dir',
    dataDir,
  ]);
  const service = await services.start(
    dataDir,
    { requestsPerMinute: 1000, ...(trustedProxies === undefined ? {} : { trustedProxies }) },
    () => clock.now,
  );
  return { dataDir, org, url: service.url };
}

const body = () =>
  new TextEncoder().encode(
    JSON.stringify({
      epoch: 7,
      blindedElements: [base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([1])).blinded)],
    }),
  );

/** A request signed by `key`; `signedPath` other than /v1/evaluate makes its signature invalid. */
async function post(url: string, key: SigningKey, o: { signedPath?: string; forwardedFor?: string } = {}) {
  const bytes = body();
  const headers = signRequest(
    key,
    { method: 'POST', path: o.signedPath ?? '/v1/evaluate', query: '' },
    bytes,
  );
  const res = await fetch(`${url}/v1/evaluate`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...headers,
      ...(o.forwardedFor === undefined ? {} : { 'x-forwarded-for': o.forwardedFor }),
    },
    body: bytes,
  });
  const p = res.status === 200 ? { code: 'ok' } : (JSON.parse(await res.text()) as { code: string });
  return { status: res.status, code: p.code, retryAfter: res.headers.get('retry-after') };
}

const evaluated = (dataDir: string) =>
  readFileSync(join(dataDir, 'logbook.jsonl'), 'utf8').split('"event":"evaluated"').length - 1;

describe('failed-authentication limit', () => {
  it('per key id: after 20 bad signatures even a correct request is refused unverified', async () => {
    const s = await setup();
    for (let i = 0; i < 20; i++)
      expect((await post(s.url, s.org, { signedPath: '/v1/other' })).code).toBe('signature_invalid');
    const next = await post(s.url, s.org);
    expect([next.status, next.code, next.retryAfter]).toEqual([429, 'rate_limited', '1']);
    expect(evaluated(s.dataDir)).toBe(0);
    // A second later by the service's clock one token is back: the correct request is evaluated.
    clock.now += 1000;
    expect((await post(s.url, s.org)).status).toBe(200);
    expect(evaluated(s.dataDir)).toBe(1);
  });

  it('per client address (the socket peer, with no trusted proxy): unknown keys count too', async () => {
    const s = await setup([]);
    for (let i = 0; i < 20; i++) expect((await post(s.url, caseSigningKey())).code).toBe('key_unknown');
    expect((await post(s.url, s.org)).code).toBe('rate_limited');
    expect(evaluated(s.dataDir)).toBe(0);
  });

  it('behind a trusted proxy: per forwarded address, so another client is not affected', async () => {
    const s = await setup(); // the default trusts 127.0.0.0/8, the test's own address
    for (let i = 0; i < 20; i++)
      expect((await post(s.url, caseSigningKey(), { forwardedFor: '203.0.113.7' })).code).toBe('key_unknown');
    expect((await post(s.url, s.org, { forwardedFor: '203.0.113.7' })).code).toBe('rate_limited');
    expect((await post(s.url, s.org, { forwardedFor: '198.51.100.2, 203.0.113.7' })).code).toBe(
      'rate_limited',
    );
    expect((await post(s.url, s.org, { forwardedFor: '203.0.113.8' })).status).toBe(200);
    expect(evaluated(s.dataDir)).toBe(1);
  });
});
