// Step-up (docs/protocol.md §10.6, docs/threat-model.md §5.11): a session alone — an
// unlocked laptop, script in the page — can neither register another passkey nor remove
// one, nor make another credential that outlives it (an enrolment code for a colleague, an
// admin or organisation key, an organisation admitted with its keys, a covenant key epoch);
// each needs a fresh assertion of one of the person's registered passkeys, made for exactly
// that act in that session, single use and short-lived. Keys (the CLIs) need none. Every
// refusal changes nothing: the logbook head, the devices, keys and epochs stay as they were.

import { base64url, type SigningKey } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admitted, type Harness, makeHarness, PORTAL_ORIGIN, RP_ID } from './testing/harness.js';
import { SoftAuthenticator } from '../../../test/support/soft-authenticator.js';
import { caseKey, caseSigningKey } from '../../../test/support/case-keys.js';

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
    const thief = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, RP_ID));
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
    const key = caseSigningKey();
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
    const second = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, RP_ID));
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
    const second = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, RP_ID));

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
    const key = caseSigningKey();
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

describe('an enrolment code for oneself', () => {
  it('is refused to a coordinator’s session (it would enrol a passkey without the step-up)', async () => {
    const coordinatorId = await person(['organisation_coordinator', 'professional']);
    const s = await h.signInAs(coordinatorId);
    await expectRefused(
      coordinatorId,
      () => h.sessionCall(s, 'POST', `/v1/people/${coordinatorId}/enrolment-codes`, { body: {} }),
      403,
      'forbidden',
    );
    // Not with a step-up either.
    const forSelf = await stepUpFor(s, { kind: 'enrolment_code', personId: coordinatorId });
    await expectRefused(
      coordinatorId,
      () =>
        h.sessionCall(s, 'POST', `/v1/people/${coordinatorId}/enrolment-codes`, {
          body: { stepUp: proof(s, forSelf) },
        }),
      403,
      'forbidden',
    );
  });
});

async function stepUpFor(s: Session, action: Record<string, unknown>): Promise<StepUp> {
  const r = await h.sessionCall(s, 'POST', '/v1/me/step-up', { body: { action } });
  expect(r.status).toBe(200);
  return (await r.json()) as StepUp;
}

/** What an act that outlives a session could change: the logbook, the keys, the epochs. */
async function lasting(): Promise<string> {
  const orgs = await h.engine.listOrganisations();
  const keys = await Promise.all([null, ...orgs.map((o) => o.id)].map((id) => h.engine.listKeys(id)));
  return JSON.stringify([
    (await h.engine.verifyLogbook()).headHash,
    keys.flat().map((k) => k.keyId),
    (await h.engine.listEpochs()).map((e) => e.epoch),
  ]);
}

async function expectUnchanged(act: () => Promise<Response>, status: number, code: string) {
  const before = await lasting();
  const r = await act();
  expect(r.status).toBe(status);
  expect(await codeOf(r)).toBe(code);
  expect(await lasting()).toBe(before);
}

const newKey = () => base64url.encode(caseSigningKey().publicKey);

async function municipalityPerson(roles: string[]): Promise<string> {
  const p = await h.engine.addPerson(
    { kind: 'system' },
    { organisationId: null, displayName: 'Gemeente Beheer', roles: roles as never },
  );
  return p.id;
}

interface LastingAct {
  readonly what: string;
  readonly path: string;
  /** Where the admin key repeats the act (another organisation: one has at most two active keys). */
  readonly keyPath?: string;
  /** A fresh body of the act (another key, another epoch) and the action its step-up names. */
  readonly make: () => { body: Record<string, unknown>; action: Record<string, unknown> };
  /** The same act with another operand: its step-up must not serve `make`'s act. */
  readonly other: (action: Record<string, unknown>) => Record<string, unknown>;
}

