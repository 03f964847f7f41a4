// A person without an organisation key reaches the pseudonym service (docs/protocol.md
// §9.7) on real processes: the match server (`sluis-server start`) issues a credential to
// the organisation key acting on behalf of its professional; the pseudonym service
// (`sluis-pseudonym-service start`), which admits the organisation by its match-server id
// only — never its key — and the match server's issuer key, evaluates for it and charges
// the organisation; the resulting OPRF pseudonym places a signal at the match server. The
// service's logbook counts per person and holds no BSN; a suspension at the service bites.
// A passkey session (docs/protocol.md §10, a software authenticator) gets a credential the
// same way, bound to its own session key: the service accepts it only signed by that key.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OprfPseudonymiser,
  type PseudonymCredential,
  type SigningKey,
  type RequestSigner,
  base64url,
  cachedCredential,
  canonicaliseIdentifier,
  challengeBindsKey,
  createClient,
  createPseudonymServiceClient,
  generateSessionKey,
  isSluisError,
  sessionSigner,
  signRequestWith,
} from '@sluis/client-sdk';
import { decodeCredential } from '@sluis/engine/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { caseKey, caseSigningKey } from '../support/case-keys.js';

/** The portal's origin for passkey sign-in (no page is served: the authenticator is software). */
const PORTAL_ORIGIN = 'http://localhost:8443';
const world = new World();
const service = new PseudonymServiceProcess(world.work);
let A: Org;
let professional = '';

