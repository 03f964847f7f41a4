// Passkey ceremonies in process (docs/protocol.md §10, "Bad input and abuse"): each
// refusal has its stable problem code, changes nothing (the logbook head and the person's
// devices stay as they were) and leaves no secret in the logs. Real authenticator data in
// Chromium is tested in test/e2e/sign-in-browser.test.ts; here a software authenticator
// (test/support/soft-authenticator.ts) builds the edge cases a browser will not.

import { base64url } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeServices } from './app-services.js';
import { MAX_BUCKETS } from './http/rate-limit.js';
import { createLogger } from './ops/logger.js';
import { type Admitted, type Harness, makeHarness, PORTAL_ORIGIN, RP_ID } from './testing/harness.js';
import { SoftAuthenticator } from '../../../test/support/soft-authenticator.js';
import { caseKey, caseSigningKey } from '../../../test/support/case-keys.js';

let h: Harness;
let A: Admitted;

beforeAll(async () => {
  h = await makeHarness({ signInRateLimit: { perSecond: 1 / 60, burst: 12 } });
  A = await h.admit('Jeugdzorg Rijnmond');
});
afterAll(async () => h.close());

async function professional(): Promise<string> {
  const p = await h.engine.addPerson(
    { kind: 'system' },
    { organisationId: A.id, displayName: 'Prof Testpersoon', roles: ['professional'] },
  );
  return p.id;
}

let addresses = 0;
/** Each ceremony from an address of its own: the per-person limit is what these tests meet. */
const post = (path: string, body: unknown) =>
  h.call(undefined, 'POST', path, { body, clientAddress: `2001:db8:ffff:${(++addresses).toString(16)}::1` });
const codeOf = async (r: Response) => ((await r.json()) as { code?: string }).code;

async function options(key = caseSigningKey()) {
  const r = await post('/v1/sessions/options', { sessionPublicKey: base64url.encode(key.publicKey) });
  expect(r.status).toBe(200);
  return (await r.json()) as { challengeId: string; options: { challenge: string; rpId: string } };
}

/** An assertion refused with `code`: nothing in the logbook, the device's counter unmoved. */
async function expectRefused(body: unknown, code: string, status = 401) {
  const before = await h.engine.verifyLogbook();
  const r = await post('/v1/sessions', body);
  expect(r.status).toBe(status);
  expect(await codeOf(r)).toBe(code);
  expect((await h.engine.verifyLogbook()).headHash).toBe(before.headHash);
}

