// The access answer's follow-up, regie and agreements are only what is about the person
// (docs/privacy.md §2 art. 15): on a family match of their own signal the other side is a
// sibling, so its follow-up and agreements stay out; on a family match they are in as a parent
// only (`via: 'parent'`) all of it is the children's care and stays out. Runs on both stores
// (vitest.domain-pg.config.ts).

import { afterEach, describe, expect, it } from 'vitest';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const AGREEMENT = { actionKind: 'home_visit', purpose: 'assess_need', dueDate: '2026-02-01' } as const;

describe('GDPR access: what of a family match is the person’s', () => {
  it('reports only the own side of a family match, and none of it to the parent', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    // Two children of person 1: A's signal on child 5, B's on child 6 → one family match.
    await h.engine.placeSignal(a.actor, placement(5, { parents: [person(1)] }));
    await h.engine.placeSignal(b.actor, placement(6, { parents: [person(1)] }));
    const matchId = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!.matchId;
    const mineA = await h.engine.addAgreement(a.actor, matchId, {
      ...AGREEMENT,
      owner: 'me',
      informationCategory: 'school_and_education',
    });
    await h.engine.addAgreement(b.actor, matchId, {
      ...AGREEMENT,
      owner: 'me',
      informationCategory: 'health',
    });
    await h.engine.recordFollowUp(a.actor, matchId, 'contact_made');
    h.clock.advance(1000);
    await h.engine.recordFollowUp(b.actor, matchId, 'already_in_contact');
    const regie = (await h.engine.getMatch(a.actor, matchId)).regie;
    expect(regie.holder).toBe('me');

    const child = await h.engine.gdprAccess(admin, person(5));
    expect(child.matches).toHaveLength(1);
    const m = child.matches[0]!;
    expect(m).toMatchObject({ kind: 'family', via: 'signal' });
    const [ia, ib] = [m.organisationNames.indexOf('A'), m.organisationNames.indexOf('B')];
    expect(m.followUp[ia]).toEqual({ outcome: 'contact_made', at: h.clock.now - 1000 });
    expect(m.followUp[ib]).toBeNull();
    expect(m.regie).toEqual({ holder: ia, since: expect.any(Number) });
    expect(m.agreements.map((x) => [x.agreementId, x.owner, x.informationCategory])).toEqual([
      [mineA.id, ia, 'school_and_education'],
    ]);
    expect(JSON.stringify(child)).not.toContain('health');

    const parent = await h.engine.gdprAccess(admin, person(1));
    expect(parent.matches).toHaveLength(1);
    expect(parent.matches[0]).toMatchObject({
      matchId,
      via: 'parent',
      followUp: [null, null],
      regie: null,
      agreements: [],
    });
  });

  it('a person match keeps both sides', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const matchId = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!.matchId;
    const x = await h.engine.addAgreement(a.actor, matchId, {
      ...AGREEMENT,
      owner: 'counterpart',
      informationCategory: 'health',
    });
    await h.engine.recordFollowUp(a.actor, matchId, 'contact_made');
    await h.engine.recordFollowUp(b.actor, matchId, 'contact_made');
    const [m] = (await h.engine.gdprAccess(admin, person(1))).matches;
    const ib = m!.organisationNames.indexOf('B');
    expect(m!.followUp.every((f) => f?.outcome === 'contact_made')).toBe(true);
    expect(m!.agreements.map((y) => [y.agreementId, y.owner])).toEqual([[x.id, ib]]);
  });
});
