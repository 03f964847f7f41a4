// Requests that present a match-server credential (docs/protocol.md §9.7), on real HTTP and
// real files: a session key held as a non-extractable WebCrypto key gets evaluations charged
// to its organisation; every refusal — expired, wrong issuer, tampered, bound to another key,
// suspended or unknown organisation, over budget, over the credential's cap — has its
// stable code, evaluates nothing and charges nothing; the logbook counts per person.

import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import {
  OprfPseudonymiser,
  type SigningKey,
  base64url,
  canonicaliseIdentifier,
  createPseudonymServiceClient,
  isSluisError,
  sessionSigner,
  signRequest,
} from '@sluis/client-sdk';
import { type CredentialClaims, issueCredential } from '@sluis/engine/protocol';
import { describe, expect, it } from 'vitest';
import { cli, startedServices } from './testing/cli.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

const ORG_ID = '0d9b7c1e-5a4f-4e2b-9c3d-1f2e3a4b5c6d';
const OTHER_ORG_ID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const PERSON_ID = '5d0c6e2a-7b4f-4c1e-9a8d-3f2b1c0d9e8f';

const services = startedServices();

async function setup(o: { budget?: number; perCredential?: number; personAlert?: number } = {}) {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-cred-')), 'data');
  mkdirSync(dataDir, { mode: 0o700 }); // as the install makes it: init as root does not
  await cli(['init', '--data-dir', dataDir]);
  const { publicKey } = JSON.parse(
    (await cli(['add-epoch', '--epoch', '7', '--data-dir', dataDir, '--json'])).out,
  );
  const issuer = caseSigningKey();
  const strangerIssuer = caseSigningKey();
  const steps = [
    ['admit-issuer', '--name', 'Match server', '--public-key', base64url.encode(issuer.publicKey)],
    [
      'admit',
      '--name',
      'Jeugdzorg A',
      '--organisation-id',
      ORG_ID,
      ...(o.budget === undefined ? [] : ['--budget', String(o.budget)]),
    ],
  ];
  for (const args of steps) expect((await cli([...args, '--data-dir', dataDir])).err).toBe('');
  let now = Date.now();
  const clock = () => now;
  const service = await services.start(
    dataDir,
    {
      elementsPerCredential: o.perCredential ?? 100,
      personAlertPerHour: o.personAlert ?? 200,
      corsOrigins: ['https://portal.example.nl'],
    },
    clock,
  );
  // The person's session key, as a browser holds it: non-extractable.
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const sessionPublicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const sessionId = base64url.encode(crypto.getRandomValues(new Uint8Array(24))); // §10.4: 32 characters
  const claims = (over: Partial<CredentialClaims> = {}): CredentialClaims => ({
    issuerKeyId: issuer.keyId,
    credentialId: base64url.encode(crypto.getRandomValues(new Uint8Array(16))),
    organisationId: ORG_ID,
    personId: PERSON_ID,
    keyId: sessionId,
    publicKey: sessionPublicKey,
    issuedAt: Math.floor(now / 1000),
    expiresAt: Math.floor(now / 1000) + 300,
    ...over,
  });
  const credential = (over: Partial<CredentialClaims> = {}, by: SigningKey = issuer) =>
    issueCredential(claims({ issuerKeyId: by.keyId, ...over }), (b) => by.sign(b));
  return {
    dataDir,
    publicKey: publicKey as string,
    service,
    clock,
    advance: (ms: number) => (now += ms),
    signer: sessionSigner({ sessionId, privateKey: pair.privateKey }),
    credential,
    strangerIssuer,
  };
}

type Setup = Awaited<ReturnType<typeof setup>>;

const element = () => base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([4, 5, 6])).blinded);

async function evaluate(s: Setup, credential: string, elements = 1) {
  const client = createPseudonymServiceClient({
    serviceUrl: s.service.url,
    signingKey: s.signer,
    credential,
    clock: s.clock,
    retries: 0,
  });
  const p = OprfPseudonymiser.create({ epoch: 7, publicKey: s.publicKey, service: client });
  const ids = ['999900006', '999900018', '999900031']
    .slice(0, elements)
    .map((b) => canonicaliseIdentifier('bsn', b));
  try {
    return { ok: true as const, pseudonyms: await p.pseudonymiseBatch(ids) };
  } catch (e) {
    if (!isSluisError(e)) throw e;
    return { ok: false as const, code: e.details.problemCode, status: e.details.status };
  }
}

