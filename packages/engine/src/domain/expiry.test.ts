// A signal is inactive from its expiresAt on, whether or not retention has run since
// (docs/engine.md "The life of a signal"): it matches nothing, does not answer a new
// placement as `existing`, and reads report it expired. A placement that finds it due
// expires it in its own write, as retention would: signal.expired, its matches ended and
// their parties told. Single and batch placement alike. A due signal does not hold its key
// epoch in use: an unforced retirement records its expiry likewise.

import { afterEach, describe, expect, it } from 'vitest';
import type { BatchItemResult, PlacementResult, PlaceSignalInput } from '../api.js';
import { admin, DAY, type Harness, harness, type OrgHandle, person, placement } from '../testing/harness.js';
import { appendLog } from './logbook.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const END_DATE = '2026-01-20';
const EXPIRES_AT = Date.UTC(2026, 0, 20, 23, 59, 59, 999);

type Place = (o: OrgHandle, input: PlaceSignalInput) => Promise<PlacementResult>;

const single: Place = (o, input) => h.engine.placeSignal(o.actor, input);

const batch: Place = async (o, input) => {
  const [r] = (await h.engine.placeSignals(o.actor, [input])) as BatchItemResult[];
  if (r === undefined || !r.ok || r.signal === undefined || r.outcome === undefined)
    throw new Error('item refused');
  return { outcome: r.outcome, signal: r.signal } as PlacementResult;
};

async function createdEvents(o: OrgHandle) {
  return (await h.engine.inbox(o.actor, undefined, 100)).items.filter((e) => e.type === 'match.created');
}

async function expiredEntries(signalId: string) {
  return (await h.engine.logbook(1, 1000)).filter(
    (e) => e.action === 'signal.expired' && e.refs.signalId === signalId,
  );
}

describe.each([
  ['single', single],
  ['batch', batch],
])('an expired signal before retention runs (%s placement)', (_, place) => {
  it('matches nothing, is not `existing`, and a new placement makes a new active signal', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const old = await place(a, placement(1, { endDate: END_DATE }));
    h.clock.advance(30 * DAY);
    // No retention run: B's placement must not match A's expired signal.
    expect((await place(b, placement(1))).outcome).toBe('created');
    expect(await createdEvents(b)).toEqual([]);
    expect((await h.engine.statistics()).matches).toEqual({ active: 0, ended: 0, family: 0 });
    // B's write expired it as retention would have: recorded once, inactive from expiresAt on.
    expect(await expiredEntries(old.signal.id)).toHaveLength(1);
    // A places again: a new active signal (matched with B's), not the expired one.
    const again = await place(a, placement(1));
    expect(again.outcome).toBe('created');
    expect(again.signal.id).not.toBe(old.signal.id);
    expect(again.signal.status).toBe('active');
    expect((await h.engine.statistics()).matches).toEqual({ active: 1, ended: 0, family: 0 });
    // Retention finds nothing left to do; A still has its active signal.
    expect((await h.engine.runRetention(admin)).expired).toBe(0);
    expect((await h.engine.getSignal(a.actor, again.signal.id)).status).toBe('active');
    expect(await h.engine.getSignal(a.actor, old.signal.id)).toMatchObject({
      status: 'inactive',
      endReason: 'expired',
      endedAt: EXPIRES_AT,
    });
    expect((await h.engine.statistics()).matches).toEqual({ active: 1, ended: 0, family: 0 });
    expect(await expiredEntries(old.signal.id)).toHaveLength(1);
  });

  it('the expiring placement ends the expired signal’s matches and tells their parties', async () => {
    h = await harness();
    const [a, b, c] = [await h.org('A'), await h.org('B'), await h.org('C')];
    await place(a, placement(1, { endDate: END_DATE }));
    await place(c, placement(1));
    expect((await h.engine.statistics()).matches.active).toBe(1);
    h.clock.advance(30 * DAY);
    await place(b, placement(1));
    // A–C ended, B–C new, no A–B: what a retention run before B's placement gives.
    expect((await h.engine.statistics()).matches).toEqual({ active: 1, ended: 1, family: 0 });
    const cEvents = (await h.engine.inbox(c.actor, undefined, 100)).items.map((e) => e.type);
    expect(cEvents).toEqual(['match.created', 'match.ended', 'match.created']);
    expect((await createdEvents(b)).map((e) => e.match?.counterpart.organisationName)).toEqual(['C']);
    expect((await h.engine.runRetention(admin)).expired).toBe(0);
  });

  it('the same organisation’s own expired signal: a new placement is created, not `existing`', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    await place(b, placement(1));
    const old = await place(a, placement(1, { endDate: END_DATE }));
    h.clock.advance(30 * DAY);
    const again = await place(a, placement(1));
    expect(again).toMatchObject({ outcome: 'created', signal: { status: 'active' } });
    expect(again.signal.id).not.toBe(old.signal.id);
    // The old A–B match ended in A's write; the new signal matched B's again.
    expect((await h.engine.statistics()).matches).toEqual({ active: 1, ended: 1, family: 0 });
    const active = await h.engine.listSignals(a.actor, { status: 'active' });
    expect(active.items.map((s) => s.id)).toEqual([again.signal.id]);
  });
});

