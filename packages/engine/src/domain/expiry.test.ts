// A signal is inactive from its expiresAt on, whether or not retention has run since
// (docs/engine.md "The life of a signal"): it matches nothing, does not answer a new
// placement as `existing`, and reads report it expired. A placement that finds it due
// expires it in its own write, as retention would: signal.expired, its matches ended and
// their parties told. Single and batch placement alike.

import { afterEach, describe, expect, it } from 'vitest';
import type { BatchItemResult, PlacementResult, PlaceSignalInput } from '../api.js';
import { admin, DAY, type Harness, harness, type OrgHandle, person, placement } from '../testing/harness.js';

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
