// Handover requests leave the store with what ends them (docs/engine.md "Handover requests"):
// the coordinator's list already hides a request whose signal ended or moved, so these tests
// read the stored rows themselves — after the signal ends, after it is transferred to a third
// colleague, and after the asker is removed — and a refusal record after its term, which makes no
// request and is deleted by its use or by retention (not by the next placement's write); a
// declined request, told to its asker for 30 days, then deleted by retention or with the asker.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../api.js';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type OrgActor = Actor & { kind: 'organisation' };

async function setUp() {
  h = await harness();
  const a = await h.org('Jeugdzorg A');
  const add = async (displayName: string, roles: ('professional' | 'organisation_coordinator')[]) =>
    (await h.engine.addPerson(admin, { organisationId: a.org.id, displayName, roles })).id;
  const session = (personId: string, personRole: 'professional' | 'organisation_coordinator'): OrgActor => ({
    ...a.actor,
    personId,
    personRole,
    session: true,
  });
  const holderId = await add('Houder', ['professional']);
  const askerId = await add('Vrager', ['professional']);
  const thirdId = await add('Derde', ['professional']);
  const coordinator = session(
    await add('Coördinator', ['organisation_coordinator']),
    'organisation_coordinator',
  );
  const holder = session(holderId, 'professional');
  const asker = session(askerId, 'professional');
  const orgRid = (await h.store.read((tx) => tx.getOrganisation(a.org.id)))!.rid;
  const stored = () => h.store.read((tx) => tx.listHandoverRequests(orgRid));
  /** The holder places for person n, the asker is refused and asks: one stored request. */
  const asked = async (n: number) => {
    const placed = await h.engine.placeSignal(holder, placement(n));
    const refused = placement(n);
    expect((await h.engine.placeSignal(asker, refused)).heldByYou).toBe(false);
    await h.engine.requestHandover(asker, refused.requestId);
    expect((await stored()).map((r) => r.signalRid).length).toBeGreaterThan(0);
    return { signalId: placed.signal.id, requestId: refused.requestId };
  };
  return { a, holder, asker, askerId, thirdId, coordinator, orgRid, stored, asked };
}

describe('handover requests are deleted, not only hidden', () => {
  it('when the signal ends', async () => {
    const { holder, stored, asked } = await setUp();
    const { signalId } = await asked(1);
    expect(await stored()).toHaveLength(1);
    await h.engine.withdrawSignal(holder, signalId, 'ended');
    expect(await stored()).toEqual([]);
  });

  it('when the signal is transferred, also to a third colleague', async () => {
    const { coordinator, thirdId, stored, asked } = await setUp();
    const { signalId } = await asked(2);
    await h.engine.transferSignals(coordinator, [signalId], placement(2).contact, thirdId);
    expect(await stored()).toEqual([]);
  });

  it('when the asker is removed', async () => {
    const { askerId, stored, asked } = await setUp();
    await asked(3);
    await h.engine.removePerson(admin, askerId);
    expect(await stored()).toEqual([]);
  });

  it('a refusal past its day makes no request, is left by later placements, and retention removes it', async () => {
    const { orgRid, holder, asker, stored } = await setUp();
    const refused = async (n: number) => {
      await h.engine.placeSignal(holder, placement(n));
      const { requestId } = placement(n);
      expect((await h.engine.placeSignal(asker, { ...placement(n), requestId })).heldByYou).toBe(false);
      return requestId;
    };
    const refusal = (requestId: string) => h.store.read((tx) => tx.getPlacementRefusal(orgRid, requestId));
    const used = await refused(5);
    const swept = await refused(6);
    h.clock.advance(24 * 3_600_000 + 1);
    // A new refusal's write deletes no other record: the old ones wait for their use or retention.
    const young = await refused(7);
    expect(await refusal(used)).toBeDefined();
    expect(await refusal(swept)).toBeDefined();
    // The old record makes no request by itself, and is used up.
    await h.engine.requestHandover(asker, used);
    expect(await stored()).toEqual([]);
    expect(await refusal(used)).toBeUndefined();
    // Retention removes the other old one and keeps the one younger than a day.
    await h.engine.runRetention(admin);
    expect(await refusal(swept)).toBeUndefined();
    expect(await refusal(young)).toBeDefined();
  });
});

