// The municipality's last administrator (docs/api.md "People"), on either store: removing
// the only active municipality person with the administrator role is refused
// `last_administrator` whoever asks — an admin key, an administrator's own session — and
// changes nothing; other roles and other administrators go as before. Passkeys are not
// counted: the last administrator's passkey can always be removed, and they are invited
// again. Two concurrent removals of the last two administrators never both pass.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, PersonRole } from '../api.js';
import { admin, type Harness, harness, newKeyPair } from '../testing/harness.js';
import { SoftAuthenticator } from '../../../../test/support/soft-authenticator.js';
import { caseKey } from '../../../../test/support/case-keys.js';

const ORIGIN = 'https://portal.sluis.test';
const RP_ID = 'portal.sluis.test';
const webauthn = { rpId: RP_ID, rpName: 'sluis test', origins: [ORIGIN] };
const NAME = 'Cornelia Vandermeulen-Rietveld';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Options = { challenge: string };

const addMunicipal = (roles: PersonRole[]) =>
  h.engine.addPerson(admin, { organisationId: null, displayName: NAME, roles });

/** A municipality person enrolled with one passkey and signed in: their session's actor. */
async function signedIn(personId: string, role: PersonRole): Promise<{ actor: Actor; deviceId: string }> {
  const { code } = await h.engine.issueEnrolmentCode(admin, personId);
  const authenticator = caseKey(new SoftAuthenticator(ORIGIN, RP_ID));
  const creation = (await h.engine.enrolmentOptions(code)) as Options;
  const { deviceId } = await h.engine.enrol({
    code,
    deviceName: 'Laptop',
    response: authenticator.create(creation),
  });
  const o = await h.engine.signInOptions(newKeyPair().publicKey);
  const s = await h.engine.signIn({
    challengeId: o.challengeId,
    response: authenticator.get(o.options as Options),
  });
  return {
    actor: { kind: 'admin', keyId: s.sessionId, personId, personRole: role, session: true },
    deviceId,
  };
}

const lastAdministrator = {
  code: 'last_administrator',
  message: expect.stringContaining('add another administrator first'),
};

describe('the last administrator', () => {
  it('stays, whoever removes them; other people and other administrators go', async () => {
    h = await harness({ config: { webauthn } });
    const first = await addMunicipal(['administrator', 'auditor']);
    const second = await addMunicipal(['administrator']);
    const desk = await addMunicipal(['gdpr_desk']);
    const session = await signedIn(first.id, 'administrator');

    // Two administrators: one goes (here by the other's session). A desk person goes too.
    expect((await h.engine.removePerson(session.actor, second.id)).status).toBe('removed');
    expect((await h.engine.removePerson(admin, desk.id)).status).toBe('removed');
    // The last one: neither the admin key nor their own session removes them.
    for (const actor of [admin, session.actor, { kind: 'system' } as Actor]) {
      await expect(h.engine.removePerson(actor, first.id)).rejects.toMatchObject(lastAdministrator);
    }
    expect((await h.engine.getPerson(admin, first.id)).status).toBe('active');
    // Nothing changed: they still sign in with their session, the logbook has no removal.
    expect(await h.engine.listDevices(admin, first.id)).toHaveLength(1);
    const removals = (await h.engine.logbook(1, 5000)).filter((e) => e.action === 'person.removed');
    expect(removals.map((e) => e.refs.personId)).toEqual([second.id, desk.id]);
    // The refusal names no one.
    const refusal = await h.engine.removePerson(admin, first.id).catch((e: Error) => e);
    expect(String(refusal)).not.toContain(NAME);
    expect(String(refusal)).not.toContain(first.id);

    // Passkeys do not count: the last administrator's own passkey goes, and a new code follows.
    await h.engine.removeDevice(admin, first.id, session.deviceId);
    expect(await h.engine.listDevices(admin, first.id)).toEqual([]);
    await expect(h.engine.removePerson(admin, first.id)).rejects.toMatchObject(lastAdministrator);
    expect((await h.engine.issueEnrolmentCode(admin, first.id)).code).toEqual(expect.any(String));

    // With another administrator added, the first one goes; a removed one is removed again as before.
    await addMunicipal(['administrator']);
    expect((await h.engine.removePerson(admin, first.id)).status).toBe('removed');
    expect((await h.engine.removePerson(admin, second.id)).status).toBe('removed');
  });

  it('two concurrent removals of the last two administrators do not both pass', async () => {
    h = await harness();
    let survivor = await addMunicipal(['administrator']);
    for (let round = 0; round < 5; round++) {
      const other = await addMunicipal(['administrator']);
      const pair = round % 2 === 0 ? [survivor, other] : [other, survivor];
      const outcomes = await Promise.allSettled(pair.map((p) => h.engine.removePerson(admin, p.id)));
      expect(
        outcomes.filter((o) => o.status === 'fulfilled'),
        `round ${round}`,
      ).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected');
      expect(refused?.reason).toMatchObject({ code: 'last_administrator' });
      const active = (await h.engine.listPeople(admin, null)).filter((p) => p.status === 'active');
      expect(active).toHaveLength(1);
      survivor = active[0]!;
    }
  });
});
