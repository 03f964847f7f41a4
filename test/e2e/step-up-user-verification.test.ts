// A passkey assertion without user verification (docs/protocol.md §10.3 step 3, §10.5, §10.6
// step 3): the server asks `userVerification: "required"`, so Chromium's virtual
// authenticator set not to verify the user makes no assertion at all — the browser refuses
// client-side and nothing reaches the server. The assertion a browser never sends is made here
// by hand (a registered ES256 credential whose private key the test holds, authenticator data
// with UP set and UV clear, signed) and sent to a real server process: a sign-in and the
// step-up of an act that outlives the session (an enrolment code for a colleague, another
// passkey) are refused `401 passkey_invalid`, nothing is issued or added, and the step-up's
// challenge is spent. The same passkey with UV set then acts.

import {
  generateSessionKey,
  type RequestSigner,
  type SigningKey,
  sessionSigner,
  signRequest,
  signRequestWith,
} from '@sluis/client-sdk';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAuthenticator,
  chromiumMissing,
  launchChromium,
  openPage,
  startPageServer,
} from '../support/browser.js';
import { caseKey } from '../support/case-keys.js';
import { type Org, World } from '../support/e2e-world.js';
import { enrol, preparePage, signIn, stepUp } from '../support/sign-in-page.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read field by field
type Body = Record<string, any>;
interface Answer {
  readonly status: number;
  readonly body: Body;
}

const missing = chromiumMissing();
const w = new World();
let site: Awaited<ReturnType<typeof startPageServer>>;
let admin: SigningKey;
let org: Org;