/** A request to the match server signed by `key`, optionally on behalf of a person (§5.6). */
async function signedJson(key: SigningKey, method: string, path: string, body: unknown, onBehalfOf?: string) {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers = await signRequestWith(key, { method, path, query: '' }, bytes, {
    created: Math.floor(world.clock() / 1000),
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
  });
  const res = await fetch(`${world.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const issue = async (): Promise<PseudonymCredential> => {
  const r = await signedJson(A.signingKey, 'POST', '/v1/pseudonym-credentials', {}, professional);
  if (r.status !== 201) throw new Error(`credential refused: ${r.status} ${String(r.body.code)}`);
  return r.body as unknown as PseudonymCredential;
};

/** An unsigned ceremony call (docs/protocol.md §10.2–10.3). */
async function ceremony(path: string, body: unknown) {
  const res = await fetch(`${world.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the ceremony's JSON answers, read field by field
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const oprf = (credential?: () => Promise<string>, signingKey: RequestSigner = A.signingKey) =>
  service.pseudonymiser(world, 2, {
    signingKey,
    retries: 0,
    ...(credential === undefined ? {} : { credential }),
  });

beforeAll(async () => {
  await world.start({ args: ['--webauthn-rp-id', 'localhost', '--webauthn-origin', PORTAL_ORIGIN] });
  A = await world.organisation('Jeugdzorg Oost', 'youth_care');
  const person = await signedJson(A.signingKey, 'POST', '/v1/people', {
    displayName: 'Petra de Professional',
    roles: ['professional'],
  });
  professional = (person.body.person as { id: string }).id;
  await service.init(2);
  await service.admitIssuer(world.server.dataDir);
  // Admitted by its match-server id only: its own key is NOT on the service's list.
  await service.admit(A.name, A.id);
  await service.start();
  await service.registerEpoch(world, 2);
}, 120_000);

afterAll(async () => {
  await service.stop();
  await world.close();
});

const problemOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return isSluisError(e) ? e.details.problemCode : String(e);
  }
};

describe.sequential('a person reaches the pseudonym service with a match-server credential', () => {
  it('without a credential the organisation key is not admitted at the service', async () => {
    const id = canonicaliseIdentifier('bsn', world.bsn());
    expect(await problemOf(oprf().pseudonymiseBatch([id]))).toBe('key_unknown');
  });

  it('with one, the evaluation is charged to the organisation and the pseudonym places a signal', async () => {
    const bsn = world.bsn();
    const client = createClient({
      serverUrl: world.server.url,
      signingKey: A.signingKey,
      pseudonymKeys: [oprf(cachedCredential(issue, { clock: world.clock }))],
      clock: world.clock,
      retries: 0,
    });
    const placed = await client.placeSignal({
      bsn,
      contact: world.contact(),
      informed: { status: 'citizen', date: new Date(world.clock()).toISOString().slice(0, 10) },
    });
    expect(placed.signal.epochs).toEqual([2]);
    // A person without a BSN (docs/protocol.md §2.2): accepted under the OPRF epoch.
    const surname = 'van der Bergsma';
    const noBsn = await client.placeSignal({
      substitute: { surname, dateOfBirth: '2015-03-04', gender: 'V' },
      contact: world.contact(),
      informed: { status: 'citizen', date: new Date(world.clock()).toISOString().slice(0, 10) },
    });
    expect([noBsn.outcome, noBsn.signal.epochs]).toEqual(['created', [2]]);
    const lines = service.logbook
      .split('\n')
      .filter((l) => l.includes('"event":"evaluated"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ organisation: A.name, personId: professional, elements: 1 });
    // No BSN, in any common encoding, in the service's files or output.
    const everything = [
      service.logbook,
      readFileSync(join(service.dataDir, 'admission.json'), 'utf8'),
      ...service.output,
      ...world.serverOutput,
    ].join('\n');
    expect(everything).not.toContain('Bergsma');
    for (const form of [
      bsn,
      base64url.encode(new TextEncoder().encode(bsn)),
      Buffer.from(bsn).toString('hex'),
    ])
      expect(everything).not.toContain(form);
  });

  it('a credential bound to the organisation key is refused when another key signs', async () => {
    const { credential } = await issue();
    const stranger = caseSigningKey();
    const p = OprfPseudonymiser.create({
      epoch: 2,
      publicKey: service.publicKeys.get(2)!,
      service: createPseudonymServiceClient({
        serviceUrl: service.url,
        signingKey: stranger,
        credential,
        clock: world.clock,
        retries: 0,
      }),
    });
    const id = canonicaliseIdentifier('bsn', world.bsn());
    expect(await problemOf(p.pseudonymiseBatch([id]))).toBe('credential_key_mismatch');
  });

  it('a passkey session gets a credential bound to its session key, refused under any other key', async () => {
    const code = await signedJson(A.signingKey, 'POST', `/v1/people/${professional}/enrolment-codes`, {});
    expect(code.status).toBe(201);
    const authenticator = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, 'localhost'));
    const creation = await ceremony('/v1/enrolment/options', { code: code.body.code });
    const enrolled = await ceremony('/v1/enrolment', {
      code: code.body.code,
      deviceName: 'Laptop',
      response: authenticator.create(creation.body.options),
    });
    expect(enrolled.status).toBe(201);
    const key = await generateSessionKey(); // non-extractable, as the portal makes it
    const o = await ceremony('/v1/sessions/options', { sessionPublicKey: key.publicKey });
    expect(challengeBindsKey(o.body.challengeId, o.body.options.challenge, key.publicKey)).toBe(true);
    const s = await ceremony('/v1/sessions', {
      challengeId: o.body.challengeId,
      response: authenticator.get(o.body.options),
    });
    expect([s.status, s.body.personId]).toEqual([201, professional]);
    const signer = sessionSigner({ sessionId: s.body.sessionId, privateKey: key.privateKey });

    // The session asks exactly as the organisation key on behalf of the person does.
    const session = createClient({
      serverUrl: world.server.url,
      signer,
      pseudonymKeys: [],
      clock: world.clock,
    });
    const issued = await session.pseudonymCredential();
    const claims = decodeCredential(issued.credential)!.claims;
    expect(claims).toMatchObject({ organisationId: A.id, personId: professional, keyId: s.body.sessionId });
    expect(base64url.encode(claims.publicKey)).toBe(key.publicKey);

    const id = () => canonicaliseIdentifier('bsn', world.bsn());
    const credential = () => Promise.resolve(issued.credential);
    const [p] = await oprf(credential, signer).pseudonymiseBatch([id()]);
    expect(p!.epoch).toBe(2);
    // Another key under the session's id: the signature does not verify under the bound key.
    const other = await generateSessionKey();
    const impostor = sessionSigner({ sessionId: s.body.sessionId, privateKey: other.privateKey });
    expect(await problemOf(oprf(credential, impostor).pseudonymiseBatch([id()]))).toBe('signature_invalid');
    // Another session's key under its own id, and the organisation key: not the bound key id.
    const otherSession = sessionSigner({
      sessionId: base64url.encode(new Uint8Array(24)),
      privateKey: other.privateKey,
    });
    expect(await problemOf(oprf(credential, otherSession).pseudonymiseBatch([id()]))).toBe(
      'credential_key_mismatch',
    );
    expect(await problemOf(oprf(credential).pseudonymiseBatch([id()]))).toBe('credential_key_mismatch');
    const evaluated = service.logbook
      .split('\n')
      .filter((l) => l.includes('"event":"evaluated"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(evaluated.at(-1)).toMatchObject({ organisation: A.name, personId: professional, elements: 1 });
    expect(evaluated).toHaveLength(3); // two above, one here: the refusals evaluated nothing
  });

  it('the organisation key alone gets no credential; a suspension at the service bites at once', async () => {
    const alone = await signedJson(A.signingKey, 'POST', '/v1/pseudonym-credentials', {});
    expect([alone.status, alone.body.code]).toEqual([403, 'person_required']);
    await service.cli(['suspend', '--name', A.name]);
    const { credential } = await issue();
    const id = canonicaliseIdentifier('bsn', world.bsn());
    expect(await problemOf(oprf(() => Promise.resolve(credential)).pseudonymiseBatch([id]))).toBe(
      'organisation_suspended',
    );
  });
});