// A declined request is told to its asker, without the signal, for 30 days (docs/engine.md
// "Handover requests"): retention then deletes it, and so does the asker's removal.
describe('a declined request is told to its asker', () => {
  it('when they asked and when it was declined, to the asker only, for 30 days', async () => {
    const { a, holder, asker, askerId, coordinator, asked } = await setUp();
    const { signalId } = await asked(12);
    const askedAt = h.clock.fn();
    const [open] = await h.engine.listHandoverRequests(coordinator);
    h.clock.advance(60_000);
    await h.engine.declineHandoverRequest(coordinator, open!.id);
    const told = [{ requestedAt: askedAt, declinedAt: askedAt + 60_000 }];
    expect(await h.engine.listHandoverDeclines(asker)).toEqual(told);
    // Nobody else's: not the holder's, and the key alone acts for no person.
    expect(await h.engine.listHandoverDeclines(holder)).toEqual([]);
    expect(await h.engine.listHandoverDeclines(a.actor)).toEqual([]);
    // Nothing of the signal: its end changes nothing the asker is told.
    await h.engine.withdrawSignal(holder, signalId, 'ended');
    expect(await h.engine.listHandoverDeclines(asker)).toEqual(told);
    // Past 30 days it is no longer told, and the first retention run after that deletes it.
    const askerRid = (await h.store.read((tx) => tx.getPerson(askerId)))!.rid;
    const kept = () => h.store.read((tx) => tx.listHandoverDeclines(askerRid, 0));
    h.clock.advance(30 * 86_400_000 - 1);
    expect(await h.engine.listHandoverDeclines(asker)).toEqual(told);
    await h.engine.runRetention(admin);
    expect(await kept()).toHaveLength(1);
    h.clock.advance(2);
    expect(await h.engine.listHandoverDeclines(asker)).toEqual([]);
    expect(await kept()).toHaveLength(1);
    await h.engine.runRetention(admin);
    expect(await kept()).toEqual([]);
  });

  it('is deleted with its asker', async () => {
    const { askerId, coordinator, asked } = await setUp();
    await asked(13);
    const [open] = await h.engine.listHandoverRequests(coordinator);
    await h.engine.declineHandoverRequest(coordinator, open!.id);
    const askerRid = (await h.store.read((tx) => tx.getPerson(askerId)))!.rid;
    const kept = () => h.store.read((tx) => tx.listHandoverDeclines(askerRid, 0));
    expect(await kept()).toHaveLength(1);
    await h.engine.removePerson(admin, askerId);
    expect(await kept()).toEqual([]);
  });
});

// A restricted signal (GDPR art. 18), or one under a pending objection, is stored only
// (docs/engine.md "Handover requests"): no refusal record, no request, not listed; the asker's
// answers do not change.
describe('a restriction or a pending objection', () => {
  it('a refusal made before the restriction makes no request', async () => {
    const { holder, asker, stored } = await setUp();
    await h.engine.placeSignal(holder, placement(9));
    const refused = placement(9);
    expect((await h.engine.placeSignal(asker, refused)).heldByYou).toBe(false);
    await h.engine.gdprRestrict(admin, person(9), true);
    await h.engine.requestHandover(asker, refused.requestId);
    expect(await stored()).toEqual([]);
  });

  it('a placement refused for a restricted or objected signal records no refusal', async () => {
    const { orgRid, holder, asker } = await setUp();
    await h.engine.placeSignal(holder, placement(10));
    await h.engine.placeSignal(holder, placement(11));
    await h.engine.gdprRestrict(admin, person(10), true);
    await h.engine.gdprObject(admin, person(11), 'pending');
    for (const n of [10, 11]) {
      const refused = placement(n);
      expect((await h.engine.placeSignal(asker, refused)).outcome).toBe('existing');
      expect(await h.store.read((tx) => tx.getPlacementRefusal(orgRid, refused.requestId))).toBeUndefined();
    }
  });

  it('an open request is not listed while its signal is restricted, and is again once lifted', async () => {
    const { coordinator, stored, asked } = await setUp();
    const { signalId } = await asked(12);
    await h.engine.gdprRestrict(admin, person(12), true);
    expect(await h.engine.listHandoverRequests(coordinator)).toEqual([]);
    expect(await stored()).toHaveLength(1);
    await h.engine.gdprRestrict(admin, person(12), false);
    expect((await h.engine.listHandoverRequests(coordinator)).map((r) => r.signal.id)).toEqual([signalId]);
  });
});