async function send(path: string, method: string, signature: object, bytes?: Uint8Array) {
  const headers: Record<string, string> = { ...(signature as Record<string, string>) };
  if (bytes !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${w.server.url}${path}`, {
    method,
    headers,
    ...(bytes === undefined ? {} : { body: bytes as Uint8Array<ArrayBuffer> }),
  });
  return { status: res.status, body: res.status === 204 ? {} : ((await res.json()) as Body) };
}

const bytesOf = (body: unknown) =>
  body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body));

/** A request signed with a registered key (the organisation's or the admin's). */
function signed(key: SigningKey, method: string, path: string, body?: unknown): Promise<Answer> {
  const bytes = bytesOf(body);
  const q = path.indexOf('?');
  const target =
    q === -1 ? { method, path, query: '' } : { method, path: path.slice(0, q), query: path.slice(q + 1) };
  return send(
    path,
    method,
    signRequest(key, target, bytes ?? new Uint8Array(0), { created: Math.floor(w.clock() / 1000) }),
    bytes,
  );
}

/** A request signed with a session key, as the portal signs it. */
async function sessionCall(signer: RequestSigner, method: string, path: string, body?: unknown) {
  const bytes = bytesOf(body);
  const headers = await signRequestWith(signer, { method, path, query: '' }, bytes ?? new Uint8Array(0), {
    created: Math.floor(w.clock() / 1000),
  });
  return send(path, method, headers, bytes);
}

const ceremony = (path: string, body: unknown) => send(path, 'POST', {}, bytesOf(body));

async function person(roles: string[]): Promise<string> {
  const r = await signed(org.signingKey, 'POST', '/v1/people', { displayName: 'Prof Persoon', roles });
  expect(r.status).toBe(201);
  return r.body.person.id as string;
}

async function code(personId: string): Promise<string> {
  const r = await signed(org.signingKey, 'POST', `/v1/people/${personId}/enrolment-codes`, {});
  expect(r.status).toBe(201);
  return r.body.code as string;
}

/** The logbook's entries of `action` about `personId`. */
async function logged(action: string, personId: string) {
  const log = await signed(admin, 'GET', '/v1/admin/logbook?limit=500');
  return (
    log.body.items as { action: string; actor: { personId?: string }; refs: { personId?: string } }[]
  ).filter((e) => e.action === action && e.refs.personId === personId);
}

/** The enrolment codes issued for `personId` by a person's session, as the logbook records them. */
async function issuedBySession(personId: string): Promise<number> {
  return (await logged('enrolment_code.issued', personId)).filter((e) => e.actor.personId !== undefined)
    .length;
}

/** Enrols `personId` with the software authenticator's new passkey. */
async function enrolSoft(auth: SoftAuthenticator, personId: string): Promise<void> {
  const c = await code(personId);
  const o = await ceremony('/v1/enrolment/options', { code: c });
  const e = await ceremony('/v1/enrolment', {
    code: c,
    deviceName: 'Laptop',
    response: auth.create(o.body.options),
  });
  expect(e.status).toBe(201);
}

/** Signs in with the authenticator's passkey, its assertion with or without UV. */
async function signInSoft(
  auth: SoftAuthenticator,
  userVerified = true,
): Promise<{ answer: Answer; signer?: RequestSigner }> {
  const key = await generateSessionKey();
  const o = await ceremony('/v1/sessions/options', { sessionPublicKey: key.publicKey });
  expect(o.body.options.userVerification).toBe('required');
  const answer = await ceremony('/v1/sessions', {
    challengeId: o.body.challengeId,
    response: auth.get(o.body.options, { userVerified }),
  });
  return answer.status === 201
    ? { answer, signer: sessionSigner({ sessionId: answer.body.sessionId, privateKey: key.privateKey }) }
    : { answer };
}

beforeAll(async () => {
  site = await startPageServer();
  await w.start({
    args: [
      '--webauthn-rp-id',
      'localhost',
      '--webauthn-origin',
      site.origin,
      '--cors-origin',
      site.origin,
      '--sign-in-per-minute',
      '1000',
    ],
  });
  admin = await w.adminKey();
  org = await w.organisation('Huisartsenpraktijk De Linde', 'general_practice');
}, 120_000);

afterAll(async () => {
  await w.close();
  await site?.close();
});

describe.sequential('an assertion made by hand with UP set and UV clear, sent to the server process', () => {
  const auth = () => new SoftAuthenticator(site.origin, 'localhost');
  /** A coordinator's passkey of the software authenticator, and its session signed in with UV. */
  let passkey: SoftAuthenticator;
  let signer: RequestSigner;
  let coordinator: string;
  beforeAll(async () => {
    passkey = w.hold(auth());
    coordinator = await person(['organisation_coordinator']);
    await enrolSoft(passkey, coordinator);
    const accepted = await signInSoft(passkey);
    expect(accepted.answer.status).toBe(201);
    signer = accepted.signer!;
  });

  it('signs nobody in: 401 passkey_invalid, no session (§10.3 step 3)', async () => {
    const refused = await signInSoft(passkey, false);
    expect([refused.answer.status, refused.answer.body.code, refused.answer.body.sessionId]).toEqual([
      401,
      'passkey_invalid',
      undefined,
    ]);
    // The sign-in with UV of beforeAll started the only session: the refusal logged none.
    expect(await logged('session.started', coordinator)).toHaveLength(1);
  });

  it('makes no enrolment code for a colleague: passkey_invalid, no code, the challenge spent (§10.6 step 3)', async () => {
    const colleague = await person(['professional']);
    const action = { kind: 'enrolment_code', personId: colleague };
    const invite = (stepUp: unknown) =>
      sessionCall(signer, 'POST', `/v1/people/${colleague}/enrolment-codes`, { stepUp });
    const challenge = await sessionCall(signer, 'POST', '/v1/me/step-up', { action });
    expect(challenge.status).toBe(200);
    expect(challenge.body.options.userVerification).toBe('required');
    const { challengeId, options } = challenge.body;

    const refused = await invite({ challengeId, response: passkey.get(options, { userVerified: false }) });
    expect([refused.status, refused.body.code]).toEqual([401, 'passkey_invalid']);
    expect(await issuedBySession(colleague)).toBe(0);
    // The attempt took the challenge: answered again with UV, it is gone.
    const again = await invite({ challengeId, response: passkey.get(options) });
    expect([again.status, again.body.code]).toEqual([400, 'challenge_invalid']);
    expect(await issuedBySession(colleague)).toBe(0);

    // A fresh step-up with UV: the code is issued (the refusals above were the UV's).
    const fresh = await sessionCall(signer, 'POST', '/v1/me/step-up', { action });
    const issued = await invite({
      challengeId: fresh.body.challengeId,
      response: passkey.get(fresh.body.options),
    });
    expect(issued.status).toBe(201);
    expect(await issuedBySession(colleague)).toBe(1);
  });

  it('adds no passkey: the step-up without UV is passkey_invalid and the devices stay (§10.6 step 4)', async () => {
    const devices = async () =>
      ((await sessionCall(signer, 'GET', '/v1/me/devices')).body.devices as { name: string }[]).map(
        (d) => d.name,
      );
    const add = async (userVerified: boolean) => {
      const o = await sessionCall(signer, 'POST', '/v1/me/devices/options', {});
      expect(o.status).toBe(200);
      return sessionCall(signer, 'POST', '/v1/me/devices', {
        deviceName: 'Telefoon',
        response: caseKey(auth()).create(o.body.options),
        stepUp: {
          challengeId: o.body.stepUp.challengeId,
          response: passkey.get(o.body.stepUp.options, { userVerified }),
        },
      });
    };
    expect(await devices()).toEqual(['Laptop']);
    const refused = await add(false);
    expect([refused.status, refused.body.code]).toEqual([401, 'passkey_invalid']);
    expect(await devices()).toEqual(['Laptop']);
    expect((await add(true)).status).toBe(201);
    expect(await devices()).toEqual(['Laptop', 'Telefoon']);
  });
});

describe.skipIf(missing !== undefined)('in Chromium: the browser makes no assertion without UV', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => browser?.close());

  it('a virtual authenticator that does not verify the user: the step-up is refused in the page, nothing acts', async () => {
    const coordinator = await person(['organisation_coordinator']);
    const colleague = await person(['professional']);
    const { page, cdp } = await openPage(browser, site.origin);
    const authenticatorId = await addAuthenticator(cdp);
    await preparePage(page, w.server.url);
    expect((await enrol(page, await code(coordinator), 'Laptop')).status).toBe(201);
    expect((await signIn(page)).status).toBe(201);
    // Present, not verified (no PIN, no fingerprint): Chromium does not answer a challenge that
    // requires UV, so the act's request is never sent.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    const failure = await stepUp(page, { kind: 'enrolment_code', personId: colleague }).then(
      () => 'answered',
      (e: unknown) => String(e),
    );
    expect(failure).toMatch(/NotAllowedError/);
    expect(await issuedBySession(colleague)).toBe(0);
    // An authenticator that cannot verify the user at all makes no passkey here either:
    // enrolment requires UV too (§10.2).
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: false,
        automaticPresenceSimulation: true,
      },
    });
    const other = await person(['professional']);
    const enrolment = await enrol(page, await code(other), 'Zonder PIN').then(
      (a) => `${a.status}`,
      (e: unknown) => String(e),
    );
    expect(enrolment).toMatch(/NotAllowedError/);
  }, 120_000);
});
