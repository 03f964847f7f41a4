// Step-up for one's own passkeys (docs/protocol.md §10.6, docs/threat-model.md §5.11): a
// session alone — an unlocked laptop, script in the page — can neither register another
// passkey nor remove one; each needs a fresh assertion of one of the person's registered
// passkeys, made for that act in that session, single use and short-lived. Every refusal
// changes nothing: the logbook head, the devices and their counters stay as they were.

import { base64url, SigningKey } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admitted, type Harness, makeHarness, PORTAL_ORIGIN, RP_ID } from './testing/harness.js';
import { SoftAuthenticator } from './testing/soft-authenticator.js';

let h: Harness;
let A: Admitted;
type Session = Awaited<ReturnType<Harness['signInAs']>>;
type Options = { challenge: string };
type StepUp = { challengeId: string; options: Options };

beforeAll(async () => {
  h = await makeHarness();
  A = await h.admit('Jeugdzorg Rijnmond');
});
afterAll(async () => h.close());

async function person(roles: string[] = ['professional']): Promise<string> {
  const p = await h.engine.addPerson(
    { kind: 'system' },
    { organisationId: A.id, displayName: 'Prof Stapop', roles: roles as never },
  );
  return p.id;
}

const codeOf = async (r: Response) => ((await r.json()) as { code?: string }).code;

async function addOptions(s: Session): Promise<{ options: Options; stepUp: StepUp }> {
  const r = await h.sessionCall(s, 'POST', '/v1/me/devices/options', { body: {} });
  expect(r.status).toBe(200);
  return (await r.json()) as { options: Options; stepUp: StepUp };
}

async function removalOptions(s: Session, deviceId: string): Promise<StepUp> {
  const r = await h.sessionCall(s, 'POST', `/v1/me/devices/${deviceId}/removal-options`, { body: {} });
  expect(r.status).toBe(200);
  return (await r.json()) as StepUp;
}

const proof = (s: Session, stepUp: StepUp, o: { counter?: number } = {}) => ({
  challengeId: stepUp.challengeId,
  response: s.authenticator.get(stepUp.options, o),
});

const add = (s: Session, body: Record<string, unknown>) =>
  h.sessionCall(s, 'POST', '/v1/me/devices', { body: { deviceName: 'Telefoon', ...body } });
const remove = (s: Session, deviceId: string, body?: unknown) =>
  h.sessionCall(s, 'DELETE', `/v1/me/devices/${deviceId}`, body === undefined ? {} : { body });

async function devicesOf(personId: string): Promise<string[]> {
  return (await h.engine.listDevices({ kind: 'system' }, personId)).map((d) => d.id).sort();
}

/** A refusal with `status` and `code` that changed nothing. */
async function expectRefused(personId: string, act: () => Promise<Response>, status: number, code: string) {
  const before = await h.engine.verifyLogbook();
  const devices = await devicesOf(personId);
  const r = await act();
  expect(r.status).toBe(status);
  expect(await codeOf(r)).toBe(code);
  expect((await h.engine.verifyLogbook()).headHash).toBe(before.headHash);
  expect(await devicesOf(personId)).toEqual(devices);
  return r;
}

