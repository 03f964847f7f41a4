// A restriction (GDPR art. 18) withholds the contact on existing matches (docs/engine.md
// "What a match reveals"; docs/privacy.md §2, art. 18): while a signal is restricted neither
// party of its matches sees the other's contact — in the match and in every inbox view —
// both are told by match.updated, and `restricted` tells the reason apart from an objection
// and from an ended counterpart. Lifting shows the contacts again. A webhook payload and a
// match notice e-mail carry no contact at all.

import { afterEach, describe, expect, it } from 'vitest';
import type { Contact, MatchView } from '../api.js';
import {
  admin,
  type Harness,
  harness,
  type OrgHandle,
  optedInProfessional,
  person,
  placement,
} from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** A's contact: none of it may reach B while the person is restricted. */
const RESTRICTED: Contact = {
  name: 'Rita Beperkt',
  role: 'gezinscoach',
  phone: '+31 10 999 0003',
  email: 'rita@a.example.nl',
};
const leaks = (v: unknown) =>
  ['Rita Beperkt', 'gezinscoach', '999 0003', 'rita@a.example.nl'].some((x) => JSON.stringify(v).includes(x));

const lastCursor = async (o: OrgHandle) =>
  (await h.engine.inbox(o.actor, undefined, 100)).items.at(-1)!.cursor;
const newEvents = async (o: OrgHandle, after: string) => (await h.engine.inbox(o.actor, after, 100)).items;

/** A (contact RESTRICTED) and B, both with a webhook, matched about person 1; deliveries so far sent. */
async function pair() {
  h = await harness();
  const a = await h.org('A', { webhookUrl: 'https://a.example.nl/hook' });
  const b = await h.org('B', { webhookUrl: 'https://b.example.nl/hook' });
  await h.engine.placeSignal(a.actor, placement(1, { contact: RESTRICTED }));
  h.clock.advance(1000);
  await h.engine.placeSignal(b.actor, placement(1));
  const matchId = (await h.engine.inbox(b.actor, undefined, 10)).items[0]!.matchId;
  expect((await h.engine.getMatch(b.actor, matchId)).counterpart.contact).toEqual(RESTRICTED);
  for (const d of await h.engine.claimDeliveries(10, 70_000)) {
    await h.engine.recordDeliveryAttempt(d.id, d.claim, { ok: true });
  }
  return { a, b, matchId };
}

const withheld = (why: Partial<MatchView>) => ({
  status: 'active',
  counterpart: { contact: null },
  underObjection: false,
  restricted: false,
  ...why,
});