const lines = (dataDir: string) =>
  readFileSync(join(dataDir, 'logbook.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const evaluated = (dataDir: string) => lines(dataDir).filter((l) => l.event === 'evaluated');

describe('pseudonym service: credentials (§9.7)', () => {
  it('evaluates for a session key with a credential, charges its organisation, counts per person', async () => {
    const s = await setup();
    const r = await evaluate(s, s.credential(), 2);
    expect(r.ok).toBe(true);
    const [line] = evaluated(s.dataDir);
    expect(line).toMatchObject({ organisation: 'Jeugdzorg A', personId: PERSON_ID, elements: 2 });
    expect(typeof line!.credentialId).toBe('string');
    const text = readFileSync(join(s.dataDir, 'logbook.jsonl'), 'utf8');
    for (const bsn of ['999900006', '999900018']) expect(text).not.toContain(bsn);
  });

  it('refuses every bad credential with its stable code, evaluating and charging nothing', async () => {
    const s = await setup();
    const other = caseSigningKey();
    const cases: [string, string, number][] = [
      [
        s.credential({
          expiresAt: Math.floor(s.clock() / 1000) - 1,
          issuedAt: Math.floor(s.clock() / 1000) - 301,
        }),
        'credential_expired',
        401,
      ],
      [s.credential({}, s.strangerIssuer), 'credential_issuer_unknown', 401],
      [s.credential({ keyId: other.keyId, publicKey: other.publicKey }), 'credential_key_mismatch', 401],
      [s.credential({ organisationId: OTHER_ORG_ID }), 'organisation_unknown', 403],
      [s.credential({ expiresAt: Math.floor(s.clock() / 1000) + 3600 }), 'credential_invalid', 401],
      ['bm90LWEtY3JlZGVudGlhbA.' + 'A'.repeat(86), 'credential_malformed', 401],
    ];
    // A credential whose claims were changed after signing (another person).
    const good = s.credential();
    const [claims, sig] = good.split('.') as [string, string];
    const bytes = base64url.decode(claims)!;
    bytes[bytes.length - 20]! ^= 1;
    cases.push([`${base64url.encode(bytes)}.${sig}`, 'credential_invalid', 401]);
    for (const [credential, code, status] of cases) {
      expect(await evaluate(s, credential), code).toEqual({ ok: false, code, status });
    }
    expect(evaluated(s.dataDir)).toEqual([]);
    // Bound to the session key but signed by another key under the session's key id.
    const bytesBody = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: [element()] }));
    const forged = signRequest(
      caseSigningKey(),
      { method: 'POST', path: '/v1/evaluate', query: '' },
      bytesBody,
      {
        created: Math.floor(s.clock() / 1000),
        credential: good,
      },
    );
    const sessionKeyId = s.signer.keyId;
    const input = forged['signature-input'].replace(/keyid="[^"]+"/, `keyid="${sessionKeyId}"`);
    const res = await fetch(`${s.service.url}/v1/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...forged, 'signature-input': input },
      body: bytesBody,
    });
    expect(((await res.json()) as { code: string }).code).toBe('signature_invalid');
    // The credential header without its covered component.
    const plain = signRequest(
      caseSigningKey(),
      { method: 'POST', path: '/v1/evaluate', query: '' },
      bytesBody,
      {
        created: Math.floor(s.clock() / 1000),
      },
    );
    const res2 = await fetch(`${s.service.url}/v1/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...plain, 'sluis-credential': good },
      body: bytesBody,
    });
    expect(((await res2.json()) as { code: string }).code).toBe('auth_malformed');
    expect(evaluated(s.dataDir)).toEqual([]);
    // The good credential still works: nothing above used it up.
    expect((await evaluate(s, good)).ok).toBe(true);
  });

  it('answers the portal origin’s preflight (CORS), and no other origin', async () => {
    const s = await setup();
    const preflight = (origin: string) =>
      fetch(`${s.service.url}/v1/evaluate`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const ok = await preflight('https://portal.example.nl');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://portal.example.nl');
    expect(ok.headers.get('access-control-allow-headers')).toContain('sluis-credential');
    const other = await preflight('https://evil.example');
    expect(other.status).toBe(405);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('expires: the same credential is refused once its time has passed', async () => {
    const s = await setup();
    const c = s.credential();
    expect((await evaluate(s, c)).ok).toBe(true);
    s.advance(301_000);
    expect(await evaluate(s, c)).toEqual({ ok: false, code: 'credential_expired', status: 401 });
    expect(evaluated(s.dataDir)).toHaveLength(1);
  });

  it('suspension of the organisation, its budget and the credential cap bite, changing nothing', async () => {
    const s = await setup({ budget: 5, perCredential: 3, personAlert: 2 });
    const c = s.credential();
    expect((await evaluate(s, c, 3)).ok).toBe(true);
    expect(await evaluate(s, c, 1)).toEqual({ ok: false, code: 'credential_exhausted', status: 429 });
    const c2 = s.credential();
    expect((await evaluate(s, c2, 2)).ok).toBe(true);
    expect(await evaluate(s, s.credential(), 1)).toEqual({ ok: false, code: 'budget_exceeded', status: 429 });
    expect(evaluated(s.dataDir).reduce((n, l) => n + (l.elements as number), 0)).toBe(5);
    // One person asked for more than the hourly threshold: one alert, naming the person's id.
    const alerts = lines(s.dataDir).filter((l) => l.event === 'alert.person_evaluation_rate');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ personId: PERSON_ID, organisation: 'Jeugdzorg A' });
    expect((await cli(['suspend', '--name', 'Jeugdzorg A', '--data-dir', s.dataDir])).code).toBe(0);
    s.advance(24 * 3_600_000);
    expect(await evaluate(s, s.credential(), 1)).toEqual({
      ok: false,
      code: 'organisation_suspended',
      status: 403,
    });
    expect(evaluated(s.dataDir)).toHaveLength(2);
  });
});