let nextEpoch = 40;
const adminActs = (orgId: string, otherOrgId: string, personId: string, otherId: string): LastingAct[] => [
  {
    what: 'an admin key',
    path: '/v1/admin/keys',
    make: () => {
      const publicKey = newKey();
      return { body: { publicKey }, action: { kind: 'admin_key_add', publicKey } };
    },
    other: () => ({ kind: 'admin_key_add', publicKey: newKey() }),
  },
  {
    what: 'an organisation key',
    path: `/v1/admin/organisations/${orgId}/keys`,
    keyPath: `/v1/admin/organisations/${otherOrgId}/keys`,
    make: () => {
      const publicKey = newKey();
      return {
        body: { publicKey },
        action: { kind: 'organisation_key_add', organisationId: orgId, publicKey },
      };
    },
    // The same key for the admin side is another act.
    other: (a) => ({ kind: 'admin_key_add', publicKey: a.publicKey }),
  },
  {
    what: 'an organisation admitted with its key',
    path: '/v1/admin/organisations',
    make: () => {
      const publicKeys = [newKey()];
      return {
        body: { name: 'Stichting Stapop', type: 'youth_care', publicKeys },
        action: { kind: 'organisation_admit', publicKeys },
      };
    },
    other: (a) => ({ kind: 'organisation_admit', publicKeys: [...(a.publicKeys as string[]), newKey()] }),
  },
  {
    what: 'a covenant key epoch',
    path: '/v1/admin/epochs',
    make: () => {
      const epoch = nextEpoch++;
      return { body: { epoch }, action: { kind: 'epoch_register', epoch, epochKind: 'hmac' } };
    },
    other: (a) => ({ ...a, epoch: (a.epoch as number) + 1000 }),
  },
  {
    what: 'an enrolment code for another person',
    path: `/v1/admin/people/${personId}/enrolment-codes`,
    make: () => ({ body: {}, action: { kind: 'enrolment_code', personId } }),
    other: () => ({ kind: 'enrolment_code', personId: otherId }),
  },
];

