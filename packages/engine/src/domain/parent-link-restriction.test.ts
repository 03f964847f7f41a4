// A restriction (GDPR art. 18) or a pending objection (art. 21) reaches the person's parent
// links (docs/engine.md "GDPR requests (municipality only)"; docs/privacy.md "Restriction and
// existing matches"): while it holds, a child's signal that names the person as a parent makes
// no family match through that parent, and a family match that exists only through the
// person's links reveals no contact to either party and says why; both parties are told by
// match.updated. The child's own processing is untouched: its signal keeps matching on the
// child's own value and on a free other parent. Lifting, or a rejected objection, shows the
// contacts again and catches up.

import { afterEach, describe, expect, it } from 'vitest';
import type { Contact, MatchView } from '../api.js';
import { admin, type Harness, harness, type OrgHandle, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const CHILD: Contact = { name: 'Kees Kind', role: 'jeugdarts', phone: '+31 10 999 0010' };
const leaks = (v: unknown) => ['Kees Kind', '999 0010'].some((x) => JSON.stringify(v).includes(x));

const withheld = (why: Partial<MatchView>) => ({
  status: 'active',
  kind: 'family',
  counterpart: { contact: null },
  underObjection: false,
  restricted: false,
  ...why,
});

const matchesOf = async (o: OrgHandle) =>
  (await h.engine.inbox(o.actor, undefined, 100)).items.filter((e) => e.type === 'match.created');
const lastCursor = async (o: OrgHandle) =>
  (await h.engine.inbox(o.actor, undefined, 100)).items.at(-1)!.cursor;
const typesAfter = async (o: OrgHandle, after: string) =>
  (await h.engine.inbox(o.actor, after, 100)).items.map((e) => e.type);

/** A: child 10 (contact CHILD) with parent 99; B: sibling 11 with parent 99 — one family match. */
async function siblings() {
  h = await harness();
  const [a, b] = [await h.org('A'), await h.org('B')];
  await h.engine.placeSignal(a.actor, placement(10, { parents: [person(99)], contact: CHILD }));
  h.clock.advance(1000);
  await h.engine.placeSignal(b.actor, placement(11, { parents: [person(99)] }));
  const matchId = (await matchesOf(b))[0]!.matchId!;
  expect(await h.engine.getMatch(b.actor, matchId)).toMatchObject({ kind: 'family', restricted: false });
  return { a, b, matchId };
}

describe('restriction and objection reach the parent links', () => {
  it('a family match only through the restricted parent withholds both contacts, told by match.updated; lifting shows them', async () => {
    const { a, b, matchId } = await siblings();
    const [fromA, fromB] = [await lastCursor(a), await lastCursor(b)];
    // Parent 99 has no signal of their own: the restriction acts on their links only.
    // The answer counts the links it held (docs/api.md "Admin (municipality) routes").
    expect(await h.engine.gdprRestrict(admin, person(99), true)).toEqual({ signals: 0, parentLinks: 2 });
    expect(await h.engine.gdprRestrict(admin, person(99), true)).toEqual({ signals: 0, parentLinks: 0 });
    for (const o of [a, b]) {
      expect(await h.engine.getMatch(o.actor, matchId)).toMatchObject(withheld({ restricted: true }));
      expect(leaks(await h.engine.inbox(o.actor, undefined, 100))).toBe(false);
    }
    expect(await typesAfter(a, fromA)).toEqual(['match.updated']);
    expect(await typesAfter(b, fromB)).toEqual(['match.updated']);
    // Agreements on it are refused as on a restricted signal's match.
    await expect(
      h.engine.addAgreement(b.actor, matchId, {
        owner: 'me',
        actionKind: 'home_visit',
        informationCategory: 'housing',
        purpose: 'prevent_eviction',
        dueDate: '2026-02-01',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });

    const [againA, againB] = [await lastCursor(a), await lastCursor(b)];
    expect(await h.engine.gdprRestrict(admin, person(99), false)).toEqual({ signals: 0, parentLinks: 2 });
    expect((await h.engine.getMatch(b.actor, matchId)).counterpart.contact).toEqual(CHILD);
    expect(await h.engine.getMatch(a.actor, matchId)).toMatchObject({ restricted: false });
    expect(await typesAfter(a, againA)).toEqual(['match.updated']);
    expect(await typesAfter(b, againB)).toEqual(['match.updated']);
  });

  it('a held link makes no new family match; the child keeps matching on its own value and the other parent; lifting catches up', async () => {
    const { a, b } = await siblings();
    const c = await h.org('C');
    const d = await h.org('D');
    await h.engine.gdprRestrict(admin, person(99), true);
    // A new sibling naming only parent 99 inherits the hold: no family match.
    await h.engine.placeSignal(c.actor, placement(12, { parents: [person(99)] }));
    expect(await matchesOf(c)).toEqual([]);
    // A half-sibling through a free parent (98) and 99: a family match through 98.
    await h.engine.placeSignal(d.actor, placement(13, { parents: [person(99), person(98)] }));
    await h.engine.placeSignal((await h.org('E')).actor, placement(14, { parents: [person(98)] }));
    // Child 10's own value still matches (a person match, contact shown).
    await h.engine.placeSignal(c.actor, placement(10));
    const person10 = (await matchesOf(c)).map((e) => e.matchId!);
    expect(person10).toHaveLength(1);
    expect(await h.engine.getMatch(c.actor, person10[0]!)).toMatchObject({
      kind: 'person',
      restricted: false,
      counterpart: { contact: CHILD },
    });
    const dMatches = await matchesOf(d);
    expect(dMatches).toHaveLength(1);
    expect(await h.engine.getMatch(d.actor, dMatches[0]!.matchId!)).toMatchObject({
      kind: 'family',
      restricted: false,
    });
    expect((await matchesOf(a)).length).toBe(2);
    expect((await matchesOf(b)).length).toBe(1);

    await h.engine.gdprRestrict(admin, person(99), false);
    // Caught up: 12 with 10 and 11, 13 with 10, 11 and 12 (14 and 13 already matched).
    expect((await matchesOf(a)).length).toBe(4);
    expect((await matchesOf(b)).length).toBe(3);
  });

  it('a parent restricted as a subject holds a new child signal’s link to them', async () => {
    h = await harness();
    const [a, b, p] = [await h.org('A'), await h.org('B'), await h.org('P')];
    await h.engine.placeSignal(p.actor, placement(99));
    await h.engine.gdprRestrict(admin, person(99), true);
    await h.engine.placeSignal(a.actor, placement(10, { parents: [person(99)] }));
    await h.engine.placeSignal(b.actor, placement(11, { parents: [person(99)] }));
    expect(await matchesOf(b)).toEqual([]);
    await h.engine.gdprRestrict(admin, person(99), false);
    expect((await matchesOf(b)).length).toBe(1);
  });

  it('a pending objection says under objection; a rejected one shows the contact and catches up', async () => {
    const { a, b, matchId } = await siblings();
    const c = await h.org('C');
    expect(
      await h.engine.gdprObject(admin, person(99), { status: 'pending', receivedOn: '2026-01-15' }),
    ).toEqual({ signals: 0, parentLinks: 2, onTime: true });
    for (const o of [a, b]) {
      expect(await h.engine.getMatch(o.actor, matchId)).toMatchObject(withheld({ underObjection: true }));
    }
    await h.engine.placeSignal(c.actor, placement(12, { parents: [person(99)] }));
    expect(await matchesOf(c)).toEqual([]);
    // The desk's restriction beside it: both reasons, then the one left.
    await h.engine.gdprRestrict(admin, person(99), true);
    expect(await h.engine.getMatch(b.actor, matchId)).toMatchObject(
      withheld({ underObjection: true, restricted: true }),
    );
    await h.engine.gdprObject(admin, person(99), 'rejected');
    expect(await h.engine.getMatch(b.actor, matchId)).toMatchObject(withheld({ restricted: true }));
    expect(await matchesOf(c)).toEqual([]);
    await h.engine.gdprRestrict(admin, person(99), false);
    expect((await h.engine.getMatch(b.actor, matchId)).counterpart.contact).toEqual(CHILD);
    expect((await matchesOf(c)).length).toBe(2);
  });
});
