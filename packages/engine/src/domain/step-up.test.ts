// Step-up for one's own passkeys in the domain (docs/protocol.md §10.6), on either store:
// a session's person adds or removes a passkey only with a fresh assertion of one of their
// registered passkeys made for that act in that session; the challenge is single use, so
// of two concurrent uses of one proof exactly one wins; the counter is stored with the act.
// A refusal changes nothing. The first passkey still comes only with an enrolment code.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, Engine } from '../api.js';
import { admin, type Harness, harness, newKeyPair } from '../testing/harness.js';
import { SoftAuthenticator } from '../testing/soft-authenticator.js';

const ORIGIN = 'https://portal.sluis.test';
const RP_ID = 'portal.sluis.test';
const webauthn = { rpId: RP_ID, rpName: 'sluis test', origins: [ORIGIN] };

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Options = { challenge: string };
type StepUp = { challengeId: string; options: Options };

interface SignedIn {
  readonly personId: string;
  readonly sessionId: string;
  readonly actor: Actor;
  readonly authenticator: SoftAuthenticator;
  readonly deviceId: string;
}

async function signedIn(engine: Engine, organisationId: string): Promise<SignedIn> {
  const p = await engine.addPerson(admin, { organisationId, displayName: 'Prof', roles: ['professional'] });
  const { code } = await engine.issueEnrolmentCode(admin, p.id);
  const authenticator = new SoftAuthenticator(ORIGIN, RP_ID);
  const creation = (await engine.enrolmentOptions(code)) as Options;
  const { deviceId } = await engine.enrol({
    code,
    deviceName: 'Laptop',
    response: authenticator.create(creation),
  });
  const o = await engine.signInOptions(newKeyPair().publicKey);
  const s = await engine.signIn({
    challengeId: o.challengeId,
    response: authenticator.get(o.options as Options),
  });
  return {
    personId: p.id,
    sessionId: s.sessionId,
    authenticator,
    deviceId,
    actor: {
      kind: 'organisation',
      organisationId,
      keyId: s.sessionId,
      personId: p.id,
      personRole: 'professional',
    },
  };
}

const proof = (s: SignedIn, stepUp: StepUp, o: { counter?: number } = {}) => ({
  challengeId: stepUp.challengeId,
  response: s.authenticator.get(stepUp.options, o),
});

async function setUp() {
  h = await harness({ config: { webauthn } });
  const a = await h.org('Jeugdzorg A');
  return { a, s: await signedIn(h.engine, a.org.id) };
}

const devices = async (personId: string) =>
  (await h.engine.listDevices(admin, personId)).map((d) => d.id).sort();

/** Refused with `code`; the logbook head and the person's devices unchanged. */
async function refused(personId: string, act: () => Promise<unknown>, code: string) {
  const head = (await h.engine.verifyLogbook()).headHash;
  const before = await devices(personId);
  await expect(act()).rejects.toMatchObject({ code });
  expect((await h.engine.verifyLogbook()).headHash).toBe(head);
  expect(await devices(personId)).toEqual(before);
}