describe('acts of a session that outlive it need a step-up made for exactly that act', () => {
  it('a coordinator’s session issues a colleague’s (a colleague coordinator’s) code only with a step-up for that person', async () => {
    const coordinatorId = await person(['organisation_coordinator']);
    const s = await h.signInAs(coordinatorId);
    const colleagueId = await person(['organisation_coordinator', 'professional']);
    const otherId = await person();
    const issue = (personId: string, body: Record<string, unknown> = {}) =>
      h.sessionCall(s, 'POST', `/v1/people/${personId}/enrolment-codes`, { body });
    // The session alone: refused, and the colleague has no code (an earlier one stays valid).
    await expectUnchanged(() => issue(colleagueId), 403, 'step_up_required');
    // A step-up made for another person, another session or another act does not serve.
    const forOther = await stepUpFor(s, { kind: 'enrolment_code', personId: otherId });
    await expectUnchanged(() => issue(colleagueId, { stepUp: proof(s, forOther) }), 400, 'challenge_invalid');
    const second = await h.signInAs(coordinatorId);
    const inOther = await stepUpFor(second, { kind: 'enrolment_code', personId: colleagueId });
    await expectUnchanged(
      () => issue(colleagueId, { stepUp: proof(second, inOther) }),
      400,
      'challenge_invalid',
    );
    const removal = await removalOptions(s, s.deviceId);
    await expectUnchanged(() => issue(colleagueId, { stepUp: proof(s, removal) }), 400, 'challenge_invalid');
    // A thief's own passkey cannot answer it.
    const thief = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, RP_ID));
    thief.create((await addOptions(s)).options);
    const forColleague = await stepUpFor(s, { kind: 'enrolment_code', personId: colleagueId });
    await expectUnchanged(
      () =>
        issue(colleagueId, {
          stepUp: { challengeId: forColleague.challengeId, response: thief.get(forColleague.options) },
        }),
      401,
      'passkey_invalid',
    );
    // Stale: answered after the 5 minutes.
    const late = await stepUpFor(s, { kind: 'enrolment_code', personId: colleagueId });
    h.clock.advance(5 * 60_000 + 1000);
    await expectUnchanged(() => issue(colleagueId, { stepUp: proof(s, late) }), 400, 'challenge_invalid');
    // Made for it: the code is issued, once.
    const fresh = await stepUpFor(s, { kind: 'enrolment_code', personId: colleagueId });
    const once = proof(s, fresh);
    const issued = await issue(colleagueId, { stepUp: once });
    expect(issued.status).toBe(201);
    await expectUnchanged(() => issue(colleagueId, { stepUp: once }), 400, 'challenge_invalid');
    // The organisation's key, alone or on the coordinator's behalf, needs none (no session).
    expect((await h.call(A.key, 'POST', `/v1/people/${otherId}/enrolment-codes`, { body: {} })).status).toBe(
      201,
    );
    const onBehalf = await h.call(A.key, 'POST', `/v1/people/${otherId}/enrolment-codes`, {
      body: {},
      onBehalfOf: coordinatorId,
    });
    expect(onBehalf.status).toBe(201);
    const log = (await h.engine.logbook(1, 5000)).filter(
      (e) => e.action === 'enrolment_code.issued' && e.refs.personId === colleagueId,
    );
    expect(log.map((e) => (e.actor.kind === 'system' ? 'system' : e.actor.personId))).toEqual([
      coordinatorId,
    ]);
  });

  it('an administrator’s session adds keys, admits, registers an epoch and issues codes only with a step-up for that act', async () => {
    const adminId = await municipalityPerson(['administrator']);
    const s = await h.signInAs(adminId);
    const someone = await person();
    const B = await h.admit('Stichting Sleutels');
    const C = await h.admit('Stichting Sleutels Twee');
    for (const act of adminActs(B.id, C.id, someone, await person())) {
      const post = (body: Record<string, unknown>, key?: SigningKey) =>
        key === undefined
          ? h.sessionCall(s, 'POST', act.path, { body })
          : h.call(key, 'POST', act.keyPath ?? act.path, { body });
      const { body, action } = act.make();
      await expectUnchanged(() => post(body), 403, 'step_up_required');
      const wrong = await stepUpFor(s, act.other(action));
      await expectUnchanged(() => post({ ...body, stepUp: proof(s, wrong) }), 400, 'challenge_invalid');
      const right = proof(s, await stepUpFor(s, action));
      const done = await post({ ...body, stepUp: right });
      expect(done.status, act.what).toBe(201);
      // Used up: the same proof does not serve the same act twice.
      const again = act.make();
      await expectUnchanged(() => post({ ...again.body, stepUp: right }), 400, 'challenge_invalid');
      // An admin key (the CLI) is no session and needs none.
      expect((await post(act.make().body, h.admin)).status, act.what).toBe(201);
    }
  });

  it('a professional’s step-up cannot stand in for a role the person lacks; the act checks its roles', async () => {
    const profId = await person();
    const s = await h.signInAs(profId);
    const colleagueId = await person();
    const stepUp = await stepUpFor(s, { kind: 'enrolment_code', personId: colleagueId });
    await expectUnchanged(
      () =>
        h.sessionCall(s, 'POST', `/v1/people/${colleagueId}/enrolment-codes`, {
          body: { stepUp: proof(s, stepUp) },
        }),
      403,
      'role_not_permitted',
    );
  });

  it('refuses a malformed step-up action by field path, never echoing it', async () => {
    const s = await h.signInAs(await person(['organisation_coordinator']));
    const bad = 'AAAAnotakey';
    for (const [action, field] of [
      [{ kind: 'admin_key_add', publicKey: bad }, 'action.publicKey'],
      [{ kind: 'device_add' }, 'action.kind'],
      [{ kind: 'epoch_register', epoch: 3, epochKind: 'hmac', publicKey: newKey() }, 'action.publicKey'],
      [{ kind: 'organisation_key_add', organisationId: A.id, publicKey: 'A'.repeat(43) }, 'action.publicKey'],
    ] as const) {
      const r = await h.sessionCall(s, 'POST', '/v1/me/step-up', { body: { action } });
      const text = await r.text();
      expect(r.status, JSON.stringify(action)).toBe(400);
      const problem = JSON.parse(text) as { code: string; fields?: string[] };
      expect(problem.code).toBe('validation_failed');
      expect(problem.fields?.join()).toContain(field);
      expect(text).not.toContain(bad);
    }
  });

  it('no key, challenge, assertion or code reaches a log line or a refusal', async () => {
    const adminId = await municipalityPerson(['administrator']);
    const s = await h.signInAs(adminId);
    const publicKey = newKey();
    const refusals: string[] = [];
    const answered = async (r: Response) => {
      const text = await r.text();
      refusals.push(text);
      return text;
    };
    await answered(await h.sessionCall(s, 'POST', '/v1/admin/keys', { body: { publicKey } }));
    const wrong = await stepUpFor(s, { kind: 'admin_key_add', publicKey: newKey() });
    const wrongProof = proof(s, wrong);
    await answered(
      await h.sessionCall(s, 'POST', '/v1/admin/keys', { body: { publicKey, stepUp: wrongProof } }),
    );
    const right = await stepUpFor(s, { kind: 'admin_key_add', publicKey });
    const rightProof = proof(s, right);
    expect(
      (await h.sessionCall(s, 'POST', '/v1/admin/keys', { body: { publicKey, stepUp: rightProof } })).status,
    ).toBe(201);
    await answered(
      await h.sessionCall(s, 'POST', '/v1/admin/keys', { body: { publicKey, stepUp: rightProof } }),
    );
    const someone = await person();
    const codeStepUp = proof(s, await stepUpFor(s, { kind: 'enrolment_code', personId: someone }));
    const issued = await h.sessionCall(s, 'POST', `/v1/admin/people/${someone}/enrolment-codes`, {
      body: { stepUp: codeStepUp },
    });
    const { code } = (await issued.json()) as { code: string };
    const assertion = (p: typeof rightProof) =>
      p.response as { response: { signature: string; authenticatorData: string } };
    const secrets = [
      publicKey,
      code,
      code.replace(/-/g, ''),
      right.challengeId,
      wrong.challengeId,
      right.options.challenge,
      assertion(rightProof).response.signature,
      assertion(wrongProof).response.signature,
      assertion(codeStepUp).response.signature,
    ].filter((v) => v.length > 8);
    const everything = h.logs.join('\n') + refusals.join('\n');
    expect(refusals.map((r) => (JSON.parse(r) as { code: string }).code)).toEqual([
      'step_up_required',
      'challenge_invalid',
      'challenge_invalid',
    ]);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});