describe('passkey ceremonies: refusals', () => {
  it('sign-in options commit to the session key and ask for user verification, no credential list', async () => {
    const key = caseSigningKey();
    const o = await options(key);
    expect(o.options.rpId).toBe(RP_ID);
    expect(o.options).toMatchObject({ userVerification: 'required', allowCredentials: [] });
    const { sessionChallenge } = await import('@sluis/engine');
    const expected = sessionChallenge(base64url.decode(o.challengeId)!, key.publicKey);
    expect(o.options.challenge).toBe(Buffer.from(expected).toString('base64url'));
  });

  it('a session key that is not a valid Ed25519 point is refused', async () => {
    const r = await post('/v1/sessions/options', { sessionPublicKey: base64url.encode(new Uint8Array(32)) });
    expect(r.status).toBe(400);
    expect(await codeOf(r)).toBe('validation_failed');
  });

  it('another origin, another RP id, a reused challenge and an unknown passkey are refused', async () => {
    const s = await h.signInAs(await professional());
    let o = await options();
    await expectRefused(
      {
        challengeId: o.challengeId,
        response: s.authenticator.get(o.options, { origin: 'https://phish.example' }),
      },
      'passkey_invalid',
    );
    // The challenge was used by that attempt: a good answer to it is refused too.
    await expectRefused(
      { challengeId: o.challengeId, response: s.authenticator.get(o.options) },
      'challenge_invalid',
      400,
    );

    const elsewhere = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, 'other.example'));
    elsewhere.create({ challenge: 'AAAA' });
    o = await options();
    await expectRefused(
      { challengeId: o.challengeId, response: elsewhere.get(o.options) },
      'passkey_invalid',
    );

    // An authenticator for the right RP id whose credential was never registered.
    const stranger = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, RP_ID));
    stranger.create({ challenge: 'AAAA' });
    o = await options();
    await expectRefused({ challengeId: o.challengeId, response: stranger.get(o.options) }, 'passkey_invalid');
  });

  it('a counter that does not move forward is refused (a cloned authenticator)', async () => {
    const s = await h.signInAs(await professional());
    const o = await options();
    await expectRefused(
      { challengeId: o.challengeId, response: s.authenticator.get(o.options, { counter: 1 }) },
      'passkey_counter_invalid',
    );
    const again = await options();
    const ok = await post('/v1/sessions', {
      challengeId: again.challengeId,
      response: s.authenticator.get(again.options, { counter: 50 }),
    });
    expect(ok.status).toBe(201);
  });

  it('a registration for another origin is refused and leaves the code unused', async () => {
    const personId = await professional();
    const { code } = await h.engine.issueEnrolmentCode({ kind: 'system' }, personId);
    const bad = caseKey(new SoftAuthenticator('https://phish.example', RP_ID));
    const creation = (await (await post('/v1/enrolment/options', { code })).json()) as {
      options: { challenge: string };
    };
    const r = await post('/v1/enrolment', {
      code,
      deviceName: 'Laptop',
      response: bad.create(creation.options),
    });
    expect(r.status).toBe(401);
    expect(await codeOf(r)).toBe('passkey_invalid');
    expect(await h.engine.listDevices({ kind: 'system' }, personId)).toEqual([]);
    // The code still works.
    const good = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, RP_ID));
    const c2 = (await (await post('/v1/enrolment/options', { code })).json()) as {
      options: { challenge: string };
    };
    expect(
      (await post('/v1/enrolment', { code, deviceName: 'Laptop', response: good.create(c2.options) })).status,
    ).toBe(201);
  });

  it('malformed and unknown codes are one refusal; no code reaches a log line', async () => {
    for (const code of ['', 'not a code', 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01', '0'.repeat(64)]) {
      const r = await post('/v1/enrolment/options', { code });
      expect(r.status, code).toBe(400);
      expect(['enrolment_code_invalid', 'validation_failed']).toContain(await codeOf(r));
    }
    const personId = await professional();
    const { code } = await h.engine.issueEnrolmentCode({ kind: 'system' }, personId);
    await post('/v1/enrolment/options', { code: `${code}x` });
    const verifier = code.replace(/-/g, '').slice(8);
    expect(h.logs.join('\n')).not.toContain(verifier);
    expect(h.logs.join('\n')).not.toContain(code);
  });

  it('ceremonies for one person are rate limited (per instance)', async () => {
    const personId = await professional();
    const { code } = await h.engine.issueEnrolmentCode({ kind: 'system' }, personId);
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await post('/v1/enrolment/options', { code })).status);
    expect(statuses.slice(0, 12)).toEqual(Array(12).fill(200));
    expect(statuses.slice(12)).toEqual([429, 429]);
  });

  it('a spray of distinct client addresses does not restore a drained person budget (docs/protocol.md §10.5)', async () => {
    // The limits as the app builds them, called as app.ts and the ceremony routes call them;
    // in process, since the spray is larger than the limiter (MAX_BUCKETS addresses). On a
    // clock of the test's own: still while the spray runs, however long it takes, and then
    // moved to show that the limiters refill on it.
    let now = h.clock.now();
    const services = routeServices(
      {
        engine: h.engine,
        clock: () => now,
        metrics: h.metrics,
        logger: createLogger({ write: () => {} }, 'error', h.clock.now),
        config: {
          corsOrigins: [],
          rateLimit: { perSecond: 0, burst: 0 },
          metricsToken: 'x',
          signInRateLimit: { perSecond: 1 / 60, burst: 2 },
        },
      },
      [],
    );
    const refused = (f: () => void) => {
      try {
        f();
        return false;
      } catch (e) {
        expect((e as { code?: string }).code).toBe('rate_limited');
        return true;
      }
    };
    const personId = await professional();
    expect(refused(() => services.signInLimit('person', personId))).toBe(false);
    expect(refused(() => services.signInLimit('person', personId))).toBe(false);
    expect(refused(() => services.signInLimit('person', personId))).toBe(true);
    let admitted = 0;
    for (let i = 0; i < MAX_BUCKETS + 1_000; i++) {
      if (
        !refused(() =>
          services.signInLimit('address', `enrolmentOptions 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`),
        )
      )
        admitted += 1;
    }
    // The person's budget is still spent; the address limiter is full (its later addresses
    // refused until one refills).
    expect(refused(() => services.signInLimit('person', personId))).toBe(true);
    expect(admitted).toBe(MAX_BUCKETS);
    expect(refused(() => services.signInLimit('address', 'enrolmentOptions 192.0.2.1'))).toBe(true);
    // One token a minute: a minute on the server's clock gives the person one more ceremony,
    // and refills every sprayed address, so the full limiter takes a new address again.
    now += 60_000;
    expect(refused(() => services.signInLimit('person', personId))).toBe(false);
    expect(refused(() => services.signInLimit('person', personId))).toBe(true);
    expect(refused(() => services.signInLimit('address', 'enrolmentOptions 192.0.2.1'))).toBe(false);
  });

  it('callers whose address is unknown share one bucket of the per-address limit', async () => {
    // A trusted proxy that sends no X-Forwarded-For: the server knows no client address.
    const h2 = await makeHarness({ signInRateLimit: { perSecond: 1 / 60, burst: 2 } });
    try {
      const optionsFrom = async (clientAddress?: string) =>
        (
          await h2.call(undefined, 'POST', '/v1/sessions/options', {
            body: { sessionPublicKey: base64url.encode(caseSigningKey().publicKey) },
            ...(clientAddress === undefined ? {} : { clientAddress }),
          })
        ).status;
      const unknown: number[] = [];
      for (let i = 0; i < 5; i++) unknown.push(await optionsFrom());
      expect(unknown).toEqual([200, 200, 429, 429, 429]);
      // A known address has a bucket of its own.
      expect(await optionsFrom('192.0.2.7')).toBe(200);
    } finally {
      await h2.close();
    }
  });

  it('an organisation cannot issue a code for, list or remove devices of another organisation’s person', async () => {
    const B = await h.admit('Wijkteam Noord', { type: 'social_services' });
    const personId = await professional();
    for (const [method, path] of [
      ['POST', `/v1/people/${personId}/enrolment-codes`],
      ['GET', `/v1/people/${personId}/devices`],
      ['DELETE', `/v1/people/${personId}/devices/00000000-0000-4000-8000-00000000abcd`],
    ] as const) {
      const r = await h.call(B.key, method, path, method === 'POST' ? { body: {} } : {});
      expect(r.status, path).toBe(404);
      expect(await codeOf(r)).toBe('not_found');
    }
  });

  it('sign-out, device removal and person removal end the session at the next request', async () => {
    const personId = await professional();
    const s = await h.signInAs(personId);
    expect((await h.sessionCall(s, 'GET', '/v1/me')).status).toBe(200);
    expect((await h.sessionCall(s, 'DELETE', '/v1/sessions/current')).status).toBe(204);
    const after = await h.sessionCall(s, 'GET', '/v1/me');
    expect(after.status).toBe(401);
    expect(await codeOf(after)).toBe('session_expired');

    const s2 = await h.signInAs(personId);
    expect((await h.call(A.key, 'DELETE', `/v1/people/${personId}/devices/${s2.deviceId}`)).status).toBe(204);
    expect(await codeOf(await h.sessionCall(s2, 'GET', '/v1/me'))).toBe('session_expired');

    const s3 = await h.signInAs(personId);
    expect((await h.call(A.key, 'POST', `/v1/people/${personId}/remove`, { body: {} })).status).toBe(200);
    expect(await codeOf(await h.sessionCall(s3, 'GET', '/v1/me'))).toBe('session_expired');
  });

  it('removing a person deletes their passkeys: the credential no longer signs in, no device or invitation is left', async () => {
    const personId = await professional();
    const s = await h.signInAs(personId);
    const { code } = await h.engine.issueEnrolmentCode({ kind: 'system' }, personId);
    const devicesOf = async () => {
      const r = await h.call(A.key, 'GET', `/v1/people/${personId}/devices`);
      expect(r.status).toBe(200);
      return ((await r.json()) as { devices: { id: string }[] }).devices.map((d) => d.id);
    };
    expect(await devicesOf()).toEqual([s.deviceId]);

    expect((await h.call(A.key, 'POST', `/v1/people/${personId}/remove`, { body: {} })).status).toBe(200);
    expect(await codeOf(await h.sessionCall(s, 'GET', '/v1/me'))).toBe('session_expired');
    expect(await devicesOf()).toEqual([]);
    // A real assertion of the removed credential: the server no longer knows the passkey.
    const o = await options();
    await expectRefused(
      { challengeId: o.challengeId, response: s.authenticator.get(o.options) },
      'passkey_invalid',
    );
    // The outstanding invitation went with the person.
    const invited = await post('/v1/enrolment/options', { code });
    expect(invited.status).toBe(400);
    expect(await codeOf(invited)).toBe('enrolment_code_invalid');
    // A repeated removal answers the same and changes nothing.
    const before = await h.engine.verifyLogbook();
    expect((await h.call(A.key, 'POST', `/v1/people/${personId}/remove`, { body: {} })).status).toBe(200);
    expect((await h.engine.verifyLogbook()).headHash).toBe(before.headHash);
  });

  it('issuing and removing a passkey is in the logbook: by whom, for whom, how (ids and codes only)', async () => {
    const personId = await professional();
    const s = await h.signInAs(personId);
    const o = await h.sessionCall(s, 'POST', '/v1/me/devices/options', { body: {} });
    expect(o.status).toBe(200);
    type Options = { challenge: string };
    const { options: creation, stepUp } = (await o.json()) as {
      options: Options;
      stepUp: { challengeId: string; options: Options };
    };
    const second = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, RP_ID));
    const added = await h.sessionCall(s, 'POST', '/v1/me/devices', {
      body: {
        deviceName: 'Tweede apparaat',
        response: second.create(creation),
        stepUp: { challengeId: stepUp.challengeId, response: s.authenticator.get(stepUp.options) },
      },
    });
    expect(added.status).toBe(201);
    const deviceId = ((await added.json()) as { device: { id: string } }).device.id;
    const r = await h.sessionCall(s, 'POST', `/v1/me/devices/${deviceId}/removal-options`, { body: {} });
    const removal = (await r.json()) as { challengeId: string; options: Options };
    const stepUpRemove = { challengeId: removal.challengeId, response: s.authenticator.get(removal.options) };
    const removed = await h.sessionCall(s, 'DELETE', `/v1/me/devices/${deviceId}`, {
      body: { stepUp: stepUpRemove },
    });
    expect(removed.status).toBe(204);

    const entries = (await h.engine.logbook(1, 5000)).filter((e) => e.refs.personId === personId);
    const acts = entries.map((e) => [
      e.action,
      e.actor.kind === 'system' ? 'system' : e.actor.personId,
      e.details,
    ]);
    expect(acts).toEqual([
      ['person.added', 'system', expect.anything()],
      ['enrolment_code.issued', 'system', {}],
      ['device.added', 'system', { via: 'enrolment_code' }],
      ['session.started', 'system', {}],
      ['device.added', personId, { via: 'session' }],
      ['device.removed', personId, {}],
    ]);
    expect(entries.filter((e) => e.action.startsWith('device.')).map((e) => e.refs.deviceId)).toEqual([
      s.deviceId,
      deviceId,
      deviceId,
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/apparaat|Tweede/);
    expect(JSON.stringify(entries)).not.toContain('Testpersoon');
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });

  it('without webauthn settings sign-in is off', async () => {
    const off = await makeHarness({ engineConfig: { webauthn: null } });
    try {
      const r = await off.call(undefined, 'POST', '/v1/sessions/options', {
        body: { sessionPublicKey: base64url.encode(caseSigningKey().publicKey) },
      });
      expect(r.status).toBe(404);
      expect(await codeOf(r)).toBe('sign_in_disabled');
    } finally {
      await off.close();
    }
  });
});
