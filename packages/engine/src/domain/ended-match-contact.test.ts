// What an ended match still reveals (docs/engine.md "What a match reveals"): a counterpart's
// contact is shown only while its signal is live. Whichever way the counterpart's involvement
// ends — withdrawn as ended, withdrawn in error, erased, ended by a forced key retirement or
// expired — nothing of its contact reaches the other side any more, in the match and in the
// inbox's views; the follow-up stays recordable on the ended match.

import { afterEach, describe, expect, it } from 'vitest';
import { admin, type Harness, harness, type OrgHandle, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The ending side's contact: none of it may reach the counterpart once its involvement ended. */
const ENDING = { name: 'Een Dinger', role: 'ambulant', phone: '+31 10 999 0002', email: 'ed@a.example.nl' };
const leaks = (v: unknown) =>
  ['Een Dinger', 'ambulant', '999 0002', 'ed@a.example.nl'].some((x) => JSON.stringify(v).includes(x));

/** A (under epoch 1 only) matched with B (epochs 1 and 2); B sees A's contact while both are live. */
async function pair() {
  h = await harness();
  await h.engine.registerEpoch(admin, 2);
  const [a, b] = [await h.org('A'), await h.org('B')];
  const sa = await h.engine.placeSignal(a.actor, placement(1, { contact: ENDING }));
  h.clock.advance(1000);
  await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [1, 2]) }));
  const matchId = (await h.engine.inbox(b.actor, undefined, 10)).items[0]!.matchId;
  expect((await h.engine.getMatch(b.actor, matchId)).counterpart.contact).toEqual(ENDING);
  return { a, b, signalId: sa.signal.id, matchId };
}

const seenBy = async (o: OrgHandle, matchId: string) => ({
  match: await h.engine.getMatch(o.actor, matchId).catch((e: { code?: string }) => e.code),
  inbox: await h.engine.inbox(o.actor, undefined, 100),
});

describe('an ended match shows the counterpart’s contact only while its signal is live', () => {
  const ways: [string, (a: OrgHandle, signalId: string) => Promise<unknown>][] = [
    ['withdrawn: involvement ended', (a, id) => h.engine.withdrawSignal(a.actor, id, 'ended')],
    [
      'ended by a forced retirement of its only key epoch',
      () => h.engine.retireEpoch(admin, 1, { force: true }),
    ],
    ['withdrawn: placed in error', (a, id) => h.engine.withdrawSignal(a.actor, id, 'error')],
    ['erased by the GDPR desk', () => h.engine.gdprErase(admin, person(1, [1, 2]))],
  ];
  it('whichever way its involvement ends, nothing of its contact reaches the counterpart', async () => {
    for (const [how, end] of ways) {
      await h?.close();
      const { a, b, signalId, matchId } = await pair();
      await end(a, signalId);
      const seen = await seenBy(b, matchId);
      expect(leaks(seen), how).toBe(false);
      if (typeof seen.match === 'string') {
        // Removed with the signal: not found, and the inbox keeps no view of it.
        expect(seen.match, how).toBe('not_found');
        expect(seen.inbox.items.at(-1), how).toMatchObject({ type: 'match.removed', match: null });
        continue;
      }
      expect(seen.match, how).toMatchObject({
        status: 'ended',
        counterpart: { organisationName: 'A', contact: null },
        underObjection: false,
      });
      expect(
        seen.inbox.items.map((e) => e.type),
        how,
      ).toEqual(['match.created', 'match.ended']);
      // The follow-up of the ended match stays recordable, still without the contact.
      const v = await h.engine.recordFollowUp(b.actor, matchId, 'contact_made');
      expect(v, how).toMatchObject({
        counterpart: { contact: null },
        followUp: { mine: { outcome: 'contact_made' } },
      });
      expect(leaks(v), how).toBe(false);
    }
  });

  it('the side whose own signal ended still sees its live counterpart’s contact', async () => {
    const { a, b, signalId, matchId } = await pair();
    await h.engine.withdrawSignal(a.actor, signalId, 'ended');
    const own = await h.engine.getMatch(a.actor, matchId);
    expect(own).toMatchObject({ status: 'ended', counterpart: { organisationName: 'B' } });
    expect(own.counterpart.contact).toEqual(placement(1).contact);
    // Once B's signal ends too, A sees no contact either.
    const bSignal = (await h.engine.getMatch(b.actor, matchId)).ownSignalId;
    await h.engine.withdrawSignal(b.actor, bSignal, 'ended');
    expect((await h.engine.getMatch(a.actor, matchId)).counterpart.contact).toBeNull();
  });
});