describe('step-up for adding and removing one’s own passkeys', () => {
  it('a stolen session alone cannot add its own passkey, remove the person’s, or sign in as them later', async () => {
    const victimId = await person();
    const s = await h.signInAs(victimId);
    const { options, stepUp } = await addOptions(s);
    const thief = new SoftAuthenticator(PORTAL_ORIGIN, RP_ID);
    const response = thief.create(options);
    // Session only: no step-up at all.
    const noStepUp = await expectRefused(victimId, () => add(s, { response }), 400, 'validation_failed');
    expect((await h.sessionCall(s, 'GET', '/v1/me')).status).toBe(200);
    expect(noStepUp.status).toBe(400);
    // A step-up answered by the thief's own (unregistered) key.
    thief.create(options); // a second key the thief holds, to answer the step-up with
    await expectRefused(
      victimId,
      () =>
        add(s, {
          response,
          stepUp: { challengeId: stepUp.challengeId, response: thief.get(stepUp.options) },
        }),
      401,
      'passkey_invalid',
    );
    // Removing the victim's passkey with the session alone.
    await expectRefused(victimId, () => remove(s, s.deviceId), 400, 'validation_failed');
    await expectRefused(victimId, () => remove(s, s.deviceId, {}), 400, 'validation_failed');
    // Long after the session's end the thief's key signs nobody in; the victim's does.
    h.clock.advance(48 * 3600_000);
    const key = SigningKey.generate();
    const so = (await (
      await h.call(undefined, 'POST', '/v1/sessions/options', {
        body: { sessionPublicKey: base64url.encode(key.publicKey) },
      })
    ).json()) as StepUp;
    const signIn = await h.call(undefined, 'POST', '/v1/sessions', {
      body: { challengeId: so.challengeId, response: thief.get(so.options, { index: 0 }) },
    });
    expect(signIn.status).toBe(401);
    expect(await codeOf(signIn)).toBe('passkey_invalid');
    expect(await devicesOf(victimId)).toEqual([s.deviceId]);
  });

  it('with a fresh step-up from a registered passkey a device is added and removed; the logbook says by whom', async () => {
    const personId = await person();
    const s = await h.signInAs(personId);
    const { options, stepUp } = await addOptions(s);
    expect((stepUp.options as { userVerification?: string }).userVerification).toBe('required');
    const second = new SoftAuthenticator(PORTAL_ORIGIN, RP_ID);
    const added = await add(s, { response: second.create(options), stepUp: proof(s, stepUp) });
    expect(added.status).toBe(201);
    const deviceId = ((await added.json()) as { device: { id: string } }).device.id;
    expect(await devicesOf(personId)).toEqual([s.deviceId, deviceId].sort());

    const removal = await removalOptions(s, deviceId);
    expect((await remove(s, deviceId, { stepUp: proof(s, removal) })).status).toBe(204);
    expect(await devicesOf(personId)).toEqual([s.deviceId]);
    // The session signed in with the other device: it goes on.
    expect((await h.sessionCall(s, 'GET', '/v1/me')).status).toBe(200);

    const acts = (await h.engine.logbook(1, 5000))
      .filter((e) => e.refs.personId === personId && e.action.startsWith('device.'))
      .map((e) => [e.action, e.actor.kind === 'system' ? 'system' : e.actor.personId, e.details]);
    expect(acts).toEqual([
      ['device.added', 'system', { via: 'enrolment_code' }],
      ['device.added', personId, { via: 'session' }],
      ['device.removed', personId, {}],
    ]);
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });

  it('the step-up may come from the passkey being removed (the session it signed in ends)', async () => {
    const personId = await person();
    const s = await h.signInAs(personId);
    expect(
      (await remove(s, s.deviceId, { stepUp: proof(s, await removalOptions(s, s.deviceId)) })).status,
    ).toBe(204);
    expect(await codeOf(await h.sessionCall(s, 'GET', '/v1/me'))).toBe('session_expired');
  });

  it('a reused, stale, other-purpose, other-device or other-session step-up is refused', async () => {
    const personId = await person();
    const s = await h.signInAs(personId);
    const second = new SoftAuthenticator(PORTAL_ORIGIN, RP_ID);

    // Reused: the first use wins, the same proof again is refused.
    const first = await addOptions(s);
    const once = proof(s, first.stepUp);
    expect((await add(s, { response: second.create(first.options), stepUp: once })).status).toBe(201);
    const again = await addOptions(s);
    await expectRefused(
      personId,
      () => add(s, { response: second.create(again.options), stepUp: once }),
      400,
      'challenge_invalid',
    );
    const [d1, d2] = (await devicesOf(personId)).filter((d) => d !== s.deviceId).concat(s.deviceId);

    // Stale: answered after the 5 minutes.
    const late = await addOptions(s);
    const lateProof = proof(s, late.stepUp);
    h.clock.advance(5 * 60_000 + 1000);
    await expectRefused(
      personId,
      () => add(s, { response: second.create(late.options), stepUp: lateProof }),
      400,
      'challenge_invalid',
    );

    // Other purpose: a removal step-up used to add, an add step-up used to remove.
    const forRemoval = await removalOptions(s, d1!);
    const addNow = await addOptions(s);
    await expectRefused(
      personId,
      () => add(s, { response: second.create(addNow.options), stepUp: proof(s, forRemoval) }),
      400,
      'challenge_invalid',
    );
    const addStepUp = (await addOptions(s)).stepUp;
    await expectRefused(
      personId,
      () => remove(s, d1!, { stepUp: proof(s, addStepUp) }),
      400,
      'challenge_invalid',
    );

    // Other device: a step-up to remove one device does not remove another.
    const forD1 = await removalOptions(s, d1!);
    await expectRefused(
      personId,
      () => remove(s, d2!, { stepUp: proof(s, forD1) }),
      400,
      'challenge_invalid',
    );

    // Other session of the same person: the challenge is bound to the session that asked.
    const other = await h.signInAs(personId);
    const otherStepUp = await removalOptions(other, other.deviceId);
    await expectRefused(
      personId,
      () => remove(s, other.deviceId, { stepUp: proof(other, otherStepUp) }),
      400,
      'challenge_invalid',
    );

    // A sign-in challenge is no step-up.
    const key = SigningKey.generate();
    const signIn = (await (
      await h.call(undefined, 'POST', '/v1/sessions/options', {
        body: { sessionPublicKey: base64url.encode(key.publicKey) },
      })
    ).json()) as StepUp;
    await expectRefused(
      personId,
      () => remove(s, d1!, { stepUp: proof(s, signIn) }),
      400,
      'challenge_invalid',
    );

    // A counter that did not move forward (a cloned authenticator).
    const cloned = await removalOptions(s, d1!);
    await expectRefused(
      personId,
      () => remove(s, d1!, { stepUp: proof(s, cloned, { counter: 1 }) }),
      401,
      'passkey_counter_invalid',
    );
    // And the device is still removable with a proper one (the authenticator's own counter
    // moved back above to build the refusal: set it past the stored one).
    expect(
      (await remove(s, d1!, { stepUp: proof(s, await removalOptions(s, d1!), { counter: 1000 }) })).status,
    ).toBe(204);
  });

  it('another person’s passkey cannot answer the step-up, nor another person’s device be named', async () => {
    const aliceId = await person();
    const bobId = await person();
    const alice = await h.signInAs(aliceId);
    const bob = await h.signInAs(bobId);
    const forAlice = await removalOptions(alice, alice.deviceId);
    await expectRefused(
      aliceId,
      () => remove(alice, alice.deviceId, { stepUp: proof(bob, forAlice) }),
      401,
      'passkey_invalid',
    );
    const r = await h.sessionCall(alice, 'POST', `/v1/me/devices/${bob.deviceId}/removal-options`, {
      body: {},
    });
    expect(r.status).toBe(404);
    expect(await codeOf(r)).toBe('not_found');
  });

  it('a coordinator’s session cannot remove its own passkey through the coordinator route', async () => {
    const coordinatorId = await person(['organisation_coordinator', 'professional']);
    const s = await h.signInAs(coordinatorId);
    await expectRefused(
      coordinatorId,
      () => h.sessionCall(s, 'DELETE', `/v1/people/${coordinatorId}/devices/${s.deviceId}`),
      403,
      'forbidden',
    );
    // A colleague's, as before.
    const colleague = await h.signInAs(await person());
    const r = await h.sessionCall(
      s,
      'DELETE',
      `/v1/people/${await colleagueOf(colleague)}/devices/${colleague.deviceId}`,
    );
    expect(r.status).toBe(204);
  });
});

async function colleagueOf(s: Session): Promise<string> {
  const me = await h.sessionCall(s, 'GET', '/v1/me');
  return ((await me.json()) as { personId: string }).personId;
}
