// The municipality's GDPR desk pseudonymises in the portal (docs/protocol.md §9.7,
// docs/operations.md "The GDPR desk in the portal") on real processes: the match server
// (`sluis-server start --gdpr-desk-service-organisation-id <uuid>`) issues a credential to a
// desk person's passkey session; the pseudonym service (`sluis-pseudonym-service start`),
// which admits the municipality with its admin key and that organisation id (docs/keys.md
// ceremony step 4) and the match server's issuer key, evaluates for it and charges the
// municipality: its logbook names the municipality and the desk person, and the
// municipality's budget — not the organisation's — is what the desk spends.

import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  base64url,
  canonicaliseIdentifier,
  createClient,
  generateSessionKey,
  isSluisError,
  type RequestSigner,
  type SigningKey,
  sessionSigner,
  signRequestWith,
} from '@sluis/client-sdk';
import { decodeCredential } from '@sluis/engine/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, waitOverBoundary } from '../support/clock-boundary.js';
import { type Org, World } from '../support/e2e-world.js';
import { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { caseKey } from '../support/case-keys.js';

const PORTAL_ORIGIN = 'http://localhost:8443';
/** The id the pseudonym service admits the municipality with (no organisation at the match server). */
const MUNICIPALITY_AT_SERVICE = randomUUID();
const MUNICIPALITY = 'Gemeente AVG-loket';
const world = new World();
const service = new PseudonymServiceProcess(world.work);
let A: Org;
let professional = '';
let deskPerson = '';

async function signedJson(key: SigningKey, path: string, body: unknown, onBehalfOf?: string) {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers = await signRequestWith(key, { method: 'POST', path, query: '' }, bytes, {
    created: Math.floor(world.clock() / 1000),
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
  });
  const res = await fetch(`${world.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function ceremony(path: string, body: unknown) {
  const res = await fetch(`${world.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the ceremony's JSON answers, read field by field
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const problemOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return isSluisError(e) ? e.details.problemCode : String(e);
  }
};

const evaluatedLines = () =>
  service.logbook
    .split('\n')
    .filter((l) => l.includes('"event":"evaluated"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const oprf = (credential: string, signingKey: RequestSigner) =>
  service.pseudonymiser(world, 2, {
    signingKey,
    retries: 0,
    credential: () => Promise.resolve(credential),
  });

beforeAll(async () => {
  await world.start({
    args: [
      '--webauthn-rp-id',
      'localhost',
      '--webauthn-origin',
      PORTAL_ORIGIN,
      '--gdpr-desk-service-organisation-id',
      MUNICIPALITY_AT_SERVICE,
    ],
  });
  A = await world.organisation('Jeugdzorg Oost', 'youth_care');
  const person = await signedJson(A.signingKey, '/v1/people', {
    displayName: 'Petra de Professional',
    roles: ['professional'],
  });
  professional = (person.body.person as { id: string }).id;
  await service.init(2);
  await service.admitIssuer(world.server.dataDir);
  await service.admit(A.name, A.id);
  // docs/keys.md ceremony step 4: the municipality's admin key, and the organisation id the
  // match server's --gdpr-desk-service-organisation-id names; a budget of one evaluation a day.
  const adminKey = await world.adminKey();
  await service.cli([
    'admit',
    '--name',
    MUNICIPALITY,
    `--public-key=${base64url.encode(adminKey.publicKey)}`,
    '--organisation-id',
    MUNICIPALITY_AT_SERVICE,
    '--budget',
    '1',
  ]);
  await service.start();
  await service.registerEpoch(world, 2);
  deskPerson = (
    await world.adminJson<{ person: { id: string } }>([
      'add-person',
      '--display-name',
      'Dirk van het Loket',
      '--role',
      'gdpr_desk',
    ])
  ).person.id;
}, 180_000);

afterAll(async () => {
  await service.stop();
  await world.close();
});

describe.sequential('the GDPR desk reaches the pseudonym service with a match-server credential', () => {
  it('a desk session’s credential evaluates at the service, charged to the municipality', async () => {
    const invite = await world.adminJson<{ code: string }>(['invite', '--person-id', deskPerson]);
    const authenticator = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, 'localhost'));
    const creation = await ceremony('/v1/enrolment/options', { code: invite.code });
    const enrolled = await ceremony('/v1/enrolment', {
      code: invite.code,
      deviceName: 'Loket',
      response: authenticator.create(creation.body.options),
    });
    expect(enrolled.status).toBe(201);
    const key = await generateSessionKey();
    const o = await ceremony('/v1/sessions/options', { sessionPublicKey: key.publicKey });
    const s = await ceremony('/v1/sessions', {
      challengeId: o.body.challengeId,
      response: authenticator.get(o.body.options),
    });
    expect([s.status, s.body.personId]).toEqual([201, deskPerson]);
    const signer = sessionSigner({ sessionId: s.body.sessionId, privateKey: key.privateKey });

    const session = createClient({
      serverUrl: world.server.url,
      signer,
      pseudonymKeys: [],
      clock: world.clock,
    });
    const issued = await session.pseudonymCredential();
    const claims = decodeCredential(issued.credential)!.claims;
    expect(claims).toMatchObject({
      organisationId: MUNICIPALITY_AT_SERVICE,
      personId: deskPerson,
      keyId: s.body.sessionId,
    });

    // The municipality's budget is one evaluation per UTC day on the service's wall clock: the
    // spent one and the refused one below, a second or two apart, must fall in one day (10 s of
    // room: the wait and the enrolment above fit in the 30 s case).
    await waitOverBoundary(Date.now, DAY_MS, 10_000);
    const bsn = world.bsn();
    const [p] = await oprf(issued.credential, signer).pseudonymiseBatch([canonicaliseIdentifier('bsn', bsn)]);
    expect(p!.epoch).toBe(2);
    const lines = evaluatedLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ organisation: MUNICIPALITY, personId: deskPerson, elements: 1 });
    // The name the service logs is the municipality's admission, under the configured id.
    const admission = JSON.parse(readFileSync(join(service.dataDir, 'admission.json'), 'utf8')) as {
      organisations: { name: string; organisationId?: string }[];
    };
    expect(admission.organisations.find((x) => x.name === MUNICIPALITY)?.organisationId).toBe(
      MUNICIPALITY_AT_SERVICE,
    );

    // The municipality's budget (one a day) is spent; the organisation's is untouched.
    expect(
      await problemOf(
        oprf(issued.credential, signer).pseudonymiseBatch([canonicaliseIdentifier('bsn', world.bsn())]),
      ),
    ).toBe('budget_exceeded');
    const forProfessional = await signedJson(A.signingKey, '/v1/pseudonym-credentials', {}, professional);
    expect(forProfessional.body.organisationId).toBe(A.id);
    const [q] = await oprf(String(forProfessional.body.credential), A.signingKey).pseudonymiseBatch([
      canonicaliseIdentifier('bsn', world.bsn()),
    ]);
    expect(q!.epoch).toBe(2);
    expect(evaluatedLines().at(-1)).toMatchObject({ organisation: A.name, personId: professional });

    // No BSN and no name in the service's files or either process's output.
    const everything = [service.logbook, ...service.output, ...world.serverOutput].join('\n');
    expect(everything).not.toContain(bsn);
    expect(everything).not.toContain('Dirk van het Loket');
  });
});
