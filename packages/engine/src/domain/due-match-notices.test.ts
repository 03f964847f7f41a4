// A match whose signal is due (past its expiresAt, the expiry not yet recorded) reads as ended
// (views.ts `matchAsRecorded`; docs/engine.md "The life of a signal"), so nothing is told about
// it: its match notice e-mail is dropped at send time (mail-notices.ts `recipient`), and a
// consent or an objection gives no `match.updated` (consent.ts `notifyCounterparts`, gdpr.ts
// `notifyMatches`). Each case checks that the stored match is still active, so only the due
// check can be what stops the notice.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../api.js';
import {
  admin,
  type Harness,
  harness,
  type OrgHandle,
  optedInProfessional,
  person,
  placement,
} from '../testing/harness.js';

type OrgActor = Actor & { kind: 'organisation' };

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const END_DATE = '2026-01-20';
const EXPIRES_AT = Date.UTC(2026, 0, 20, 23, 59, 59, 999);

/** A (signal ending on END_DATE, placed by `asA`) matched with B (a two-year signal). */
async function expiringPair(asA?: (a: OrgHandle) => Promise<OrgActor>) {
  const [a, b] = [await h.org('A'), await h.org('B')];
  await h.engine.placeSignal(asA === undefined ? a.actor : await asA(a), placement(1, { endDate: END_DATE }));
  h.clock.advance(1000);
  const sb = await h.engine.placeSignal(b.actor, placement(1));
  const matchId = (await h.engine.inbox(b.actor, undefined, 10)).items[0]!.matchId;
  return { a, b, sb, matchId };
}

/** Due but not recorded: the stored match is active, a read shows it ended. */
async function dueNotRecorded(o: OrgHandle, matchId: string) {
  h.clock.now = EXPIRES_AT + 1000;
  expect((await h.store.read((tx) => tx.getMatch(matchId)))?.status).toBe('active');
  expect((await h.engine.getMatch(o.actor, matchId)).status).toBe('ended');
}

const eventTypes = async (o: OrgHandle) =>
  (await h.engine.inbox(o.actor, undefined, 100)).items.map((e) => e.type);

describe('no notice about a match whose signal is due', () => {
  it('its match notice e-mail is dropped as match_ended, never claimed for sending', async () => {
    h = await harness();
    let personId = '';
    const { b, matchId } = await expiringPair(async (a) => {
      personId = await optedInProfessional(h, a, 'Ria Verloop', 'ria@a.example.nl');
      return { ...a.actor, personId, personRole: 'professional' };
    });
    expect(await h.engine.listMailNotices({ status: 'pending' })).toEqual([
      expect.objectContaining({ personId, matchId }),
    ]);
    await dueNotRecorded(b, matchId);
    expect(await h.engine.claimMailNotices(10, 70_000)).toEqual([]);
    expect(await h.engine.listMailNotices({ status: 'dropped' })).toEqual([
      expect.objectContaining({ matchId, lastErrorCode: 'match_ended' }),
    ]);
  });

  it("a consent on the live side tells the due side's organisation nothing", async () => {
    h = await harness();
    const { a, b, sb, matchId } = await expiringPair();
    const before = await eventTypes(a);
    await dueNotRecorded(b, matchId);
    await h.engine.recordConsent(b.actor, sb.signal.id, { date: '2026-01-20', scopes: ['team_meeting'] });
    await h.engine.withdrawConsent(b.actor, sb.signal.id);
    expect(await eventTypes(a)).toEqual(before);
  });

  it('an objection to the person tells neither party about the match', async () => {
    h = await harness();
    const { a, b, matchId } = await expiringPair();
    const before = [await eventTypes(a), await eventTypes(b)];
    await dueNotRecorded(b, matchId);
    await h.engine.gdprObject(admin, person(1), { status: 'pending', receivedOn: '2026-01-21' });
    await h.engine.gdprObject(admin, person(1), { status: 'rejected' });
    expect([await eventTypes(a), await eventTypes(b)]).toEqual(before);
  });
});
