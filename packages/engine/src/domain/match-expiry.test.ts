// A match whose signal (either side) has passed its expiresAt is ended from that instant,
// whether or not retention (or a placement) has recorded the expiry yet (docs/engine.md
// "The life of a signal"): every read shows it ended, the counterpart no longer sees the
// expired side's contact details, every action refused on an ended match is refused on it,
// and the statistics and gauges count it ended. What a read answers before the expiry is
// recorded is what it answers after.

import { afterEach, describe, expect, it } from 'vitest';
import type { AgreementInput } from '../api.js';
import { admin, DAY, type Harness, harness, type OrgHandle, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const END_DATE = '2026-01-20';
const EXPIRES_AT = Date.UTC(2026, 0, 20, 23, 59, 59, 999);

const agreement: AgreementInput = {
  owner: 'me',
  actionKind: 'home_visit',
  informationCategory: 'housing',
  purpose: 'prevent_eviction',
  dueDate: '2026-03-01',
};

/** The expiring side's contact: none of it may reach the counterpart once expired. */
const EXPIRING = { name: 'Ex Piring', role: 'ambulant', phone: '+31 10 999 0001', email: 'ex@a.example.nl' };
const leaks = (v: unknown) =>
  ['Ex Piring', 'ambulant', '999 0001', 'ex@a.example.nl'].some((x) => JSON.stringify(v).includes(x));

/** A (signal ending on END_DATE) matched with B (a two-year signal); B sees the match. */
async function expiringPair() {
  h = await harness();
  const [a, b] = [await h.org('A'), await h.org('B')];
  const sa = await h.engine.placeSignal(a.actor, placement(1, { endDate: END_DATE, contact: EXPIRING }));
  h.clock.advance(1000);
  await h.engine.placeSignal(b.actor, placement(1));
  const matchId = (await h.engine.inbox(b.actor, undefined, 10)).items[0]!.matchId;
  return { a, b, sa, matchId };
}

const eventTypes = async (o: OrgHandle) =>
  (await h.engine.inbox(o.actor, undefined, 100)).items.map((e) => e.type);

describe('a match with an expired signal before retention runs', () => {
  it('reads as ended and the counterpart sees no contact detail of the expired side, before and after retention', async () => {
    const { a, b, matchId } = await expiringPair();
    h.clock.now = EXPIRES_AT - 1;
    const live = await h.engine.getMatch(b.actor, matchId);
    expect(live).toMatchObject({ status: 'active', counterpart: { organisationName: 'A' } });
    expect(live.counterpart.contact).toEqual(EXPIRING);

    h.clock.now = EXPIRES_AT;
    const seen = await h.engine.getMatch(b.actor, matchId);
    expect(seen).toMatchObject({
      status: 'ended',
      counterpart: { organisationName: 'A', contact: null },
      underObjection: false,
    });
    // Nothing of A's contact anywhere in what B reads: the match, the inbox's views.
    const inbox = await h.engine.inbox(b.actor, undefined, 100);
    expect(inbox.items.map((e) => e.type)).toEqual(['match.created']);
    expect(inbox.items[0]!.match).toEqual(seen);
    expect(leaks([seen, inbox])).toBe(false);
    // The expired side still sees its live counterpart's contact, as on a recorded end.
    const own = await h.engine.getMatch(a.actor, matchId);
    expect(own).toMatchObject({ status: 'ended', counterpart: { organisationName: 'B' } });
    expect(own.counterpart.contact).not.toBeNull();

    h.clock.advance(DAY);
    expect((await h.engine.runRetention(admin)).expired).toBe(1);
    // The expiry is now recorded: the same views, the match ended at the expiry's instant,
    // and the parties get their match.ended event only now.
    expect(await h.engine.getMatch(b.actor, matchId)).toEqual(seen);
    expect(await h.engine.getMatch(a.actor, matchId)).toEqual(own);
    expect((await h.store.read((tx) => tx.getMatch(matchId)))?.endedAt).toBe(EXPIRES_AT);
    expect(await eventTypes(b)).toEqual(['match.created', 'match.ended']);
    expect(leaks(await h.engine.inbox(b.actor, undefined, 100))).toBe(false);
  });

  it('every action refused on an ended match is refused on it; a follow-up outcome is recorded as on one', async () => {
    const { a, b, matchId } = await expiringPair();
    const agreementId = (await h.engine.addAgreement(b.actor, matchId, agreement)).id;
    await h.engine.regie(b.actor, matchId, { action: 'propose', for: 'me' });
    expect((await h.engine.getMatch(a.actor, matchId)).regie.proposal).not.toBeNull();
    h.clock.now = EXPIRES_AT;
    const ended = { code: 'conflict', message: 'the match has ended' };
    for (const o of [a, b]) {
      await expect(h.engine.regie(o.actor, matchId, { action: 'propose', for: 'me' })).rejects.toMatchObject(
        ended,
      );
      await expect(h.engine.addAgreement(o.actor, matchId, agreement)).rejects.toMatchObject(ended);
      await expect(h.engine.setAgreementStatus(o.actor, matchId, agreementId, 'done')).rejects.toMatchObject(
        ended,
      );
    }
    await expect(h.engine.regie(a.actor, matchId, { action: 'accept' })).rejects.toMatchObject(ended);
    // The open proposal is gone, as ending the match clears it.
    expect((await h.engine.getMatch(a.actor, matchId)).regie.proposal).toBeNull();
    // Readable, frozen: the agreements list stays.
    expect((await h.engine.listAgreements(b.actor, matchId)).map((x) => x.status)).toEqual(['open']);
    const v = await h.engine.recordFollowUp(b.actor, matchId, 'no_contact_needed');
    expect(v).toMatchObject({
      status: 'ended',
      counterpart: { contact: null },
      followUp: { mine: { outcome: 'no_contact_needed' } },
    });
    expect(leaks([v, await h.engine.listAgreements(b.actor, matchId)])).toBe(false);
    // A changed nothing of the refused: only B's follow-up event reached A.
    expect(await eventTypes(a)).toEqual(['match.created', 'match.updated', 'match.updated', 'match.updated']);
  });

  it('the GDPR access report, the follow-up overview, the statistics and the gauges show it ended', async () => {
    const { b, matchId } = await expiringPair();
    await h.engine.recordFollowUp(b.actor, matchId, 'contact_made');
    const shown = async () => ({
      access: (await h.engine.gdprAccess(admin, person(1))).matches.map((m) => m.status),
      active: (await h.engine.followUpOverview({ status: 'active' })).items.map((i) => i.matchId),
      // Per-epoch counts are migration progress over the stored rows (docs/engine.md
      // "The life of a signal"), so not compared here.
      stats: { ...(await h.engine.statistics()), epochs: undefined },
      gauges: await h.engine.gauges(),
    });
    const before = await shown();
    expect(before.access).toEqual(['active']);
    expect(before.active).toEqual([matchId]);
    expect(before.stats).toMatchObject({
      signals: { active: 2, inactive: 0 },
      matches: { active: 1, ended: 0, family: 0 },
      followUp: { matches: 1, withoutOutcome: 0, outcomes: { contact_made: 1 } },
    });
    expect(before.gauges).toMatchObject({ signals: before.stats.signals, matches: before.stats.matches });

    h.clock.now = EXPIRES_AT;
    const due = await shown();
    expect(due.access).toEqual(['ended']);
    expect(due.active).toEqual([]);
    expect(due.stats).toMatchObject({
      signals: { active: 1, inactive: 1 },
      matches: { active: 0, ended: 1, family: 0 },
      followUp: { matches: 0, withoutOutcome: 0, outcomes: { contact_made: 0 } },
    });
    expect(due.gauges).toMatchObject({ signals: due.stats.signals, matches: due.stats.matches });

    h.clock.advance(DAY);
    expect((await h.engine.runRetention(admin)).expired).toBe(1);
    const recorded = await shown();
    expect(recorded).toEqual(due);
    // Once recorded it is on the ended pages too.
    expect((await h.engine.followUpOverview({ status: 'ended' })).items.map((i) => i.matchId)).toEqual([
      matchId,
    ]);
  });

  it('the later-placed side expiring first: the match ends at the earlier expiresAt, read and recorded', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.placeSignal(a.actor, placement(1, { endDate: '2026-01-25' }));
    h.clock.advance(1000);
    await h.engine.placeSignal(b.actor, placement(1, { endDate: END_DATE }));
    const matchId = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!.matchId;
    h.clock.now = EXPIRES_AT;
    // A sees B's (expired) side without contact; B sees A's.
    expect(await h.engine.getMatch(a.actor, matchId)).toMatchObject({
      status: 'ended',
      counterpart: { organisationName: 'B', contact: null },
    });
    expect((await h.engine.getMatch(b.actor, matchId)).counterpart.contact).not.toBeNull();
    // Both expired before retention runs: neither sees the other's contact.
    h.clock.now = Date.UTC(2026, 0, 26);
    for (const o of [a, b])
      expect((await h.engine.getMatch(o.actor, matchId)).counterpart.contact).toBeNull();
    expect((await h.engine.runRetention(admin)).expired).toBe(2);
    expect((await h.store.read((tx) => tx.getMatch(matchId)))?.endedAt).toBe(EXPIRES_AT);
    expect((await h.engine.statistics()).matches).toEqual({ active: 0, ended: 1, family: 0 });
  });
});
