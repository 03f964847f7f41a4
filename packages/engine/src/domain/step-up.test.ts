// Step-up in the domain (docs/protocol.md §10.6), on either store: a session's person adds
// or removes a passkey — and a coordinator's or the municipality's session issues a code
// for someone else, adds a key, admits an organisation, registers an epoch — only with a
// fresh assertion of one of their registered passkeys made for that act in that session;
// the challenge is single use, so of two concurrent uses of one proof exactly one wins; the
// counter is stored with the act. A refusal changes nothing. A key actor needs none. The
// first passkey still comes only with an enrolment code.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, Engine, PersonRole } from '../api.js';
import { admin, type Harness, harness, newKeyPair } from '../testing/harness.js';
import { SoftAuthenticator } from '../../../../test/support/soft-authenticator.js';
import { caseKey } from '../../../../test/support/case-keys.js';

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

async function signedIn(
  engine: Engine,
  organisationId: string | null,
  role: PersonRole = 'professional',
): Promise<SignedIn> {
  const p = await engine.addPerson(admin, { organisationId, displayName: 'Prof', roles: [role] });
  const { code } = await engine.issueEnrolmentCode(admin, p.id);
  const authenticator = caseKey(new SoftAuthenticator(ORIGIN, RP_ID));
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
    actor:
      organisationId === null
        ? { kind: 'admin', keyId: s.sessionId, personId: p.id, personRole: role, session: true }
        : {
            kind: 'organisation',
            organisationId,
            keyId: s.sessionId,
            personId: p.id,
            personRole: role,
            session: true,
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
    const second = caseKey(new SoftAuthenticator(ORIGIN, RP_ID));
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
    const second = caseKey(new SoftAuthenticator(ORIGIN, RP_ID));
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
    const second = caseKey(new SoftAuthenticator(ORIGIN, RP_ID));
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

describe('acts of a session that outlive it (docs/protocol.md §10.6)', () => {
  /** The logbook head, the keys and the epochs: what these acts change. */
  const lasting = async () => {
    const orgs = await h.engine.listOrganisations();
    const keys = await Promise.all([null, ...orgs.map((o) => o.id)].map((id) => h.engine.listKeys(id)));
    return JSON.stringify([
      (await h.engine.verifyLogbook()).headHash,
      keys.flat().map((k) => k.keyId),
      (await h.engine.listEpochs()).map((e) => e.epoch),
    ]);
  };
  async function unchanged(act: () => Promise<unknown>, code: string) {
    const before = await lasting();
    await expect(act()).rejects.toMatchObject({ code });
    expect(await lasting()).toBe(before);
  }
  const stepUp = async (s: SignedIn, action: unknown) =>
    proof(s, (await h.engine.stepUpOptions(s.actor, s.sessionId, action)) as StepUp);

  it('a coordinator’s session issues a colleague’s code only with a step-up for that person; the key needs none', async () => {
    h = await harness({ config: { webauthn } });
    const a = await h.org('Jeugdzorg A');
    const c = await signedIn(h.engine, a.org.id, 'organisation_coordinator');
    const colleague = await h.engine.addPerson(admin, {
      organisationId: a.org.id,
      displayName: 'Collega',
      roles: ['organisation_coordinator'],
    });
    const other = await h.engine.addPerson(admin, {
      organisationId: a.org.id,
      displayName: 'Ander',
      roles: ['professional'],
    });
    await unchanged(() => h.engine.issueEnrolmentCode(c.actor, colleague.id), 'step_up_required');
    const forOther = await stepUp(c, { kind: 'enrolment_code', personId: other.id });
    await unchanged(() => h.engine.issueEnrolmentCode(c.actor, colleague.id, forOther), 'challenge_invalid');
    const ok = await stepUp(c, { kind: 'enrolment_code', personId: colleague.id });
    expect((await h.engine.issueEnrolmentCode(c.actor, colleague.id, ok)).code).toMatch(/^[0-9A-Z-]+$/);
    // The organisation's key (also on the coordinator's behalf: no session) needs none.
    await h.engine.issueEnrolmentCode(a.actor, colleague.id);
    await h.engine.issueEnrolmentCode(
      { ...a.actor, personId: c.personId, personRole: 'organisation_coordinator' },
      colleague.id,
    );
  });

  it('an administrator’s session adds keys, admits and registers epochs only with a step-up for exactly that act', async () => {
    h = await harness({ config: { webauthn } });
    const a = await h.org('Jeugdzorg A');
    const s = await signedIn(h.engine, null, 'administrator');
    const k1 = newKeyPair().publicKey;
    const k2 = newKeyPair().publicKey;
    await unchanged(() => h.engine.addKey(s.actor, null, k1), 'step_up_required');
    // Another key, the other side, another organisation: none serves.
    for (const action of [
      { kind: 'admin_key_add', publicKey: k2 },
      { kind: 'organisation_key_add', organisationId: a.org.id, publicKey: k1 },
    ]) {
      const p = await stepUp(s, action);
      await unchanged(() => h.engine.addKey(s.actor, null, k1, p), 'challenge_invalid');
    }
    await h.engine.addKey(s.actor, null, k1, await stepUp(s, { kind: 'admin_key_add', publicKey: k1 }));
    await h.engine.addKey(
      s.actor,
      a.org.id,
      k2,
      await stepUp(s, { kind: 'organisation_key_add', organisationId: a.org.id, publicKey: k2 }),
    );

    const k3 = newKeyPair().publicKey;
    const admission = { name: 'Stichting Stapop', type: 'youth_care', publicKeys: [k3] };
    await unchanged(() => h.engine.admitOrganisation(s.actor, admission), 'step_up_required');
    const twoKeys = await stepUp(s, { kind: 'organisation_admit', publicKeys: [k3, newKeyPair().publicKey] });
    await unchanged(() => h.engine.admitOrganisation(s.actor, admission, twoKeys), 'challenge_invalid');
    await h.engine.admitOrganisation(
      s.actor,
      admission,
      await stepUp(s, { kind: 'organisation_admit', publicKeys: [k3] }),
    );

    await unchanged(() => h.engine.registerEpoch(s.actor, 5), 'step_up_required');
    const epoch6 = await stepUp(s, { kind: 'epoch_register', epoch: 6, epochKind: 'hmac' });
    await unchanged(() => h.engine.registerEpoch(s.actor, 5, {}, epoch6), 'challenge_invalid');
    await h.engine.registerEpoch(
      s.actor,
      5,
      {},
      await stepUp(s, { kind: 'epoch_register', epoch: 5, epochKind: 'hmac' }),
    );
    // An admin key is no session: none needed.
    await h.engine.registerEpoch(admin, 7);
    expect((await h.engine.listEpochs()).map((e) => e.epoch)).toEqual(expect.arrayContaining([5, 7]));
  });

  it('of two concurrent enrolment codes with one proof exactly one is issued', async () => {
    h = await harness({ config: { webauthn } });
    const a = await h.org('Jeugdzorg A');
    const c = await signedIn(h.engine, a.org.id, 'organisation_coordinator');
    const colleague = await h.engine.addPerson(admin, {
      organisationId: a.org.id,
      displayName: 'Collega',
      roles: ['professional'],
    });
    const p = await stepUp(c, { kind: 'enrolment_code', personId: colleague.id });
    const results = await Promise.allSettled([
      h.engine.issueEnrolmentCode(c.actor, colleague.id, p),
      h.engine.issueEnrolmentCode(c.actor, colleague.id, p),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'challenge_invalid' });
    const issued = (await h.engine.logbook(1, 5000)).filter((e) => e.action === 'enrolment_code.issued');
    expect(issued.filter((e) => e.refs.personId === colleague.id)).toHaveLength(1);
  });
});
