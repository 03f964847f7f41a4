// Management information (docs/engine.md "Management information", docs/privacy.md
// §3a): monthly counters per organisation type, closed months only,
// every cell below the threshold shown as "<n", and — the adversarial part — no pair of
// exports (other ranges, other filters, later in time, after more events) disagrees on a
// cell or holds anything but cells, so no difference of two exports recovers a
// suppressed count.

import { afterEach, describe, expect, it } from 'vitest';
import type { ManagementInformation, ManagementInformationRow, MiQuery } from '../api.js';
import { admin, DAY, type Harness, harness, placement } from '../testing/harness.js';
import { lastClosedMonth, managementInformationCsv } from './management-information.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** January 2026: youth care places 7 and matches 6 with schools; school places 6, withdraws 3. */
async function january(): Promise<{ matchIds: string[]; youth: Awaited<ReturnType<Harness['org']>> }> {
  const youth = await h.org('Jeugdzorg', { type: 'youth_care' });
  const school = await h.org('School', { type: 'school' });
  const police = await h.org('Politie', { type: 'police' });
  for (let n = 1; n <= 7; n++) await h.engine.placeSignal(youth.actor, placement(n));
  const placed = [];
  for (let n = 1; n <= 6; n++) placed.push(await h.engine.placeSignal(school.actor, placement(n)));
  for (const p of placed.slice(0, 3)) await h.engine.withdrawSignal(school.actor, p.signal.id, 'ended');
  // Police: a single placement, a figure about one family.
  await h.engine.placeSignal(police.actor, placement(100));
  const items = (await h.engine.inbox(youth.actor, undefined, 100)).items;
  const matchIds = [...new Set(items.filter((e) => e.type === 'match.created').map((e) => e.matchId))];
  return { matchIds, youth };
}

const cells = (mi: ManagementInformation) =>
  new Map(mi.rows.map((r) => [`${r.month}/${r.organisationType}`, r]));

