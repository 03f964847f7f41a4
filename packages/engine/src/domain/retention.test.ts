// Retention with a moved clock: expiry at the 2-year active term and at the end date,
// purge after the archive term with matches and events, counts reported and logged, and
// purged content gone from the database file; a removed person's row after removal plus the
// logbook term.

import { afterEach, describe, expect, it } from 'vitest';
import { admin, DAY, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('retention', () => {
  it('expires a signal after 730 days, not before', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1, { endDate: '2030-01-01' }));
    h.clock.advance(730 * DAY - 1);
    expect((await h.engine.runRetention(admin)).expired).toBe(0);
    h.clock.advance(1);
    const r = await h.engine.runRetention(admin);
    expect(r).toEqual({
      expired: 2,
      purgedSignals: 0,
      purgedMatches: 0,
      expiredDeliveries: 0,
      deletedPeople: 0,
      ranAt: h.clock.now,
    });
    const got = await h.engine.getSignal(a.actor, s.signal.id);
    expect(got).toMatchObject({ status: 'inactive', endReason: 'expired', endedAt: h.clock.now });
    expect((await h.engine.statistics()).matches).toEqual({ active: 0, ended: 1, family: 0 });
    const log = await h.engine.logbook(1, 100);
    expect(log.find((e) => e.action === 'retention.run' && e.details.expired === 2)).toBeDefined();
  });

  it('expires at the end of the end date', async () => {
    h = await harness();
    const a = await h.org();
    const s = await h.engine.placeSignal(a.actor, placement(1, { endDate: '2026-01-20' }));
    h.clock.now = Date.UTC(2026, 0, 20, 23, 59, 59, 998);
    expect((await h.engine.runRetention(admin)).expired).toBe(0);
    h.clock.now = Date.UTC(2026, 0, 21);
    expect((await h.engine.runRetention(admin)).expired).toBe(1);
    expect((await h.engine.getSignal(a.actor, s.signal.id)).endReason).toBe('expired');
  });

  it('the server caps the active term: config above 730 days is refused', async () => {
    await expect(harness({ config: { activeTermDays: 731 } })).rejects.toMatchObject({
      code: 'config_invalid',
    });
  });

  it('purges archived signals with their matches after the archive term; counterparts get match.removed', async () => {
    h = await harness({ config: { archiveTermDays: 30 } });
    const [a, b] = [await h.org(), await h.org()];
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.withdrawSignal(a.actor, s.signal.id, 'ended');
    h.clock.advance(29 * DAY);
    expect((await h.engine.runRetention(admin)).purgedSignals).toBe(0);
    h.clock.advance(1 * DAY);
    const r = await h.engine.runRetention(admin);
    expect(r).toMatchObject({ purgedSignals: 1, purgedMatches: 1 });
    await expect(h.engine.getSignal(a.actor, s.signal.id)).rejects.toMatchObject({ code: 'not_found' });
    const ev = (await h.engine.inbox(b.actor, undefined, 100)).items;
    expect(ev.map((e) => e.type)).toEqual(['match.removed']);
    expect((await h.engine.statistics()).signals).toEqual({ active: 1, inactive: 0 });
  });

  // docs/privacy.md §4: a match.removed inbox event names only a match that is gone; it
  // stays 30 days for a reader to resume and learn it, not the archive term.
  it('a match.removed event goes after 30 days; the other events keep their term', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    const kept = await h.engine.placeSignal(a.actor, placement(3));
    await h.engine.placeSignal(b.actor, placement(3));
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const s2 = await h.engine.placeSignal(a.actor, placement(2));
    await h.engine.placeSignal(b.actor, placement(2));
    await h.engine.gdprErase(admin, person(1));
    await h.engine.withdrawSignal(a.actor, s2.signal.id, 'error');
    const types = async () => (await h.engine.inbox(b.actor, undefined, 100)).items.map((e) => e.type);
    expect(await types()).toEqual(['match.created', 'match.removed', 'match.removed']);
    // Kept through its 30th day, gone the first run after.
    h.clock.advance(30 * DAY);
    await h.engine.runRetention(admin);
    expect(await types()).toEqual(['match.created', 'match.removed', 'match.removed']);
    h.clock.advance(1);
    await h.engine.runRetention(admin);
    const runs = (await h.engine.logbook(1, 200)).filter((e) => e.action === 'retention.run');
    expect(runs.map((e) => e.details.events)).toEqual([0, 4]);
    expect(await types()).toEqual(['match.created']);
    expect((await h.engine.getSignal(a.actor, kept.signal.id)).status).toBe('active');
  });

  // docs/api.md "Webhooks": a delivery still pending when its inbox event goes (here the
  // match.removed event's 30 days) ends with it, as `expired`, and is kept 30 days more.
  it('a pending webhook delivery whose event retention deleted is expired, not sent; gone 30 days later', async () => {
    h = await harness();
    const a = await h.org('A');
    const b = await h.org('B', { webhookUrl: 'https://b.example/hook' });
    await h.engine.placeSignal(a.actor, placement(3));
    await h.engine.placeSignal(b.actor, placement(3));
    const s1 = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.withdrawSignal(a.actor, s1.signal.id, 'error');
    const list = async (status: 'pending' | 'expired') =>
      (await h.engine.listDeliveries({ status })).map((d) => d.payload.type);
    expect(await list('pending')).toEqual(['match.removed', 'match.created']);
    h.clock.advance(30 * DAY);
    expect((await h.engine.runRetention(admin)).expiredDeliveries).toBe(0);
    h.clock.advance(1);
    // Being sent (leased): left to its attempt, ended by the first run after the lease.
    const claimed = await h.engine.claimDeliveries(10, 3_600_000);
    expect(claimed).toHaveLength(2);
    expect((await h.engine.runRetention(admin)).expiredDeliveries).toBe(0);
    h.clock.advance(3_600_000);
    const r = await h.engine.runRetention(admin);
    expect(r.expiredDeliveries).toBe(1);
    expect(await list('expired')).toEqual(['match.removed']);
    expect(await list('pending')).toEqual(['match.created']);
    // Not claimed again, and the late attempt's record changes nothing.
    const removed = claimed.find((d) => d.payload.type === 'match.removed')!;
    await h.engine.recordDeliveryAttempt(removed.id, removed.claim, { ok: true });
    expect(await list('expired')).toEqual(['match.removed']);
    expect((await h.engine.claimDeliveries(10, 3_600_000)).map((d) => d.payload.type)).toEqual([
      'match.created',
    ]);
    h.clock.advance(30 * DAY);
    await h.engine.runRetention(admin);
    expect(await list('expired')).toEqual(['match.removed']);
    h.clock.advance(1);
    await h.engine.runRetention(admin);
    expect(await list('expired')).toEqual([]);
  });

  it('an expired signal is purged after the archive term following its expiry', async () => {
    h = await harness({ config: { activeTermDays: 10, archiveTermDays: 5 } });
    const a = await h.org();
    await h.engine.placeSignal(a.actor, placement(1));
    h.clock.advance(10 * DAY);
    expect((await h.engine.runRetention(admin)).expired).toBe(1);
    h.clock.advance(5 * DAY);
    expect((await h.engine.runRetention(admin)).purgedSignals).toBe(1);
    expect((await h.engine.statistics()).signals).toEqual({ active: 0, inactive: 0 });
  });
});