describe('a restricted signal’s matches reveal no contact', () => {
  it('to either party, in the match and the inbox, told by match.updated; lifting shows it again', async () => {
    const { a, b, matchId } = await pair();
    const [fromA, fromB] = [await lastCursor(a), await lastCursor(b)];

    expect(await h.engine.gdprRestrict(admin, person(1), true)).toEqual({ signals: 2, parentLinks: 0 });
    for (const o of [a, b]) {
      expect(await h.engine.getMatch(o.actor, matchId)).toMatchObject(withheld({ restricted: true }));
    }
    const told = await newEvents(b, fromB);
    expect(told.map((e) => e.type)).toEqual(['match.updated']);
    expect(told[0]!.match).toMatchObject(withheld({ restricted: true }));
    expect((await newEvents(a, fromA)).map((e) => e.type)).toEqual(['match.updated']);
    // Every inbox view of the match reads it as it is now: match.created too.
    const inbox = await h.engine.inbox(b.actor, undefined, 100);
    expect(inbox.items.map((e) => e.type)).toEqual(['match.created', 'match.updated']);
    expect(leaks(inbox)).toBe(false);
    expect(leaks(await h.engine.getMatch(b.actor, matchId))).toBe(false);
    // A webhook says only that something changed, with ids: never a contact.
    const due = await h.engine.claimDeliveries(10, 70_000);
    expect(due.map((d) => [d.organisationId, d.payload.type]).sort()).toEqual(
      [
        [a.org.id, 'match.updated'],
        [b.org.id, 'match.updated'],
      ].sort(),
    );
    for (const d of due) expect(Object.keys(d.payload).sort()).toEqual(['cursor', 'matchId', 'type']);
    expect(leaks(due)).toBe(false);

    expect(await h.engine.gdprRestrict(admin, person(1), false)).toEqual({ signals: 2, parentLinks: 0 });
    const shown = await h.engine.getMatch(b.actor, matchId);
    expect(shown).toMatchObject({ status: 'active', restricted: false, underObjection: false });
    expect(shown.counterpart.contact).toEqual(RESTRICTED);
    expect((await h.engine.getMatch(a.actor, matchId)).counterpart.contact).toEqual(placement(1).contact);
    expect((await newEvents(b, fromB)).map((e) => e.type)).toEqual(['match.updated', 'match.updated']);
  });

  it('a family match: neither the restricted child’s side nor the sibling’s sees the other’s contact', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.placeSignal(a.actor, placement(10, { parents: [person(99)], contact: RESTRICTED }));
    h.clock.advance(1000);
    await h.engine.placeSignal(b.actor, placement(11, { parents: [person(99)] }));
    const matchId = (await h.engine.inbox(b.actor, undefined, 10)).items[0]!.matchId;
    expect(await h.engine.getMatch(b.actor, matchId)).toMatchObject({ kind: 'family', restricted: false });

    // Only child 10's signal is restricted; the sibling's stays live and unrestricted.
    expect(await h.engine.gdprRestrict(admin, person(10), true)).toEqual({ signals: 1, parentLinks: 0 });
    for (const o of [a, b]) {
      expect(await h.engine.getMatch(o.actor, matchId)).toMatchObject(withheld({ restricted: true }));
      expect(leaks(await h.engine.inbox(o.actor, undefined, 100))).toBe(false);
    }
    await h.engine.gdprRestrict(admin, person(10), false);
    expect((await h.engine.getMatch(a.actor, matchId)).counterpart.contact).toEqual(placement(11).contact);
    expect((await h.engine.getMatch(b.actor, matchId)).counterpart.contact).toEqual(RESTRICTED);
  });

  it('tells a restriction apart from an objection and from an ended counterpart', async () => {
    const { a, b, matchId } = await pair();
    const seen = () => h.engine.getMatch(b.actor, matchId);
    await h.engine.gdprObject(admin, person(1), { status: 'pending', receivedOn: '2026-01-15' });
    expect(await seen()).toMatchObject(withheld({ underObjection: true }));
    await h.engine.gdprRestrict(admin, person(1), true);
    expect(await seen()).toMatchObject(withheld({ underObjection: true, restricted: true }));
    // The objection rejected, the restriction still holds the contact back.
    await h.engine.gdprObject(admin, person(1), 'rejected');
    expect(await seen()).toMatchObject(withheld({ restricted: true }));
    await h.engine.gdprRestrict(admin, person(1), false);
    expect((await seen()).counterpart.contact).toEqual(RESTRICTED);
    // Ended: null without either flag.
    const own = (await h.engine.getMatch(a.actor, matchId)).ownSignalId;
    await h.engine.withdrawSignal(a.actor, own, 'ended');
    expect(await seen()).toMatchObject(withheld({ status: 'ended' }));
  });

  it('a match notice e-mail queued before the restriction names no contact', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const personId = await optedInProfessional(h, b, 'Bas Ontvanger', 'bas@b.example.nl');
    await h.engine.placeSignal(a.actor, placement(1, { contact: RESTRICTED }));
    await h.engine.placeSignal({ ...b.actor, personId, personRole: 'professional' }, placement(1));
    await h.engine.gdprRestrict(admin, person(1), true);
    const mail = await h.engine.claimMailNotices(10, 70_000);
    expect(mail.map((m) => m.to)).toEqual(['bas@b.example.nl']);
    expect(leaks(mail)).toBe(false);
  });
});
