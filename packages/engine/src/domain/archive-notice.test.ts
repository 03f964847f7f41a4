// The one-time archive notice (docs/engine.md "Archive notice"): a new signal about a
// person with another organisation's archived signal gives the new signaller — only — the
// archived organisation and contact: once per pair, never again, never to the archived
// side, never after purge, not for a basis the covenant left out, never a match; logged.

import { afterEach, describe, expect, it } from 'vitest';
import { admin, DAY, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const otherContact = { name: 'A. Bakker', role: 'ambulant hulpverlener', email: 'a.bakker@example.nl' };

describe('archive notice', () => {
  it('fires once for the pair, never to the archived side, and is no match', async () => {
    h = await harness();
    const [a, b] = [await h.org('Archief-org'), await h.org('Nieuw-org')];
    const old = await h.engine.placeSignal(a.actor, placement(1, { contact: otherContact }));
    await h.engine.withdrawSignal(a.actor, old.signal.id, 'ended');
    const first = await h.engine.placeSignal(b.actor, placement(1));
    expect(first.archiveNotices).toHaveLength(1);
    expect(first.archiveNotices![0]).toMatchObject({
      signalId: first.signal.id,
      organisationName: 'Archief-org',
      contact: otherContact,
    });
    expect(await h.engine.archiveNotices(b.actor, first.signal.id)).toEqual(first.archiveNotices);
    // No match, nothing in either inbox, nothing for the archived side.
    expect((await h.engine.statistics()).matches.active).toBe(0);
    expect((await h.engine.inbox(a.actor, undefined, 100)).items).toEqual([]);
    expect((await h.engine.inbox(b.actor, undefined, 100)).items).toEqual([]);
    // B withdraws and signals again: the pair was noticed, so no second notice.
    await h.engine.withdrawSignal(b.actor, first.signal.id, 'error');
    const second = await h.engine.placeSignal(b.actor, placement(1));
    expect(second.archiveNotices).toBeUndefined();
    expect(await h.engine.archiveNotices(b.actor, second.signal.id)).toEqual([]);
    const log = await h.engine.logbook(1, 200);
    const notices = log.filter((e) => e.action === 'archive.notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.refs).toMatchObject({ archivedSignalId: old.signal.id, signalId: first.signal.id });
    expect(JSON.stringify(notices)).not.toContain('Bakker');
    expect(log.some((e) => e.action === 'archive.notice_read')).toBe(true);
  });

  it('another organisation gets its own single notice; the own archive gives none', async () => {
    h = await harness();
    const [a, b, c] = [await h.org('A'), await h.org('B'), await h.org('C')];
    const old = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.withdrawSignal(a.actor, old.signal.id, 'ended');
    expect((await h.engine.placeSignal(a.actor, placement(1))).archiveNotices).toBeUndefined();
    expect((await h.engine.placeSignal(b.actor, placement(1))).archiveNotices).toHaveLength(1);
    expect((await h.engine.placeSignal(c.actor, placement(1))).archiveNotices).toHaveLength(1);
  });

  it('never after purge', async () => {
    h = await harness({ config: { archiveTermDays: 10 } });
    const [a, b] = [await h.org(), await h.org()];
    const old = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.withdrawSignal(a.actor, old.signal.id, 'ended');
    h.clock.advance(11 * DAY);
    const r = await h.engine.runRetention(admin);
    expect(r.purgedSignals).toBe(1);
    expect((await h.engine.placeSignal(b.actor, placement(1))).archiveNotices).toBeUndefined();
    expect((await h.engine.logbook(1, 200)).some((e) => e.action === 'archive.notice')).toBe(false);
  });

  it('follows the covenant: by default not for consent signals; configurable', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    const consent = { legalBasis: 'consent' as const, attestation: { date: '2026-01-15' } };
    const old = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.withdrawSignal(a.actor, old.signal.id, 'ended');
    expect((await h.engine.placeSignal(b.actor, placement(1, consent))).archiveNotices).toBeUndefined();
    await h.close();

    h = await harness({ config: { archiveNoticeBases: ['consent'] } });
    const [c, d] = [await h.org(), await h.org()];
    const old2 = await h.engine.placeSignal(c.actor, placement(1));
    await h.engine.withdrawSignal(c.actor, old2.signal.id, 'ended');
    expect((await h.engine.placeSignal(d.actor, placement(1))).archiveNotices).toBeUndefined();
    const e = await h.org();
    expect((await h.engine.placeSignal(e.actor, placement(1, consent))).archiveNotices).toHaveLength(1);
  });

  it('not for a person under restriction', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    const old = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.withdrawSignal(a.actor, old.signal.id, 'ended');
    await h.engine.gdprRestrict(admin, placement(1).subject, true);
    expect((await h.engine.placeSignal(b.actor, placement(1))).archiveNotices).toBeUndefined();
  });

  // docs/privacy.md §2 art. 21 and 18: a pending objection leaves a notice given before it out
  // of the reads until decided, and a restriction until lifted, as a match withholds the
  // contact (docs/engine.md "What a match reveals").
  it('a pending objection leaves a notice given before it out of the reads, until rejected', async () => {
    h = await harness();
    const [a, b] = [await h.org('Archief-org'), await h.org('Nieuw-org')];
    const old = await h.engine.placeSignal(a.actor, placement(1, { contact: otherContact }));
    await h.engine.withdrawSignal(a.actor, old.signal.id, 'ended');
    const placed = await h.engine.placeSignal(b.actor, placement(1));
    expect(placed.archiveNotices).toHaveLength(1);
    await h.engine.gdprObject(admin, person(1), { status: 'pending', receivedOn: '2026-01-15' });
    expect(await h.engine.archiveNotices(b.actor, placed.signal.id)).toEqual([]);
    await h.engine.gdprObject(admin, person(1), 'rejected');
    expect(await h.engine.archiveNotices(b.actor, placed.signal.id)).toEqual(placed.archiveNotices);
  });

  it('a restriction leaves a notice given before it out of the reads, until lifted', async () => {
    h = await harness();
    const [a, b] = [await h.org('Archief-org'), await h.org('Nieuw-org')];
    const old = await h.engine.placeSignal(a.actor, placement(1, { contact: otherContact }));
    await h.engine.withdrawSignal(a.actor, old.signal.id, 'ended');
    const placed = await h.engine.placeSignal(b.actor, placement(1));
    expect(placed.archiveNotices).toHaveLength(1);
    const before = await h.engine.getSignal(b.actor, placed.signal.id);
    await h.engine.gdprRestrict(admin, person(1), true);
    expect(await h.engine.archiveNotices(b.actor, placed.signal.id)).toEqual([]);
    // The own signal view changes only by the restriction the desk registered on it (docs/engine.md
    // "GDPR requests (municipality only)"): nothing of the archive notice shows there.
    expect(await h.engine.getSignal(b.actor, placed.signal.id)).toEqual({ ...before, restricted: true });
    await h.engine.gdprRestrict(admin, person(1), false);
    expect(await h.engine.archiveNotices(b.actor, placed.signal.id)).toEqual(placed.archiveNotices);
  });
});