describe('step-up (docs/protocol.md §10.6)', () => {
  it('adds and removes a passkey with a step-up made for it; without one nothing changes', async () => {
    const { s } = await setUp();
    const second = new SoftAuthenticator(ORIGIN, RP_ID);
    const o = await h.engine.deviceOptions(s.actor, s.sessionId);
    const response = second.create(o.options as Options);
    await refused(
      s.personId,
      () => h.engine.addDevice(s.actor, s.sessionId, { deviceName: 'X', response }),
      'validation_failed',
    );
    const again = await h.engine.deviceOptions(s.actor, s.sessionId);
    const added = await h.engine.addDevice(s.actor, s.sessionId, {
      deviceName: 'Telefoon',
      response: second.create(again.options as Options),
      stepUp: proof(s, again.stepUp as StepUp),
    });
    expect(await devices(s.personId)).toEqual([s.deviceId, added.id].sort());

    await refused(
      s.personId,
      () => h.engine.removeOwnDevice(s.actor, s.sessionId, added.id, undefined),
      'validation_failed',
    );
    const removal = (await h.engine.stepUpOptions(s.actor, s.sessionId, {
      kind: 'device_remove',
      deviceId: added.id,
    })) as StepUp;
    // Bound to the device: it does not remove the other one.
    await refused(
      s.personId,
      () => h.engine.removeOwnDevice(s.actor, s.sessionId, s.deviceId, proof(s, removal)),
      'challenge_invalid',
    );
    const removal2 = (await h.engine.stepUpOptions(s.actor, s.sessionId, {
      kind: 'device_remove',
      deviceId: added.id,
    })) as StepUp;
    await h.engine.removeOwnDevice(s.actor, s.sessionId, added.id, proof(s, removal2));
    expect(await devices(s.personId)).toEqual([s.deviceId]);
  });

  it('a step-up from another session, after 5 minutes, or used twice is refused', async () => {
    const { s } = await setUp();
    const second = new SoftAuthenticator(ORIGIN, RP_ID);
    const o = await h.engine.deviceOptions(s.actor, s.sessionId);
    const p = proof(s, o.stepUp as StepUp);
    const otherSession = `${'Z'.repeat(31)}A`;
    await refused(
      s.personId,
      () =>
        h.engine.addDevice(s.actor, otherSession, {
          deviceName: 'X',
          response: second.create(o.options as Options),
          stepUp: p,
        }),
      'challenge_invalid',
    );
    // Taken by the refusal: the same proof in the right session is now used up.
    const o2 = await h.engine.deviceOptions(s.actor, s.sessionId);
    await refused(
      s.personId,
      () =>
        h.engine.addDevice(s.actor, s.sessionId, {
          deviceName: 'X',
          response: second.create(o2.options as Options),
          stepUp: p,
        }),
      'challenge_invalid',
    );
    const o3 = await h.engine.deviceOptions(s.actor, s.sessionId);
    const late = proof(s, o3.stepUp as StepUp);
    h.clock.advance(5 * 60_000);
    await refused(
      s.personId,
      () =>
        h.engine.addDevice(s.actor, s.sessionId, {
          deviceName: 'X',
          response: second.create(o3.options as Options),
          stepUp: late,
        }),
      'challenge_invalid',
    );
  });

  it('of two concurrent removals with one proof exactly one wins', async () => {
    const { s } = await setUp();
    const second = new SoftAuthenticator(ORIGIN, RP_ID);
    const o = await h.engine.deviceOptions(s.actor, s.sessionId);
    const added = await h.engine.addDevice(s.actor, s.sessionId, {
      deviceName: 'Telefoon',
      response: second.create(o.options as Options),
      stepUp: proof(s, o.stepUp as StepUp),
    });
    const removal = (await h.engine.stepUpOptions(s.actor, s.sessionId, {
      kind: 'device_remove',
      deviceId: added.id,
    })) as StepUp;
    const p = proof(s, removal);
    const results = await Promise.allSettled([
      h.engine.removeOwnDevice(s.actor, s.sessionId, added.id, p),
      h.engine.removeOwnDevice(s.actor, s.sessionId, added.id, p),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'challenge_invalid' });
    expect(await devices(s.personId)).toEqual([s.deviceId]);
  });

  it('a person cannot remove their own passkey through a coordinator’s removal; others still can', async () => {
    const { a, s } = await setUp();
    const coordinator: Actor = { ...s.actor, personRole: 'organisation_coordinator' } as Actor;
    await refused(s.personId, () => h.engine.removeDevice(coordinator, s.personId, s.deviceId), 'forbidden');
    await h.engine.removeDevice(a.actor, s.personId, s.deviceId);
    expect(await devices(s.personId)).toEqual([]);
  });
});
