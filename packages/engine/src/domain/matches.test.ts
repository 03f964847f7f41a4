// Working on a match: the inbox (cursor, current views, removed → null, reveals logged),
// one match (others' matches not found), contact made, regie (first signaller, propose,
// accept, decline), the municipality's follow-up overview, the placement budget and rate
// alert, and the webhook outbox with backoff.

import { afterEach, describe, expect, it } from 'vitest';
import { newSignal } from '../store/conformance/fixtures.js';
import { newMatch } from '../store/conformance/fixtures.js';
import { admin, DAY, type Harness, harness, matchedPair, placement, T0 } from '../testing/harness.js';
import { FOLLOW_UP_SCAN } from './matches.js';
import { backoffMs } from './outbox.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function pair() {
  h = await harness();
  return matchedPair(h);
}

describe('inbox', () => {
  it("counts cursors per organisation: other organisations' activity does not move mine", async () => {
    h = await harness();
    const [a, b, c, d] = [await h.org('A'), await h.org('B'), await h.org('C'), await h.org('D')];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const first = (await h.engine.inbox(a.actor, undefined, 10)).items;
    expect(first.map((e) => e.cursor)).toEqual(['1']);
    // Many matches between C and D, none involving A.
    for (let n = 2; n < 12; n++) {
      await h.engine.placeSignal(c.actor, placement(n));
      await h.engine.placeSignal(d.actor, placement(n));
    }
    expect((await h.engine.inbox(c.actor, undefined, 100)).items.map((e) => e.cursor)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i + 1)),
    );
    await h.engine.placeSignal(c.actor, placement(1));
    const next = (await h.engine.inbox(a.actor, '1', 10)).items;
    expect(next.map((e) => [e.cursor, e.type])).toEqual([['2', 'match.created']]);
  });

  it('pages by cursor, renders the current view and logs the reveal once per key and window', async () => {
    const { a, b, sa, matchId } = await pair();
    await h.engine.recordContactMade(b.actor, matchId);
    const p1 = await h.engine.inbox(a.actor, undefined, 1);
    expect(p1.items).toHaveLength(1);
    expect(p1.items[0]?.match?.followUp.contactMadeByCounterpart).toBe(h.clock.now); // current view
    expect(p1.items[0]?.match?.ownSignalId).toBe(sa.signal.id);
    const p2 = await h.engine.inbox(a.actor, p1.nextCursor, 10);
    expect(p2.items.map((e) => e.type)).toEqual(['match.updated']);
    expect(p2.nextCursor).toBeUndefined();
    expect(Number(p2.items[0]!.cursor)).toBeGreaterThan(Number(p1.items[0]!.cursor));
    const empty = await h.engine.inbox(a.actor, p2.items[0]!.cursor, 10);
    expect(empty.items).toHaveLength(0);
    // A's first inbox read (in pair()) and B's contact-made: one entry per key and match in
    // the window; A's later pages of the same match add none (docs/engine.md "Logbook").
    const reveals = (await h.engine.logbook(1, 100)).filter((e) => e.action === 'match.revealed');
    expect(reveals.map((e) => [e.refs.keyId, e.refs.matchIds])).toEqual([
      [a.keyId, matchId],
      [b.keyId, matchId],
    ]);
    expect(reveals[0]?.refs).toMatchObject({ organisationId: a.org.id, matchIds: matchId });
    await expect(h.engine.inbox(a.actor, 'abc', 10)).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it("another organisation's match is not found", async () => {
    const { matchId } = await pair();
    const c = await h.org('C');
    await expect(h.engine.getMatch(c.actor, matchId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.engine.recordContactMade(c.actor, matchId)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('follow-up and regie', () => {
  it('first signaller holds regie; propose / decline / accept move it and tell the counterpart', async () => {
    const { a, b, matchId } = await pair();
    const created = h.clock.now;
    expect((await h.engine.getMatch(a.actor, matchId)).regie).toEqual({
      holder: 'me',
      since: created,
      proposal: null,
    });
    expect((await h.engine.getMatch(b.actor, matchId)).regie.holder).toBe('counterpart');
    await expect(h.engine.regie(b.actor, matchId, { action: 'accept' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const p = await h.engine.regie(b.actor, matchId, { action: 'propose', for: 'me' });
    expect(p.regie.proposal).toEqual({ by: 'me', for: 'me', at: h.clock.now });
    await expect(h.engine.regie(b.actor, matchId, { action: 'accept' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const d = await h.engine.regie(a.actor, matchId, { action: 'decline' });
    expect(d.regie).toMatchObject({ holder: 'me', proposal: null });
    await h.engine.regie(b.actor, matchId, { action: 'propose', for: 'me' });
    h.clock.advance(5000);
    const acc = await h.engine.regie(a.actor, matchId, { action: 'accept' });
    expect(acc.regie).toEqual({ holder: 'counterpart', since: h.clock.now, proposal: null });
    const bEvents = (await h.engine.inbox(b.actor, undefined, 100)).items.map((e) => e.type);
    expect(bEvents.filter((t) => t === 'match.updated').length).toBeGreaterThanOrEqual(2);
    const overview = (await h.engine.followUpOverview({ noContactAfterDays: 14 })).items;
    expect(overview[0]?.regie).toEqual({ organisationId: b.org.id, since: h.clock.now });
  });

  it('with regie rule none nobody holds regie at creation', async () => {
    h = await harness({ config: { regieRule: 'none' } });
    const [a, b] = [await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const ev = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!;
    expect(ev.match?.regie).toEqual({ holder: null, since: null, proposal: null });
  });

  it('the overview flags matches without contact after N days, and shows no contact details', async () => {
    const { a, b, sa, sb, matchId } = await pair();
    h.clock.advance(15 * DAY);
    let o = (await h.engine.followUpOverview({ noContactAfterDays: 14 })).items;
    expect(o).toHaveLength(1);
    expect(o[0]).toMatchObject({ matchId, kind: 'person', status: 'active', overdue: true });
    expect(o[0]?.parties.map((p) => [p.organisationName, p.signalId]).sort()).toEqual(
      [
        ['A', sa.signal.id],
        ['B', sb.signal.id],
      ].sort(),
    );
    expect(JSON.stringify(o)).not.toContain('de Vries');
    await h.engine.recordContactMade(a.actor, matchId);
    o = (await h.engine.followUpOverview({ noContactAfterDays: 14 })).items;
    expect(o[0]?.overdue).toBe(false);
    expect(o[0]?.parties.find((p) => p.organisationId === a.org.id)?.contactMadeAt).toBe(h.clock.now);
    expect((await h.engine.getMatch(b.actor, matchId)).followUp.contactMadeByCounterpart).toBe(h.clock.now);
    await expect(h.engine.followUpOverview({ noContactAfterDays: -1 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('follow-up outcomes', () => {
  it('records each outcome per party, replaces a different one, ignores a repeat, and logs without content', async () => {
    const { a, b, matchId } = await pair();
    h.clock.advance(1000);
    const v = await h.engine.recordFollowUp(a.actor, matchId, 'already_in_contact');
    expect(v.followUp).toEqual({
      contactMadeByMe: null,
      contactMadeByCounterpart: null,
      mine: { outcome: 'already_in_contact', at: h.clock.now },
      counterpart: null,
    });
    const first = h.clock.now;
    h.clock.advance(1000);
    // the same outcome again changes nothing (no new time, no second entry, no event)
    const before = (await h.engine.inbox(b.actor, undefined, 100)).items.length;
    await h.engine.recordFollowUp(a.actor, matchId, 'already_in_contact');
    expect((await h.engine.getMatch(a.actor, matchId)).followUp.mine).toEqual({
      outcome: 'already_in_contact',
      at: first,
    });
    expect((await h.engine.inbox(b.actor, undefined, 100)).items.length).toBe(before);
    // a different outcome replaces it; the counterpart sees it and gets match.updated
    await h.engine.recordFollowUp(a.actor, matchId, 'contact_made');
    const seen = await h.engine.getMatch(b.actor, matchId);
    expect(seen.followUp.counterpart).toEqual({ outcome: 'contact_made', at: h.clock.now });
    expect(seen.followUp.contactMadeByCounterpart).toBe(h.clock.now);
    await h.engine.recordFollowUp(b.actor, matchId, 'client_refused');
    expect((await h.engine.getMatch(b.actor, matchId)).followUp).toMatchObject({
      contactMadeByMe: null,
      mine: { outcome: 'client_refused' },
      counterpart: { outcome: 'contact_made' },
    });
    const log = await h.engine.logbook(1, 1000);
    const entries = log.filter((e) => e.action === 'match.follow_up' || e.action === 'match.contact_made');
    expect(entries.map((e) => [e.action, e.details])).toEqual([
      ['match.follow_up', { outcome: 'already_in_contact' }],
      ['match.contact_made', {}],
      ['match.follow_up', { outcome: 'client_refused' }],
    ]);
  });

  it('refuses an unknown outcome and a match of another organisation, changing nothing', async () => {
    const { a, matchId } = await pair();
    const c = await h.org('C');
    await expect(h.engine.recordFollowUp(a.actor, matchId, 'phoned' as never)).rejects.toMatchObject({
      code: 'validation_failed',
      fields: ['outcome'],
    });
    await expect(h.engine.recordFollowUp(c.actor, matchId, 'contact_made')).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((await h.engine.getMatch(a.actor, matchId)).followUp.mine).toBeNull();
  });

  it('the overview shows every outcome and any outcome ends overdue; statistics count them per party', async () => {
    const { a, b, matchId } = await pair();
    h.clock.advance(15 * DAY);
    expect((await h.engine.statistics()).followUp).toEqual({
      matches: 1,
      withoutOutcome: 1,
      outcomes: { contact_made: 0, already_in_contact: 0, no_contact_needed: 0, client_refused: 0 },
    });
    await h.engine.recordFollowUp(b.actor, matchId, 'no_contact_needed');
    const o = (await h.engine.followUpOverview({ noContactAfterDays: 14 })).items;
    expect(o[0]?.overdue).toBe(false);
    const pb = o[0]?.parties.find((p) => p.organisationId === b.org.id);
    expect(pb).toMatchObject({
      contactMadeAt: null,
      followUp: { outcome: 'no_contact_needed', at: h.clock.now },
    });
    expect(o[0]?.parties.find((p) => p.organisationId === a.org.id)?.followUp).toBeNull();
    await h.engine.recordFollowUp(a.actor, matchId, 'contact_made');
    expect((await h.engine.statistics()).followUp).toEqual({
      matches: 1,
      withoutOutcome: 0,
      outcomes: { contact_made: 1, already_in_contact: 0, no_contact_needed: 1, client_refused: 0 },
    });
  });
});

describe('the follow-up overview at scale', () => {
  /** Matches of ages 0..n-1 days between a youth-care organisation and a school or the police. */
  async function matchesByAge(n: number) {
    h = await harness();
    const [y, s, p] = [
      await h.org('Y'),
      await h.org('S', { type: 'school' }),
      await h.org('P', { type: 'police' }),
    ];
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      await h.engine.placeSignal(y.actor, placement(100 + i));
      await h.engine.placeSignal((i % 3 === 0 ? p : s).actor, placement(100 + i));
      ids.push((await h.engine.inbox(y.actor, String(i), 1)).items[0]!.matchId);
      h.clock.advance(DAY);
    }
    return { y, s, p, ids };
  }

  it('pages by cursor in either order without repeating or skipping, and shows no contact details', async () => {
    const { ids } = await matchesByAge(7);
    for (const sort of ['oldest', 'newest'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.engine.followUpOverview({
          sort,
          limit: 3,
          ...(cursor === undefined ? {} : { cursor }),
        });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((i) => i.matchId));
        expect(JSON.stringify(page)).not.toContain('de Vries');
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toEqual(sort === 'oldest' ? ids : [...ids].reverse());
    }
  });

  it('filters by follow-up state, outcome, age and organisation type, combined', async () => {
    const { y, s, ids } = await matchesByAge(7); // ages 7..1 days now (the clock moved on after each)
    const q = async (query: Parameters<typeof h.engine.followUpOverview>[0]) =>
      (await h.engine.followUpOverview(query)).items.map((i) => i.matchId);
    await h.engine.recordFollowUp(y.actor, ids[0]!, 'already_in_contact');
    await h.engine.recordFollowUp(s.actor, ids[1]!, 'contact_made');
    expect(await q({ followUp: 'recorded' })).toEqual([ids[0], ids[1]]);
    expect(await q({ followUp: 'none' })).toEqual(ids.slice(2));
    expect(await q({ outcome: 'already_in_contact' })).toEqual([ids[0]]);
    // ids[i] is 7 - i days old: overdue after 4 days = no outcome and older than 4 days
    expect(await q({ followUp: 'overdue', noContactAfterDays: 4 })).toEqual([ids[2]]);
    expect(await q({ minAgeDays: 3, maxAgeDays: 5 })).toEqual([ids[2], ids[3], ids[4]]);
    expect(await q({ organisationType: 'police' })).toEqual([ids[0], ids[3], ids[6]]);
    expect(await q({ organisationType: 'police', followUp: 'none', sort: 'newest' })).toEqual([
      ids[6],
      ids[3],
    ]);
    const page = await h.engine.followUpOverview({ organisationType: 'school', limit: 1 });
    expect(page.items[0]?.parties.map((p) => p.organisationType).sort()).toEqual(['school', 'youth_care']);
    expect(await q({ status: 'ended' })).toEqual([]);
  });

  it('a filter few matches pass, past FOLLOW_UP_SCAN matches: short pages with a cursor, each match once', async () => {
    h = await harness();
    const [y, s, p] = [
      await h.org('Y'),
      await h.org('S', { type: 'school' }),
      await h.org('P', { type: 'police' }),
    ];
    const rid = async (o: { org: { id: string } }) =>
      (await h.store.read((tx) => tx.getOrganisation(o.org.id)))!.rid;
    const [ry, rs, rp] = [await rid(y), await rid(s), await rid(p)];
    // FOLLOW_UP_SCAN + 500 matches, written straight to the store; 1 in 1,000 with the police.
    const n = FOLLOW_UP_SCAN + 500;
    const police: string[] = [];
    await h.store.write(async (tx) => {
      for (let i = 0; i < n; i++) {
        // Live signals: a match with a due one is not on the active pages.
        const live = { expiresAt: T0 + 730 * DAY };
        const a = await tx.insertSignal(newSignal(ry, 2 * i + 1, live));
        const b = await tx.insertSignal(newSignal(i % 1000 === 0 ? rp : rs, 2 * i + 2, live));
        const m = newMatch(i + 1, a, b, { createdAt: T0 + i * 1000 });
        await tx.insertMatch(m);
        if (i % 1000 === 0) police.push(m.id);
      }
    });
    for (const sort of ['oldest', 'newest'] as const) {
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await h.engine.followUpOverview({
          organisationType: 'police',
          sort,
          ...(cursor === undefined ? {} : { cursor }),
        });
        pages.push(page.items.map((i) => i.matchId));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      // The first page examined FOLLOW_UP_SCAN matches and found 5 (of 100 asked): it says
      // where to go on; the second examined the last 500.
      const expected = sort === 'oldest' ? police : [...police].reverse();
      expect(pages).toEqual([expected.slice(0, 5), expected.slice(5)]);
    }
  });

  it('refuses bad filters by field name and changes nothing', async () => {
    h = await harness();
    await expect(
      h.engine.followUpOverview({
        limit: 501,
        cursor: 'x',
        organisationType: 'unknown_type',
        minAgeDays: -1,
        sort: 'up' as never,
        followUp: 'late' as never,
        outcome: 'phoned' as never,
        status: 'gone' as never,
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: ['minAgeDays', 'limit', 'status', 'followUp', 'outcome', 'organisationType', 'sort', 'cursor'],
    });
  });
});

describe('budget and alert', () => {
  it('refuses placements over the daily budget until the next UTC midnight, counting withdrawn ones', async () => {
    h = await harness();
    const a = await h.org('A', { budget: 2 });
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.withdrawSignal(a.actor, s.signal.id, 'error');
    await h.engine.placeSignal(a.actor, placement(2));
    expect(await h.engine.placeSignal(a.actor, placement(2)).then((r) => r.outcome)).toBe('existing');
    const err = await h.engine.placeSignal(a.actor, placement(3)).catch((e) => e);
    expect(err).toMatchObject({ code: 'budget_exceeded' });
    expect(err.retryAfterSeconds).toBe(14 * 3600); // clock is 10:00 UTC
    expect(await h.engine.budgetUsage(a.org.id)).toEqual({ perDay: 2, usedToday: 2 });
    h.clock.advance(14 * 3600 * 1000);
    expect((await h.engine.placeSignal(a.actor, placement(3))).outcome).toBe('created');
  });

  it('logs one rate alert per hour above the threshold and counts it in metrics', async () => {
    h = await harness({ config: { placementAlertPerHour: 3 } });
    const a = await h.org('A');
    for (let i = 0; i < 6; i++) await h.engine.placeSignal(a.actor, placement(i));
    const alerts = (await h.engine.logbook(1, 100)).filter((e) => e.action === 'alert.placement_rate');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.refs).toEqual({ organisationId: a.org.id });
    const m = h.engine.metrics();
    expect(m.placementRateAlertsTotal).toEqual({ [a.org.id]: 1 });
    expect(m.placementsTotal).toEqual({ [a.org.id]: 6 });
    h.clock.advance(3600 * 1000);
    for (let i = 10; i < 14; i++) await h.engine.placeSignal(a.actor, placement(i));
    expect(h.engine.metrics().placementRateAlertsTotal).toEqual({ [a.org.id]: 2 });
  });
});

describe('webhook outbox', () => {
  const LEASE = 70_000;

  it('queues a delivery per inbox event with ids only, backs off on failure and never drops', async () => {
    h = await harness();
    const a = await h.org('A', { webhookUrl: 'https://a.example.nl/hook' });
    const b = await h.org('B');
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const due = await h.engine.claimDeliveries(10, LEASE);
    expect(due).toHaveLength(1);
    const d = due[0]!;
    expect(d).toMatchObject({
      organisationId: a.org.id,
      url: 'https://a.example.nl/hook',
      status: 'pending',
    });
    expect(Object.keys(d.payload).sort()).toEqual(['cursor', 'matchId', 'type']);
    expect(JSON.stringify(d)).not.toContain('de Vries');
    // claimed: another sender gets nothing while the lease holds
    expect(await h.engine.claimDeliveries(10, LEASE)).toEqual([]);
    await h.engine.recordDeliveryAttempt(d.id, d.claim, { ok: false, code: 'http_503' });
    expect(await h.engine.claimDeliveries(10, LEASE)).toHaveLength(0);
    h.clock.advance(backoffMs(1));
    let again = (await h.engine.claimDeliveries(10, LEASE))[0]!;
    expect(again).toMatchObject({ attempts: 1, lastErrorCode: 'http_503' });
    expect(again.claim).not.toBe(d.claim);
    // an attempt recorded under a claim that no longer holds the row changes nothing
    await h.engine.recordDeliveryAttempt(d.id, d.claim, { ok: true });
    expect(await h.engine.listDeliveries({ status: 'delivered' })).toEqual([]);
    for (let i = 0; i < 20; i++) {
      await h.engine.recordDeliveryAttempt(d.id, again.claim, { ok: false, code: 'timeout' });
      h.clock.advance(3_600_000);
      again = (await h.engine.claimDeliveries(10, LEASE))[0]!;
    }
    const stuck = (await h.engine.listDeliveries({ status: 'pending' }))[0]!;
    expect(stuck.attempts).toBe(21);
    await h.engine.recordDeliveryAttempt(d.id, again.claim, { ok: false, code: 'timeout' });
    expect((await h.engine.listDeliveries({ status: 'pending' }))[0]!.nextAttemptAt - h.clock.now).toBe(
      3_600_000,
    );
    h.clock.advance(3_600_000);
    again = (await h.engine.claimDeliveries(10, LEASE))[0]!;
    await h.engine.recordDeliveryAttempt(d.id, again.claim, { ok: true });
    expect((await h.engine.listDeliveries({ status: 'delivered' }))[0]).toMatchObject({
      id: d.id,
      deliveredAt: h.clock.now,
    });
    await expect(
      h.engine.recordDeliveryAttempt('00000000-0000-4000-8000-000000000000', again.claim, { ok: true }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(h.engine.claimDeliveries(10, 10)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      h.engine.recordDeliveryAttempt(d.id, again.claim, { ok: false, code: 'no spaces!' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('a claim whose sender crashed lapses with its lease and the delivery is claimed again', async () => {
    h = await harness();
    const a = await h.org('A', { webhookUrl: 'https://a.example.nl/hook' });
    const b = await h.org('B');
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const [first] = await h.engine.claimDeliveries(10, LEASE);
    h.clock.advance(LEASE - 1);
    expect(await h.engine.claimDeliveries(10, LEASE)).toEqual([]);
    h.clock.advance(1);
    const [second] = await h.engine.claimDeliveries(10, LEASE);
    expect(second).toMatchObject({ id: first!.id, attempts: 0 });
    // the crashed sender's late result is not recorded; the new claim's is
    await h.engine.recordDeliveryAttempt(first!.id, first!.claim, { ok: false, code: 'unreachable' });
    expect((await h.engine.listDeliveries({ status: 'pending' }))[0]).toMatchObject({ attempts: 0 });
    await h.engine.recordDeliveryAttempt(second!.id, second!.claim, { ok: true });
    expect((await h.engine.listDeliveries({ status: 'delivered' }))[0]).toMatchObject({ attempts: 1 });
  });

  it('sends to the current webhook URL; closes deliveries of an organisation without one', async () => {
    h = await harness();
    const a = await h.org('A', { webhookUrl: 'https://old.example.nl/hook' });
    const b = await h.org('B');
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.updateOrganisation(admin, a.org.id, { webhookUrl: 'https://new.example.nl/hook' });
    const due = await h.engine.claimDeliveries(10, LEASE);
    expect(due.map((d) => d.url)).toEqual(['https://new.example.nl/hook']);
    await h.engine.updateOrganisation(admin, a.org.id, { webhookUrl: null });
    h.clock.advance(LEASE);
    expect(await h.engine.claimDeliveries(10, LEASE)).toEqual([]);
    expect(await h.engine.listDeliveries({ status: 'pending' })).toEqual([]);
    expect((await h.engine.listDeliveries({ status: 'delivered' }))[0]).toMatchObject({
      lastErrorCode: 'no_webhook_url',
      attempts: 0,
    });
  });

  it('announces deliveries (onOutbox) only after the commit of a write that queued them', async () => {
    let calls = 0;
    let dueAtCall: Promise<number>[] = [];
    h = await harness({
      onOutbox: () => {
        calls++;
        // Called after the commit: a reader sees the new delivery at once.
        dueAtCall.push(h.engine.listDeliveries({ status: 'pending' }).then((d) => d.length));
      },
    });
    const a = await h.org('A', { webhookUrl: 'https://a.example.nl/hook' });
    const b = await h.org('B');
    const c = await h.org('C');
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(2));
    await h.engine.placeSignal(c.actor, placement(2)); // a match between B and C: no webhook
    expect(calls).toBe(0);
    await h.engine.placeSignal(b.actor, placement(1)); // matches A, which has a webhook
    expect(calls).toBe(1);
    expect(await Promise.all(dueAtCall)).toEqual([1]);
    // A refused write queues nothing and announces nothing.
    await expect(h.engine.placeSignal(b.actor, { ...placement(1), subject: [] })).rejects.toThrow();
    expect(calls).toBe(1);
    // Concurrent writes share one commit; each that queued a delivery announces it.
    dueAtCall = [];
    await Promise.all([3, 4, 5].map((n) => h.engine.placeSignal(a.actor, placement(n))));
    await Promise.all([3, 4, 5].map((n) => h.engine.placeSignal(c.actor, placement(n))));
    expect(calls).toBe(4);
    expect(await h.engine.claimDeliveries(100, LEASE)).toHaveLength(4);
  });

  it('backoff doubles from 10 s and is capped at one hour', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(backoffMs(30)).toBe(3_600_000);
  });
});