describe("a removed person's row (docs/privacy.md §4)", () => {
  it('goes at removal plus the logbook term with what hangs on it, not before, and not while a signal names them', async () => {
    // The shortest terms the config allows: logbook ≥ active + archive.
    h = await harness({ config: { activeTermDays: 10, archiveTermDays: 5, logbookRetentionDays: 15 } });
    const a = await h.org();
    const add = async (displayName: string) =>
      (await h.engine.addPerson(admin, { organisationId: a.org.id, displayName, roles: ['professional'] }))
        .id;
    const goneId = await add('Weg Persoon');
    const holderId = await add('Houder Persoon');
    const keptId = await add('Blijft Persoon');
    const holder = { ...a.actor, personId: holderId, personRole: 'professional' as const, session: true };
    await h.engine.placeSignal(holder, placement(1));
    const removedAt = h.clock.now;
    await h.engine.removePerson(admin, goneId);
    await h.engine.removePerson(admin, holderId);
    const rid = async (id: string) => (await h.store.read((tx) => tx.getPerson(id)))?.rid;
    const [goneRid, holderRid] = [(await rid(goneId))!, (await rid(holderId))!];
    // Left over as by a version before removal deleted sign-in rows: it goes with the row.
    await h.store.write((tx) =>
      tx.setEnrolmentCode({
        personRid: goneRid,
        selector: 'leftover',
        verifierHash: new Uint8Array(32),
        createdAt: removedAt,
        expiresAt: removedAt + DAY,
      }),
    );
    // A signal that still names the holder past the term (the terms allow none: stored by hand),
    // placed 5 days after the removal, so purged 20 days after it.
    h.clock.now = removedAt + 5 * DAY;
    const late = await h.engine.placeSignal(a.actor, placement(2));
    await h.store.write(async (tx) =>
      tx.updateSignal((await tx.getSignal(late.signal.id))!.rid, { personRid: holderRid }),
    );

    h.clock.now = removedAt + 15 * DAY;
    expect((await h.engine.runRetention(admin)).deletedPeople).toBe(0);
    expect(await rid(goneId)).toBe(goneRid);

    h.clock.now = removedAt + 15 * DAY + 1;
    expect((await h.engine.runRetention(admin)).deletedPeople).toBe(1);
    expect(await rid(goneId)).toBeUndefined();
    expect(await h.store.read((tx) => tx.getEnrolmentCode('leftover'))).toBeUndefined();
    expect(await rid(holderId)).toBe(holderRid);
    expect(await rid(keptId)).toBeDefined();

    h.clock.now = removedAt + 20 * DAY + 1;
    expect(await h.engine.runRetention(admin)).toMatchObject({ purgedSignals: 1, deletedPeople: 1 });
    expect(await rid(holderId)).toBeUndefined();
    expect(await rid(keptId)).toBeDefined();
    // No entry left names them: the logbook's purge went first.
    const log = JSON.stringify(await h.engine.logbook(1, 1000));
    expect(log).not.toContain(goneId);
    expect(log).not.toContain(holderId);
    expect((await h.engine.runRetention(admin)).deletedPeople).toBe(0);
  });
});
