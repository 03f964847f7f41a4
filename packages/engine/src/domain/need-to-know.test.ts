// Need to know (docs/api.md "Need to know", domain/context.ts heldBy): a professional's
// portal session sees and acts on only the signals that name them as holder and those
// signals' matches — a colleague's answer not_found, the inbox leaves them out and logs no
// reveal of them; the same person through the organisation's key, and a coordinator's
// session, keep the organisation-wide view; a transfer moves the holder; in a match between
// two signals of one organisation each holder sees it from their own side.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../api.js';
import { isEngineError } from '../errors.js';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type OrgActor = Actor & { kind: 'organisation' };

async function setUp(config: { sameOrganisationMatching?: boolean } = {}) {
  h = await harness({ config });
  const a = await h.org('Jeugdzorg A');
  const b = await h.org('Schuldhulp B');
  const add = async (displayName: string, roles: ('professional' | 'organisation_coordinator')[]) =>
    (await h.engine.addPerson(admin, { organisationId: a.org.id, displayName, roles })).id;
  const p1 = await add('Een', ['professional']);
  const p2 = await add('Twee', ['professional']);
  const coordinatorId = await add('Coördinator', ['organisation_coordinator']);
  const session = (personId: string, personRole: 'professional' | 'organisation_coordinator'): OrgActor => ({
    ...a.actor,
    personId,
    personRole,
    session: true,
  });
  return {
    a,
    b,
    p1,
    p2,
    one: session(p1, 'professional'),
    two: session(p2, 'professional'),
    coordinator: session(coordinatorId, 'organisation_coordinator'),
  };
}

const notFound = (e: unknown) => isEngineError(e, 'not_found');
const revealsBy = async (personId: string) =>
  (await h.engine.logbook(1, 5000)).filter(
    (e) => e.action === 'match.revealed' && (e.actor as { personId?: string }).personId === personId,
  );

describe('need to know', () => {
  it('a colleague’s session: the inbox leaves the match out, every act on it or its signal is not_found', async () => {
    const { a, b, p2, one, two } = await setUp();
    const placed = await h.engine.placeSignal(one, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const [event] = (await h.engine.inbox(a.actor, undefined, 10)).items;
    const matchId = event!.matchId;

    expect((await h.engine.inbox(two, undefined, 10)).items).toEqual([]);
    expect(await revealsBy(p2)).toEqual([]);
    await expect(h.engine.getMatch(two, matchId)).rejects.toSatisfy(notFound);
    await expect(h.engine.recordFollowUp(two, matchId, 'contact_made')).rejects.toSatisfy(notFound);
    await expect(h.engine.regie(two, matchId, { action: 'propose', for: 'me' })).rejects.toSatisfy(notFound);
    await expect(h.engine.listAgreements(two, matchId)).rejects.toSatisfy(notFound);
    const id = placed.signal.id;
    await expect(h.engine.getSignal(two, id)).rejects.toSatisfy(notFound);
    await expect(h.engine.withdrawSignal(two, id, 'error')).rejects.toSatisfy(notFound);
    await expect(h.engine.updateInformed(two, id, { status: 'not_yet' })).rejects.toSatisfy(notFound);
    await expect(h.engine.getConsent(two, id)).rejects.toSatisfy(notFound);
    await expect(h.engine.archiveNotices(two, id)).rejects.toSatisfy(notFound);
    expect((await h.engine.listSignals(two, {})).items).toEqual([]);
    expect(await revealsBy(p2)).toEqual([]);
    expect((await h.engine.getSignal(a.actor, id)).status).toBe('active');

    // The holder sees it all; the colleague through the organisation's key (the case
    // system, which is the organisation) sees the organisation's.
    expect((await h.engine.inbox(one, undefined, 10)).items.map((i) => i.matchId)).toEqual([matchId]);
    expect((await h.engine.getMatch(one, matchId)).ownSignalId).toBe(id);
    const { session: _, ...onBehalf } = two;
    expect((await h.engine.getMatch(onBehalf, matchId)).ownSignalId).toBe(id);
  });

  it('a coordinator’s session lists the organisation’s signals; a transfer moves what each professional sees', async () => {
    const { a, b, p1, p2, one, two, coordinator } = await setUp();
    const placed = await h.engine.placeSignal(one, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const matchId = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!.matchId;
    const held = await h.engine.listSignals(coordinator, { personId: p1 });
    expect(held.items.map((s) => s.id)).toEqual([placed.signal.id]);
    // A professional's session cannot list by a colleague: answered like an unknown person.
    await expect(h.engine.listSignals(two, { personId: p1 })).rejects.toSatisfy((e: unknown) =>
      isEngineError(e, 'validation_failed'),
    );

    const contact = { name: 'Twee', role: 'consulent', email: 'twee@example.nl' };
    await h.engine.transferSignals(coordinator, [placed.signal.id], contact, p2);
    expect((await h.engine.inbox(two, undefined, 10)).items.map((i) => i.matchId)).toEqual([matchId]);
    expect((await h.engine.getMatch(two, matchId)).ownSignalId).toBe(placed.signal.id);
    expect((await h.engine.inbox(one, undefined, 10)).items).toEqual([]);
    await expect(h.engine.getMatch(one, matchId)).rejects.toSatisfy(notFound);
    await expect(h.engine.withdrawSignal(one, placed.signal.id, 'error')).rejects.toSatisfy(notFound);
    expect((await h.engine.listSignals(two, {})).items.map((s) => s.id)).toEqual([placed.signal.id]);
  });

  it('a match of two signals of one organisation: each holder sees it from their own side', async () => {
    const { one, two } = await setUp({ sameOrganisationMatching: true });
    const s1 = await h.engine.placeSignal(one, placement(10, { parents: [person(99)] }));
    const s2 = await h.engine.placeSignal(two, placement(11, { parents: [person(99)] }));
    const [m1] = (await h.engine.inbox(one, undefined, 10)).items;
    const [m2] = (await h.engine.inbox(two, undefined, 10)).items;
    expect(m1?.matchId).toBe(m2?.matchId);
    expect(m1?.match?.ownSignalId).toBe(s1.signal.id);
    expect(m2?.match?.ownSignalId).toBe(s2.signal.id);
    expect((await h.engine.getMatch(two, m2!.matchId)).counterpart.contact).toMatchObject(s1.signal.contact);
  });
});
