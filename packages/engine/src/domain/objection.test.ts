// Objections with their term (docs/engine.md "Objections"): registered pending with the day
// received, on time within objectionTermDays of the citizen being informed (or excused
// late), restricting at once — no new matches, existing matches reveal no contact and
// say "under objection", both parties told by match.updated — the own signal shows
// "under objection" but one inherited at placement does not; rejected lifts it all,
// upheld erases.

import { afterEach, describe, expect, it } from 'vitest';
import { admin, DAY, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('objection', () => {
  it('pending hides contacts and says only "under objection"; rejected restores them', async () => {
    h = await harness();
    const [a, b, c] = [await h.org('A'), await h.org('B'), await h.org('C')];
    const sa = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const [ev] = (await h.engine.inbox(a.actor, undefined, 100)).items;
    const cursor = ev!.cursor;
    expect(
      await h.engine.gdprObject(admin, person(1), { status: 'pending', receivedOn: '2026-01-15' }),
    ).toEqual({ signals: 2, parentLinks: 0, onTime: true });
    const updated = (await h.engine.inbox(a.actor, cursor, 100)).items;
    expect(updated.map((e) => e.type)).toEqual(['match.updated']);
    expect(updated[0]!.match).toMatchObject({
      underObjection: true,
      counterpart: { organisationName: 'B', contact: null },
    });
    const m = await h.engine.getMatch(b.actor, ev!.matchId);
    expect(m.counterpart.contact).toBeNull();
    expect((await h.engine.getSignal(a.actor, sa.signal.id)).underObjection).toBe(true);
    // A new signal for the person inherits the restriction silently: not shown to C.
    const sc = await h.engine.placeSignal(c.actor, placement(1));
    expect(sc.signal.underObjection).toBe(false);
    expect((await h.engine.statistics()).matches.active).toBe(1);
    const log = await h.engine.logbook(1, 200);
    expect(log.find((e) => e.action === 'gdpr.objection')?.details).toMatchObject({
      status: 'pending',
      receivedOn: '2026-01-15',
      onTime: true,
    });

    await h.engine.gdprObject(admin, person(1), { status: 'rejected' });
    expect((await h.engine.getMatch(b.actor, ev!.matchId)).counterpart.contact).not.toBeNull();
    expect((await h.engine.getSignal(a.actor, sa.signal.id)).underObjection).toBe(false);
    // C's signal catches up with A and B.
    expect((await h.engine.statistics()).matches.active).toBe(3);
  });

  it('the term: late refused unless excused; a signal not yet informed has not started its term', async () => {
    h = await harness({ config: { objectionTermDays: 42 } });
    const a = await h.org();
    await h.engine.placeSignal(
      a.actor,
      placement(1, { informed: { status: 'citizen', date: '2026-01-10' } }),
    );
    h.clock.advance(60 * DAY);
    await expect(
      h.engine.gdprObject(admin, person(1), { status: 'pending', receivedOn: '2026-02-22' }),
    ).rejects.toMatchObject({ code: 'objection_out_of_term' });
    expect((await h.engine.gdprAccess(admin, person(1))).signals[0]!.objection).toBeNull();
    // The last day of the term is on time.
    expect(
      await h.engine.gdprObject(admin, person(1), { status: 'pending', receivedOn: '2026-02-21' }),
    ).toEqual({ signals: 1, parentLinks: 0, onTime: true });
    expect(await h.engine.gdprObject(admin, person(1), 'rejected')).toEqual({ signals: 1, parentLinks: 0 });
    expect(
      await h.engine.gdprObject(admin, person(1), {
        status: 'pending',
        receivedOn: '2026-03-01',
        lateExcused: true,
      }),
    ).toEqual({ signals: 1, parentLinks: 0, onTime: false });
    const b = await h.org();
    await h.engine.placeSignal(b.actor, placement(2, { informed: { status: 'not_yet' } }));
    h.clock.advance(300 * DAY);
    expect(await h.engine.gdprObject(admin, person(2), { status: 'pending' })).toEqual({
      signals: 1,
      parentLinks: 0,
      onTime: true,
    });
  });

  it('lateExcused on an objection that is on time changes nothing: registered on time, the flag not recorded', async () => {
    h = await harness({ config: { objectionTermDays: 42 } });
    const a = await h.org();
    await h.engine.placeSignal(
      a.actor,
      placement(1, { informed: { status: 'citizen', date: '2026-01-10' } }),
    );
    expect(
      await h.engine.gdprObject(admin, person(1), {
        status: 'pending',
        receivedOn: '2026-01-12',
        lateExcused: true,
      }),
    ).toEqual({ signals: 1, parentLinks: 0, onTime: true });
    const entry = (await h.engine.logbook(1, 200)).find((e) => e.action === 'gdpr.objection');
    expect(entry?.details).toMatchObject({ status: 'pending', receivedOn: '2026-01-12', onTime: true });
    expect(JSON.stringify(entry?.details)).not.toContain('late');
  });

  it('refuses malformed registrations', async () => {
    h = await harness();
    const bad = [
      { status: 'rejected' as const, receivedOn: '2026-01-10' },
      { status: 'pending' as const, receivedOn: '2026-01-16' },
      { status: 'pending' as const, receivedOn: '15-01-2026' },
      { status: 'upheld' as const, lateExcused: true },
    ];
    for (const o of bad) {
      await expect(h.engine.gdprObject(admin, person(1), o)).rejects.toMatchObject({
        code: 'validation_failed',
      });
    }
  });

  it('upheld erases the signals concerned', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.gdprObject(admin, person(1), { status: 'pending' });
    expect(await h.engine.gdprObject(admin, person(1), { status: 'upheld' })).toEqual({
      signals: 2,
      parentLinks: 0,
    });
    expect((await h.engine.gdprAccess(admin, person(1))).signals).toEqual([]);
    expect((await h.engine.statistics()).matches.active).toBe(0);
  });
});