describe('reads of an expired signal before retention runs', () => {
  it('report it inactive and expired, listed with the inactive ones, as retention will record it', async () => {
    h = await harness();
    const a = await h.org('A');
    const s = await h.engine.placeSignal(a.actor, placement(1, { endDate: END_DATE }));
    h.clock.now = EXPIRES_AT - 1;
    expect((await h.engine.getSignal(a.actor, s.signal.id)).status).toBe('active');
    h.clock.now = EXPIRES_AT;
    const before = await h.engine.getSignal(a.actor, s.signal.id);
    expect(before).toMatchObject({ status: 'inactive', endReason: 'expired', endedAt: EXPIRES_AT });
    expect((await h.engine.listSignals(a.actor, { status: 'active' })).items).toEqual([]);
    expect((await h.engine.listSignals(a.actor, { status: 'inactive' })).items).toEqual([before]);
    expect((await h.engine.gdprAccess(admin, person(1))).signals).toMatchObject([
      { signalId: s.signal.id, status: 'inactive', endedAt: EXPIRES_AT },
    ]);
    h.clock.advance(DAY);
    expect((await h.engine.runRetention(admin)).expired).toBe(1);
    expect(await h.engine.getSignal(a.actor, s.signal.id)).toEqual(before);
  });

  it('a replayed placement past its active term answers the signal as expired', async () => {
    h = await harness();
    const a = await h.org('A');
    const input = placement(1);
    const s = await h.engine.placeSignal(a.actor, input);
    h.clock.advance(730 * DAY);
    const replayed = await h.engine.placeSignal(a.actor, input);
    expect(replayed).toMatchObject({
      outcome: 'replayed',
      signal: { id: s.signal.id, status: 'inactive', endReason: 'expired', endedAt: s.signal.expiresAt },
    });
    const [item] = await h.engine.placeSignals(a.actor, [input]);
    expect(item).toMatchObject({ ok: true, outcome: 'replayed', signal: replayed.signal });
  });
});

describe('a placement and a retention run expiring one signal at once', () => {
  it('record it once: the write that finds it expired meanwhile records nothing', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const old = await h.engine.placeSignal(a.actor, placement(1, { endDate: END_DATE }));
    h.clock.advance(30 * DAY);
    // Retention's write (retention.ts), held open after expiring the row: on PostgreSQL
    // (READ COMMITTED) B's placement reads the signal still active and must wait for the row.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let expired!: () => void;
    const written = new Promise<void>((r) => {
      expired = r;
    });
    const retention = h.store.write(async (tx) => {
      const [due] = await tx.signalsExpiringBy(h.clock.now, 10);
      expect(due?.id).toBe(old.signal.id);
      expect(await tx.expireSignal(due!.rid, due!.expiresAt, due!.expiresAt + DAY)).toBe(true);
      await appendLog(tx, h.clock.now, { kind: 'system' }, 'signal.expired', { signalId: due!.id });
      expired();
      await gate;
    });
    await written;
    const placed = h.engine.placeSignal(b.actor, placement(1));
    await new Promise((r) => setTimeout(r, 300));
    release();
    await retention;
    expect((await placed).outcome).toBe('created');
    expect(await expiredEntries(old.signal.id)).toHaveLength(1);
    expect(await h.engine.getSignal(a.actor, old.signal.id)).toMatchObject({
      status: 'inactive',
      endReason: 'expired',
      endedAt: EXPIRES_AT,
    });
  });
});