describe('management information', () => {
  it('counts per month and type, suppresses below the threshold, medians only over enough contacts', async () => {
    h = await harness();
    const { matchIds, youth } = await january();
    expect(matchIds).toHaveLength(6);
    h.clock.advance(2 * DAY);
    for (const id of matchIds.slice(0, 5)) await h.engine.recordFollowUp(youth.actor, id, 'contact_made');
    await h.engine.recordFollowUp(youth.actor, matchIds[5]!, 'already_in_contact');
    // Not yet closed: January is refused until 2 February.
    await expect(
      h.engine.managementInformation(admin, { from: '2026-01', to: '2026-01' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: ['to'],
    });
    h.clock.advance(20 * DAY); // 6 February
    const mi = await h.engine.managementInformation(admin, { from: '2026-01', to: '2026-01' });
    expect(mi.threshold).toBe(5);
    const c = cells(mi);
    expect(c.get('2026-01/youth_care')).toEqual({
      month: '2026-01',
      organisationType: 'youth_care',
      signalsPlaced: 7,
      signalsWithdrawn: '<5',
      matches: 6,
      contactMade: 5,
      alreadyInContact: '<5',
      noContactNeeded: '<5',
      clientRefused: '<5',
      medianDaysToContact: 2,
    });
    expect(c.get('2026-01/school')).toMatchObject({ signalsPlaced: 6, signalsWithdrawn: '<5', matches: 6 });
    expect(c.get('2026-01/police')).toMatchObject({ signalsPlaced: '<5', matches: '<5' });
    // Every configured type has its row: an absent row would say "zero" by omission.
    expect(mi.rows).toHaveLength(9);
    const csv = managementInformationCsv(mi);
    expect(csv.split('\r\n')[0]).toBe(
      'month,organisation_type,signals_placed,signals_withdrawn,matches,contact_made,already_in_contact,no_contact_needed,client_refused,median_days_to_contact',
    );
    expect(csv).toContain('2026-01,youth_care,7,<5,6,5,<5,<5,<5,2\r\n');
    expect(csv).toContain('2026-01,police,<5,<5,<5,<5,<5,<5,<5,<5\r\n');
  });

  it('adversarial pairs: no two exports differ on a shared cell, and none holds a total', async () => {
    h = await harness();
    const { matchIds, youth } = await january();
    for (const id of matchIds.slice(0, 3)) await h.engine.recordFollowUp(youth.actor, id, 'contact_made');
    h.clock.advance(22 * DAY); // 6 February: January closed, February open
    const queries: MiQuery[] = [
      { from: '2026-01', to: '2026-01' },
      { from: '2025-12', to: '2026-01' },
      { from: '2026-01', to: '2026-01', organisationType: 'police' },
      { from: '2026-01', to: '2026-01', organisationType: 'youth_care' },
      { from: '2025-11', to: '2026-01', organisationType: 'school' },
    ];
    const exports: ManagementInformation[] = [];
    for (const q of queries) exports.push(await h.engine.managementInformation(admin, q));
    // More events in February, including a correction and a late outcome on a January
    // match, then a withdrawal: January's cells must not move.
    await h.engine.recordFollowUp(youth.actor, matchIds[0]!, 'no_contact_needed');
    for (const id of matchIds.slice(3)) await h.engine.recordFollowUp(youth.actor, id, 'client_refused');
    const police = await h.org('Politie 2', { type: 'police' });
    await h.engine.placeSignal(police.actor, placement(200));
    h.clock.advance(30 * DAY); // 8 March: February closed too
    for (const q of queries) exports.push(await h.engine.managementInformation(admin, q));
    exports.push(await h.engine.managementInformation(admin, { from: '2026-01', to: '2026-02' }));
    exports.push(
      await h.engine.managementInformation(admin, {
        from: '2026-02',
        to: '2026-02',
        organisationType: 'police',
      }),
    );

    const fields: (keyof ManagementInformationRow)[] = [
      'signalsPlaced',
      'signalsWithdrawn',
      'matches',
      'contactMade',
      'alreadyInContact',
      'noContactNeeded',
      'clientRefused',
      'medianDaysToContact',
    ];
    for (const x of exports) {
      // Nothing but cells: the object holds the range, the threshold and per-cell rows.
      expect(Object.keys(x).sort()).toEqual(['from', 'rows', 'threshold', 'to']);
      for (const r of x.rows)
        expect(Object.keys(r).sort()).toEqual([...fields, 'month', 'organisationType'].sort());
    }
    for (const x of exports) {
      for (const y of exports) {
        const cy = cells(y);
        for (const [k, r] of cells(x)) if (cy.has(k)) expect(cy.get(k)).toEqual(r);
      }
    }
    // The suppressed cells stay suppressed in every export that shows them.
    for (const x of exports) {
      const police = cells(x).get('2026-01/police');
      if (police !== undefined) for (const f of fields) expect(police[f]).toBe('<5');
      const feb = cells(x).get('2026-02/police');
      if (feb !== undefined) expect(feb.signalsPlaced).toBe('<5');
    }
    // With every cell fixed and no sums, the adversary's classic move — a total minus the
    // shown parts — has no total to start from: check that no row is an aggregate.
    for (const x of exports) {
      const types = x.rows.map((r) => `${r.month}/${r.organisationType}`);
      expect(new Set(types).size).toBe(types.length);
      expect(x.rows.every((r) => r.organisationType !== 'all' && r.month.length === 7)).toBe(true);
    }
  });

  it('refuses bad ranges and unknown types; the export needs an admin', async () => {
    h = await harness();
    const a = await h.org();
    h.clock.advance(40 * DAY);
    for (const [q, field] of [
      [{ from: '2026-13', to: '2026-01' }, 'from'],
      [{ from: '2026-01', to: '2025-12' }, 'from'],
      [{ from: '2015-01', to: '2026-01' }, 'from'],
      [{ from: '2026-01', to: '2026-01', organisationType: 'bakery' }, 'organisationType'],
    ] as [MiQuery, string][]) {
      await expect(h.engine.managementInformation(admin, q)).rejects.toMatchObject({
        fields: expect.arrayContaining([field]),
      });
    }
    await expect(
      h.engine.managementInformation(a.actor, { from: '2026-01', to: '2026-01' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('a month closes one day after it ends', () => {
    expect(lastClosedMonth(Date.UTC(2026, 1, 1, 23, 59))).toBe(202512);
    expect(lastClosedMonth(Date.UTC(2026, 1, 2, 0, 0))).toBe(202601);
    expect(lastClosedMonth(Date.UTC(2026, 0, 2, 0, 0))).toBe(202512);
  });
});
