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

async function setUp(config: { sameOrganisationMatching?: boolean; coalescePlacements?: boolean } = {}) {
  h = await harness({ config });
  const a = await h.org('Jeugdzorg A');
  const b = await h.org('Schuldhulp B');
  const add = async (displayName: string, roles: ('professional' | 'organisation_coordinator')[]) =>
    (await h.engine.addPerson(admin, { organisationId: a.org.id, displayName, roles })).id;
  const p1 = await add('Een', ['professional']);
  const p2 = await add('Twee', ['professional']);
  const coordinatorId = await add('Coördinator', ['organisation_coordinator']);
  const both = await add('Beide', ['professional', 'organisation_coordinator']);
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
    coordinatorId,
    both,
    one: session(p1, 'professional'),
    two: session(p2, 'professional'),
    coordinator: session(coordinatorId, 'organisation_coordinator'),
  };
}

const notFound = (e: unknown) => isEngineError(e, 'not_found');
/** Where a reader of the inbox resumes: the cursor of the last event it read. */
const lastCursor = (page: { items: readonly { cursor: string }[] }) => page.items.at(-1)?.cursor;
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
    expect((await h.engine.inbox(two, undefined, 10)).items.map((i) => [i.type, i.matchId])).toEqual([
      ['match.created', matchId],
      ['match.updated', matchId],
    ]);
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

  it('a transfer names only a professional as recipient; anyone else changes nothing', async () => {
    const { a, p1, coordinatorId, both, one, coordinator } = await setUp();
    const placed = await h.engine.placeSignal(one, placement(1));
    const contact = { name: 'Coördinator', role: 'coördinator', email: 'coord@example.nl' };
    const before = (await h.engine.logbook(1, 5000)).length;
    const refused = await h.engine
      .transferSignals(coordinator, [placed.signal.id], contact, coordinatorId)
      .catch((e: unknown) => e);
    expect(isEngineError(refused, 'recipient_not_professional')).toBe(true);
    expect((refused as { fields: readonly string[] }).fields).toEqual(['personId']);
    expect((await h.engine.logbook(1, 5000)).length).toBe(before);
    expect((await h.engine.listSignals(coordinator, { personId: p1 })).items.map((s) => s.id)).toEqual([
      placed.signal.id,
    ]);
    expect((await h.engine.getSignal(one, placed.signal.id)).contact.name).toBe(placed.signal.contact.name);
    // A coordinator who is a professional too can hold it.
    await h.engine.transferSignals(coordinator, [placed.signal.id], contact, both);
    expect((await h.engine.listSignals(a.actor, { personId: both })).items).toHaveLength(1);
  });

  it('a placement never makes a non-professional the holder (defence in depth behind the route roles)', async () => {
    const { a, coordinatorId } = await setUp();
    const onBehalf: OrgActor = { ...a.actor, personId: coordinatorId, personRole: 'professional' };
    await expect(h.engine.placeSignal(onBehalf, placement(1))).rejects.toSatisfy((e: unknown) =>
      isEngineError(e, 'forbidden'),
    );
    expect((await h.engine.listSignals(a.actor, {})).items).toEqual([]);
  });

  it('the logbook names the recipient of a transfer by person id, so who holds a signal follows from the chain', async () => {
    const { a, p2, one, coordinator } = await setUp();
    const s1 = await h.engine.placeSignal(one, placement(1));
    const s2 = await h.engine.placeSignal(one, placement(2));
    const contact = { name: 'Twee', role: 'consulent', email: 'twee@example.nl' };
    await h.engine.transferSignals(coordinator, [s1.signal.id], contact, p2);
    await h.engine.transferSignals(coordinator, [s2.signal.id], contact);
    const entries = (await h.engine.logbook(1, 5000)).filter((e) => e.action === 'signal.transferred');
    expect(entries.map((e) => e.refs)).toEqual([
      { organisationId: a.org.id, keyId: a.actor.keyId, personId: p2, signalIds: s1.signal.id },
      { organisationId: a.org.id, keyId: a.actor.keyId, signalIds: s2.signal.id },
    ]);
    const text = JSON.stringify(entries);
    expect(text).not.toContain('Twee');
    expect(text).not.toContain('twee@example.nl');
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });

  it('the recipient’s inbox gets an event for each match it inherits, after its cursor', async () => {
    const { a, b, p2, one, two, coordinator } = await setUp();
    const placed = await h.engine.placeSignal(one, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const keyCursor = lastCursor(await h.engine.inbox(a.actor, undefined, 10));
    // The recipient has read their inbox before (a placement of their own with a match).
    await h.engine.placeSignal(two, placement(2));
    await h.engine.placeSignal(b.actor, placement(2));
    const seen = await h.engine.inbox(two, undefined, 10);
    expect(seen.items).toHaveLength(1);
    const matchId = (await h.engine.inbox(one, undefined, 10)).items[0]!.matchId;

    const contact = { name: 'Twee', role: 'consulent', email: 'twee@example.nl' };
    await h.engine.transferSignals(coordinator, [placed.signal.id], contact, p2);
    const after = await h.engine.inbox(two, lastCursor(seen), 10);
    expect(after.items.map((i) => [i.type, i.matchId, i.match?.ownSignalId])).toEqual([
      ['match.updated', matchId, placed.signal.id],
    ]);
    // The organisation's key sees the same one event; the counterpart its own.
    expect(
      (await h.engine.inbox(a.actor, keyCursor, 10)).items.map((i) => [i.type, i.matchId]),
    ).toContainEqual(['match.updated', matchId]);
    const counterpart = (await h.engine.inbox(b.actor, undefined, 10)).items;
    expect(counterpart.filter((i) => i.type === 'match.updated').map((i) => i.matchId)).toEqual([matchId]);
  });

  it('a match of two signals of one organisation: a transfer of one side, or of both, is one event in the one inbox', async () => {
    const { a, p2, one, coordinator } = await setUp({ sameOrganisationMatching: true });
    const s1 = await h.engine.placeSignal(one, placement(10, { parents: [person(99)] }));
    const s2 = await h.engine.placeSignal(one, placement(11, { parents: [person(99)] }));
    const contact = { name: 'Twee', role: 'r', phone: '0101234567' };
    let cursor = lastCursor(await h.engine.inbox(a.actor, undefined, 10));
    for (const ids of [[s1.signal.id], [s1.signal.id, s2.signal.id]]) {
      await h.engine.transferSignals(coordinator, ids, contact, p2);
      const page = await h.engine.inbox(a.actor, cursor, 10);
      expect(page.items.map((i) => i.type)).toEqual(['match.updated']);
      cursor = lastCursor(page);
    }
  });

  it('the existing outcome tells a person whether they hold the existing signal', async () => {
    const { a, one, two } = await setUp();
    await h.engine.placeSignal(one, placement(1));
    const colleague = await h.engine.placeSignal(two, placement(1));
    expect(colleague.outcome).toBe('existing');
    expect(colleague.heldByYou).toBe(false);
    const own = await h.engine.placeSignal(one, placement(1));
    expect([own.outcome, own.heldByYou]).toEqual(['existing', true]);
    const { session: _, ...onBehalf } = two;
    expect((await h.engine.placeSignal(onBehalf, placement(1))).heldByYou).toBe(false);
    const key = await h.engine.placeSignal(a.actor, placement(1));
    expect(key.outcome).toBe('existing');
    expect('heldByYou' in key).toBe(false);
    // No holder (the key placed alone): nobody's.
    await h.engine.placeSignal(a.actor, placement(3));
    expect((await h.engine.placeSignal(two, placement(3))).heldByYou).toBe(false);
    // The engine keeps the signal for in-process callers; the HTTP answer leaves it out
    // (server app-need-to-know.test.ts, docs/api.md "Need to know").
    expect((await h.engine.placeSignal(two, placement(1))).signal.contact).toEqual(colleague.signal.contact);
  });

  it('placements coalesced into one group answer heldByYou as alone (the first runs alone, the rest form a group)', async () => {
    const { one, two } = await setUp({ coalescePlacements: true });
    const first = placement(1);
    const before = h.store.stats().operations;
    const [placed, colleague, own, replay, colleagueReplay] = await Promise.all([
      h.engine.placeSignal(one, first),
      h.engine.placeSignal(two, placement(1)),
      h.engine.placeSignal(one, placement(1)),
      h.engine.placeSignal(one, first),
      h.engine.placeSignal(two, first),
    ]);
    // Grouped: fewer writes than placements.
    expect(h.store.stats().operations - before).toBeLessThan(5);
    expect([placed.outcome, placed.heldByYou]).toEqual(['created', undefined]);
    expect([colleague.outcome, colleague.heldByYou]).toEqual(['existing', false]);
    expect([own.outcome, own.heldByYou]).toEqual(['existing', true]);
    expect([replay.outcome, replay.heldByYou]).toEqual(['replayed', true]);
    expect([colleagueReplay.outcome, colleagueReplay.heldByYou]).toEqual(['replayed', false]);
  });

  it('a colleague refused by a signal made in the same group is answered, the group with it, and may ask for it', async () => {
    const { b, one, two, coordinator } = await setUp({ coalescePlacements: true });
    const refused = placement(1);
    // The first runs alone; the rest queue behind it and form one group, in which one's
    // signal is made and two's placement for the same person is answered by it.
    const answers = await Promise.allSettled([
      h.engine.placeSignal(one, placement(7)),
      h.engine.placeSignal(one, placement(1)),
      h.engine.placeSignal(two, refused),
      h.engine.placeSignal(b.actor, placement(3)),
    ]);
    expect(
      answers.map((r) => (r.status === 'fulfilled' ? [r.value.outcome, r.value.heldByYou] : [r.reason])),
    ).toEqual([
      ['created', undefined],
      ['created', undefined],
      ['existing', false],
      ['created', undefined],
    ]);
    // The refusal was kept: two may ask, and the coordinator sees it.
    await h.engine.requestHandover(two, refused.requestId);
    expect(await h.engine.listHandoverRequests(coordinator)).toHaveLength(1);
  });

  it('a replayed placement tells a person whether they still hold the signal after a transfer', async () => {
    const { a, p2, one, two, coordinator } = await setUp();
    const first = placement(1);
    const placed = await h.engine.placeSignal(one, first);
    expect([placed.outcome, placed.heldByYou]).toEqual(['created', undefined]);
    expect((await h.engine.placeSignal(one, first)).heldByYou).toBe(true);
    await h.engine.transferSignals(coordinator, [placed.signal.id], first.contact, p2);
    const replay = await h.engine.placeSignal(one, first);
    expect([replay.outcome, replay.heldByYou]).toEqual(['replayed', false]);
    expect((await h.engine.placeSignal(two, first)).heldByYou).toBe(true);
    expect('heldByYou' in (await h.engine.placeSignal(a.actor, first))).toBe(false);
  });
});