async function colleagueOf(s: Session): Promise<string> {
  const me = await h.sessionCall(s, 'GET', '/v1/me');
  return ((await me.json()) as { personId: string }).personId;
}

describe('step-up challenges are limited per session and per person (docs/protocol.md §10.6)', () => {
  // signInPerMinute 10 with no refill worth a token during the test: 10 per session, 20 per person.
  let hl: Harness;
  beforeAll(async () => {
    hl = await makeHarness({ signInRateLimit: { perSecond: 1 / 60, burst: 10 } });
  });
  afterAll(async () => hl?.close());

  const action = { kind: 'admin_key_add', publicKey: base64url.encode(caseSigningKey().publicKey) };
  const ask = (s: Session, n: number) => {
    // The three routes that answer a step-up challenge draw on the same limits.
    if (n % 3 === 0) return hl.sessionCall(s, 'POST', '/v1/me/devices/options', { body: {} });
    if (n % 3 === 1) return hl.sessionCall(s, 'POST', '/v1/me/step-up', { body: { action } });
    return hl.sessionCall(s, 'POST', `/v1/me/devices/${s.deviceId}/removal-options`, { body: {} });
  };

  async function expectLimited(s: Session) {
    const head = (await hl.engine.verifyLogbook()).headHash;
    const r = await ask(s, 1);
    expect(r.status).toBe(429);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(await codeOf(r)).toBe('rate_limited');
    const retryAfter = Number(r.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await hl.engine.verifyLogbook()).headHash).toBe(head);
  }

  it('a session gets signInPerMinute, then 429 rate_limited with Retry-After; its refusals leave the person’s other sessions theirs; the person’s total is twice that', async () => {
    const p = await hl.engine.addPerson(
      { kind: 'system' },
      { organisationId: (await hl.admit('Limiet')).id, displayName: 'Prof Limiet', roles: ['professional'] },
    );
    const [stolen, own, third] = [await hl.signInAs(p.id), await hl.signInAs(p.id), await hl.signInAs(p.id)];
    for (let n = 0; n < 10; n++) expect((await ask(stolen, n)).status).toBe(200);
    // The stolen session keeps trying: refused, and it takes nothing from the person.
    for (let n = 0; n < 5; n++) await expectLimited(stolen);
    for (let n = 0; n < 10; n++) expect((await ask(own, n)).status).toBe(200);
    await expectLimited(own);
    // The person's 20 are spent: a third session of theirs is refused at its first.
    await expectLimited(third);
    // Another person is not affected.
    const q = await hl.engine.addPerson(
      { kind: 'system' },
      { organisationId: (await hl.admit('Ander')).id, displayName: 'Prof Ander', roles: ['professional'] },
    );
    expect((await ask(await hl.signInAs(q.id), 1)).status).toBe(200);
  });
});
