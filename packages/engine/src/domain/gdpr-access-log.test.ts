// The access report's "who received or viewed" (docs/privacy.md "Who saw the signal"): the
// other party's organisation received the match, a professional who viewed it is named
// with organisation and role, an organisation key alone is 'organisation', the GDPR desk
// is listed by role only; in a family match the citizen's own organisation viewing the
// sibling's signal is NOT in this citizen's report (another citizen's data), and the
// sibling's report does not list views of the sibling's own organisation either.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../api.js';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const newestMatch = async () => {
  const created = (await h.engine.logbook(1, 5000)).filter((e) => e.action === 'match.created');
  return created[created.length - 1]!.refs.matchId!;
};

describe('access report: who received or viewed the signal', () => {
  it('lists receipt and views by organisation, role and professional name; the GDPR desk by role', async () => {
    h = await harness();
    const a = await h.org('Jeugdzorg A');
    const b = await h.org('Schuldhulp B');
    const pb = await h.engine.addPerson(admin, {
      organisationId: b.org.id,
      displayName: 'Bram Bekijker',
      roles: ['professional'],
    });
    const desk = await h.engine.addPerson(admin, {
      organisationId: null,
      displayName: 'Dina Desk',
      roles: ['gdpr_desk'],
    });
    await h.engine.placeSignal(a.actor, placement(1));
    h.clock.advance(1000);
    await h.engine.placeSignal(b.actor, placement(1));
    const m = await newestMatch();
    h.clock.advance(1000);
    await h.engine.getMatch({ ...b.actor, personId: pb.id, personRole: 'professional' }, m);
    await h.engine.getMatch(a.actor, m);
    const asDesk: Actor = { kind: 'admin', keyId: 'admin-key', personId: desk.id, personRole: 'gdpr_desk' };
    await h.engine.gdprAccess(asDesk, person(1));
    const r = await h.engine.gdprAccess(admin, person(1));
    expect(r.access.map((x) => [x.kind, x.organisationName, x.role, x.personName])).toEqual([
      ['received', 'Jeugdzorg A', 'organisation', null],
      ['received', 'Schuldhulp B', 'organisation', null],
      ['viewed', 'Schuldhulp B', 'professional', 'Bram Bekijker'],
      ['viewed', 'Jeugdzorg A', 'organisation', null],
      ['viewed', null, 'gdpr_desk', null],
    ]);
    expect(r.access[2]).toMatchObject({ matchId: m, organisationId: b.org.id });
    expect(JSON.stringify(r)).not.toContain('Dina Desk');
  });

  it('a family match: the citizen’s report never lists what concerns the sibling', async () => {
    h = await harness();
    const a = await h.org('School A');
    const b = await h.org('Wijkteam B');
    // Child 1 (org A) and child 2 (org B) share parent 100.
    await h.engine.placeSignal(a.actor, placement(1, { parents: [person(100)] }));
    await h.engine.placeSignal(b.actor, placement(2, { parents: [person(100)] }));
    const m = await newestMatch();
    await h.engine.getMatch(a.actor, m); // A sees B's signal about child 2
    await h.engine.getMatch(b.actor, m); // B sees A's signal about child 1
    const child1 = await h.engine.gdprAccess(admin, person(1));
    expect(child1.access.map((x) => [x.kind, x.organisationName])).toEqual([
      ['received', 'Wijkteam B'],
      ['viewed', 'Wijkteam B'],
    ]);
    const child2 = await h.engine.gdprAccess(admin, person(2));
    expect(child2.access.map((x) => [x.kind, x.organisationName])).toEqual([
      ['received', 'School A'],
      ['viewed', 'School A'],
    ]);
  });

  it('a citizen without signals has an empty list', async () => {
    h = await harness();
    const a = await h.org();
    await h.engine.placeSignal(a.actor, placement(3));
    expect((await h.engine.gdprAccess(admin, person(4))).access).toEqual([]);
  });
});