describe('withdrawing an expired signal before retention runs', () => {
  it('as ended is refused signal_inactive, as for a recorded one; retention then records it expired', async () => {
    h = await harness();
    const a = await h.org('A');
    const s = await h.engine.placeSignal(a.actor, placement(1, { endDate: END_DATE }));
    h.clock.advance(30 * DAY);
    await expect(h.engine.withdrawSignal(a.actor, s.signal.id, 'ended')).rejects.toMatchObject({
      code: 'signal_inactive',
    });
    expect((await h.engine.runRetention(admin)).expired).toBe(1);
    await expect(h.engine.withdrawSignal(a.actor, s.signal.id, 'ended')).rejects.toMatchObject({
      code: 'signal_inactive',
    });
    expect(await h.engine.getSignal(a.actor, s.signal.id)).toMatchObject({
      status: 'inactive',
      endReason: 'expired',
      endedAt: EXPIRES_AT,
    });
    expect((await h.engine.logbook(1, 1000)).map((e) => e.action)).not.toContain('signal.withdrawn');
  });
});

describe('changes to an expired signal before retention runs', () => {
  it('transfer, informed and consent are refused signal_inactive, as for a recorded one', async () => {
    h = await harness();
    const a = await h.org('A');
    const s = await h.engine.placeSignal(a.actor, placement(1, { endDate: END_DATE }));
    h.clock.advance(30 * DAY);
    const inactive = { code: 'signal_inactive' };
    const contact = { name: 'Nieuw', role: 'Coach', phone: '+31 10 7654321' };
    await expect(h.engine.transferSignals(a.actor, [s.signal.id], contact)).rejects.toMatchObject(inactive);
    await expect(h.engine.updateInformed(a.actor, s.signal.id, { status: 'not_yet' })).rejects.toMatchObject(
      inactive,
    );
    await expect(
      h.engine.recordConsent(a.actor, s.signal.id, { date: '2026-02-01', scopes: ['team_meeting'] }),
    ).rejects.toMatchObject(inactive);
  });
});

describe('a forced epoch retirement before retention runs', () => {
  it('records an expired signal as expired at its expiresAt, not as ended by the retirement', async () => {
    h = await harness();
    const a = await h.org('A');
    await h.engine.registerEpoch(admin, 2);
    const s = await h.engine.placeSignal(a.actor, placement(1, { endDate: END_DATE }));
    h.clock.advance(30 * DAY);
    await h.engine.retireEpoch(admin, 1, { force: true });
    expect(await h.engine.getSignal(a.actor, s.signal.id)).toMatchObject({
      status: 'inactive',
      endReason: 'expired',
      endedAt: EXPIRES_AT,
    });
    expect(await expiredEntries(s.signal.id)).toHaveLength(1);
  });
});

describe('an unforced epoch retirement before retention runs', () => {
  it('is not held up by due signals: it records their expiry; a live signal still refuses it', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.registerEpoch(admin, 2);
    // Due by the retirement: A's signal under epoch 1 only, matched with B's under both.
    const due = await h.engine.placeSignal(a.actor, placement(1, { endDate: END_DATE }));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [1, 2]) }));
    h.clock.advance(30 * DAY);
    // Ended for every reader: counted in no epoch, stranding none.
    const stats = await h.engine.statistics();
    expect(stats.epochs.filter((e) => e.organisationId === a.org.id)).toEqual([]);
    const ofA = (await h.engine.epochProgress()).organisations.find((o) => o.organisationId === a.org.id);
    expect(ofA).toMatchObject({ activeSignals: 0, byEpoch: [] });
    expect(ofA?.stranded).toEqual([
      { epoch: 1, activeSignals: 0 },
      { epoch: 2, activeSignals: 0 },
    ]);

    // A live signal under epoch 1 only still holds it in use.
    const live = await h.engine.placeSignal(a.actor, placement(2));
    await expect(h.engine.retireEpoch(admin, 1)).rejects.toMatchObject({ code: 'epoch_in_use' });
    expect(await expiredEntries(due.signal.id)).toHaveLength(0);
    await h.engine.withdrawSignal(a.actor, live.signal.id, 'error');

    const r = await h.engine.retireEpoch(admin, 1);
    expect(r).toMatchObject({ epoch: { status: 'retired' }, signalsEnded: 0, archivedUnlinked: 1 });
    expect(r.organisations).toEqual([{ organisationId: a.org.id, signalsEnded: 0, archivedUnlinked: 1 }]);
    // Recorded as retention would have: expired at its expiresAt, its match ended, B told.
    expect(await h.engine.getSignal(a.actor, due.signal.id)).toMatchObject({
      status: 'inactive',
      endReason: 'expired',
      endedAt: EXPIRES_AT,
      epochs: [],
    });
    expect(await expiredEntries(due.signal.id)).toHaveLength(1);
    const inbox = await h.engine.inbox(b.actor, undefined, 10);
    expect(inbox.items.map((e) => e.type)).toEqual(['match.created', 'match.ended']);
    expect((await h.engine.runRetention(admin)).expired).toBe(0);
  });
});
