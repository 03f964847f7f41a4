// People and roles in the engine (docs/engine.md "People and roles"): who may add, list
// and remove whom; roles must fit the person's side; a coordinator never reaches another
// organisation; every change is logged with ids and role codes only — never the name or
// e-mail — and a person named on behalf of is refused from the request after their removal.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../api.js';
import { admin, type Harness, harness, signedRequest } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const NAME = 'Fenna Zwartkruis-Oudeboom';
const EMAIL = 'fenna.zwartkruis@zorg.example.nl';

async function logTexts(): Promise<string> {
  const entries = await h.engine.logbook(1, 5000);
  return JSON.stringify(entries);
}

describe('people', () => {
  it('the municipality adds people of an organisation and of its own, with roles of their side only', async () => {
    h = await harness();
    const a = await h.org();
    const p = await h.engine.addPerson(admin, {
      organisationId: a.org.id,
      displayName: NAME,
      email: EMAIL,
      roles: ['organisation_coordinator', 'professional'],
    });
    expect(p).toMatchObject({
      organisationId: a.org.id,
      displayName: NAME,
      email: EMAIL,
      roles: ['professional', 'organisation_coordinator'],
      status: 'active',
      removedAt: null,
    });
    const m = await h.engine.addPerson(admin, {
      organisationId: null,
      displayName: 'A. Auditor',
      roles: ['auditor'],
    });
    expect(m).toMatchObject({ organisationId: null, email: null, roles: ['auditor'] });
    expect((await h.engine.listPeople(admin, null)).map((x) => x.id)).toEqual([m.id]);
    expect((await h.engine.listPeople(admin, a.org.id)).map((x) => x.id)).toEqual([p.id]);

    const refused = [
      { organisationId: a.org.id, displayName: 'X', roles: ['auditor'] },
      { organisationId: null, displayName: 'X', roles: ['professional'] },
      { organisationId: null, displayName: 'X', roles: [] },
      { organisationId: null, displayName: 'X', roles: ['auditor', 'auditor'] },
      { organisationId: null, displayName: 'X', roles: ['root'] },
    ];
    for (const input of refused) {
      await expect(
        h.engine.addPerson(admin, input as never),
        JSON.stringify(input.roles),
      ).rejects.toMatchObject({
        code: 'validation_failed',
        fields: ['roles'],
      });
    }
    for (const displayName of ['', ' padded', 'x'.repeat(101)]) {
      await expect(
        h.engine.addPerson(admin, { organisationId: null, displayName, roles: ['auditor'] }),
      ).rejects.toMatchObject({ code: 'validation_failed', fields: ['displayName'] });
    }
    // The shared text rule (docs/api.md "Text fields"): no BSN, no invisible character.
    for (const displayName of ['line\nbreak', 'Client 999 900 006', 'Jan\u202Eevil']) {
      await expect(
        h.engine.addPerson(admin, { organisationId: null, displayName, roles: ['auditor'] }),
      ).rejects.toMatchObject({ code: 'text_forbidden', fields: ['displayName'] });
    }
    await expect(
      h.engine.addPerson(admin, {
        organisationId: null,
        displayName: 'X',
        email: 'no-at',
        roles: ['auditor'],
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', fields: ['email'] });
    await expect(
      h.engine.addPerson(admin, {
        organisationId: '00000000-0000-4000-8000-000000000000',
        displayName: 'X',
        roles: ['professional'],
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    // Refusals changed nothing: two people, two person entries.
    expect((await h.engine.logbook(1, 5000)).filter((e) => e.action === 'person.added')).toHaveLength(2);
  });

  it('an organisation manages only its own people and grants only organisation roles', async () => {
    h = await harness();
    const a = await h.org();
    const b = await h.org();
    const coordinator: Actor = {
      ...a.actor,
      personId: '11111111-1111-4111-8111-111111111111',
      personRole: 'organisation_coordinator',
    };
    const own = await h.engine.addPerson(coordinator, {
      organisationId: a.org.id,
      displayName: NAME,
      roles: ['professional'],
    });
    const theirs = await h.engine.addPerson(b.actor, {
      organisationId: b.org.id,
      displayName: 'B. Person',
      roles: ['professional'],
    });
    await expect(
      h.engine.addPerson(a.actor, { organisationId: b.org.id, displayName: 'X', roles: ['professional'] }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      h.engine.addPerson(a.actor, { organisationId: null, displayName: 'X', roles: ['administrator'] }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      h.engine.addPerson(a.actor, { organisationId: a.org.id, displayName: 'X', roles: ['administrator'] }),
    ).rejects.toMatchObject({ code: 'validation_failed', fields: ['roles'] });
    await expect(h.engine.listPeople(a.actor, b.org.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(h.engine.listPeople(a.actor, null)).rejects.toMatchObject({ code: 'forbidden' });
    // Another organisation's person is not confirmed to exist.
    await expect(h.engine.getPerson(a.actor, theirs.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.engine.removePerson(a.actor, theirs.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await h.engine.getPerson(b.actor, theirs.id)).status).toBe('active');
    expect((await h.engine.listPeople(a.actor, a.org.id)).map((p) => p.id)).toEqual([own.id]);

    const removed = await h.engine.removePerson(coordinator, own.id);
    expect(removed).toMatchObject({ status: 'removed', removedAt: h.clock.now });
    expect(await h.engine.removePerson(coordinator, own.id)).toEqual(removed);

    // The logbook names the acting person by id and role; never a name or an e-mail.
    const entries = await h.engine.logbook(1, 5000);
    const added = entries.find((e) => e.action === 'person.added' && e.refs.personId === own.id)!;
    expect(added.actor).toEqual({
      kind: 'organisation',
      organisationId: a.org.id,
      keyId: a.keyId,
      personId: '11111111-1111-4111-8111-111111111111',
      personRole: 'organisation_coordinator',
    });
    expect(added.details).toEqual({ roles: 'professional' });
    expect(entries.filter((e) => e.action === 'person.removed')).toHaveLength(1);
    const texts = await logTexts();
    expect(texts).not.toContain(NAME);
    expect(texts).not.toContain('B. Person');
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });

  it('a request on behalf of a person is refused from the first request after their removal', async () => {
    h = await harness();
    const a = await h.org();
    const b = await h.org();
    const p = await h.engine.addPerson(admin, {
      organisationId: a.org.id,
      displayName: NAME,
      roles: ['professional'],
    });
    const other = await h.engine.addPerson(admin, {
      organisationId: b.org.id,
      displayName: 'B. Person',
      roles: ['professional'],
    });
    const now = () => Math.floor(h.clock.now / 1000);
    const ok = await h.engine.authenticate(signedRequest(a, { created: now(), onBehalfOf: p.id }));
    expect(ok).toMatchObject({
      kind: 'organisation',
      onBehalfOf: { personId: p.id, roles: ['professional'] },
    });
    // Another organisation's person, an unknown id: one code, nothing confirmed.
    for (const id of [other.id, '00000000-0000-4000-8000-000000000000']) {
      await expect(
        h.engine.authenticate(signedRequest(a, { created: now(), onBehalfOf: id })),
      ).rejects.toMatchObject({ code: 'on_behalf_invalid' });
    }
    // The header without its covered component (or the reverse) is malformed.
    const signed = signedRequest(a, { created: now(), onBehalfOf: p.id });
    const { onBehalfOf: _dropped, ...withoutHeader } = signed;
    await expect(h.engine.authenticate(withoutHeader)).rejects.toMatchObject({ code: 'auth_malformed' });
    await expect(
      h.engine.authenticate({ ...signedRequest(a, { created: now() }), onBehalfOf: p.id }),
    ).rejects.toMatchObject({ code: 'auth_malformed' });

    await h.engine.removePerson(admin, p.id);
    await expect(
      h.engine.authenticate(signedRequest(a, { created: now(), onBehalfOf: p.id })),
    ).rejects.toMatchObject({ code: 'on_behalf_invalid' });
    // The organisation's key itself still works.
    expect(await h.engine.authenticate(signedRequest(a, { created: now() }))).toMatchObject({
      kind: 'organisation',
    });
  });
  it('an organisation never removes its last active coordinator; the municipality may', async () => {
    h = await harness();
    const a = await h.org();
    const add = (roles: string[]) =>
      h.engine.addPerson(admin, { organisationId: a.org.id, displayName: NAME, roles: roles as never });
    const c1 = await add(['organisation_coordinator']);
    const c2 = await add(['professional', 'organisation_coordinator']);
    const pro = await add(['professional']);
    const asC1: Actor = { ...a.actor, personId: c1.id, personRole: 'organisation_coordinator' };

    // One coordinator removes the other; then neither the key nor the last one removes the last.
    expect((await h.engine.removePerson(asC1, c2.id)).status).toBe('removed');
    for (const actor of [a.actor, asC1]) {
      await expect(h.engine.removePerson(actor, c1.id)).rejects.toMatchObject({
        code: 'last_coordinator',
        message: expect.stringContaining('add another coordinator first'),
      });
    }
    expect((await h.engine.getPerson(a.actor, c1.id)).status).toBe('active');
    // Someone who is not a coordinator is removed as before; a removed one again is a no-op.
    expect((await h.engine.removePerson(a.actor, pro.id)).status).toBe('removed');
    expect((await h.engine.removePerson(a.actor, c2.id)).status).toBe('removed');

    // With a new coordinator added, the old one goes.
    const c3 = await add(['organisation_coordinator']);
    expect((await h.engine.removePerson(a.actor, c1.id)).status).toBe('removed');
    // The municipality removes the last one (an organisation leaving the covenant).
    expect((await h.engine.removePerson(admin, c3.id)).status).toBe('removed');
    const removals = (await h.engine.logbook(1, 5000)).filter((e) => e.action === 'person.removed');
    expect(removals).toHaveLength(4);
  });

  it('two concurrent removals of the last two coordinators do not both pass', async () => {
    h = await harness();
    const a = await h.org();
    for (let round = 0; round < 5; round++) {
      const [c1, c2] = await Promise.all(
        [1, 2].map(() =>
          h.engine.addPerson(admin, {
            organisationId: a.org.id,
            displayName: NAME,
            roles: ['organisation_coordinator'],
          }),
        ),
      );
      const outcomes = await Promise.allSettled([
        h.engine.removePerson(a.actor, c1!.id),
        h.engine.removePerson(a.actor, c2!.id),
      ]);
      expect(
        outcomes.filter((o) => o.status === 'fulfilled'),
        `round ${round}`,
      ).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected');
      expect(refused?.reason).toMatchObject({ code: 'last_coordinator' });
      const active = (await h.engine.listPeople(a.actor, a.org.id)).filter((p) => p.status === 'active');
      expect(active).toHaveLength(1);
      // The survivor goes by the municipality, so the next round starts with none.
      await h.engine.removePerson(admin, active[0]!.id);
    }
  });

  // docs/privacy.md §6 "people": a removed person keeps only what the access report and the
  // people list need — the name, the roles, the removal date — never the e-mail address.
  it('removal clears the e-mail address and keeps the name and roles', async () => {
    h = await harness();
    const a = await h.org();
    const p = await h.engine.addPerson(admin, {
      organisationId: a.org.id,
      displayName: NAME,
      email: EMAIL,
      roles: ['professional'],
    });
    const removed = await h.engine.removePerson(admin, p.id);
    expect(removed).toMatchObject({
      displayName: NAME,
      email: null,
      roles: ['professional'],
      status: 'removed',
    });
    expect(await h.engine.getPerson(admin, p.id)).toEqual(removed);
    expect(JSON.stringify(await h.engine.listPeople(admin, a.org.id))).not.toContain(EMAIL);
  });
});
