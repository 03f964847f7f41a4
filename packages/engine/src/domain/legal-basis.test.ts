// Legal basis per signal (docs/engine.md "Legal basis"): jeugdwet by default and for rows
// placed before it was recorded; consent and no_objection need an attestation dated today
// or before (attestation_required when missing, nothing written); the basis is on the
// signal and, with the attestation's date (never the form reference), in the logbook; a
// retry of a basis placement is a replay, a changed basis a reuse of the request id.

import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('legal basis', () => {
  it('defaults to jeugdwet; the logbook entry of a jeugdwet placement carries no basis', async () => {
    h = await harness();
    const a = await h.org();
    const r = await h.engine.placeSignal(a.actor, placement(1));
    expect(r.signal.legalBasis).toBe('jeugdwet');
    expect(r.signal.underObjection).toBe(false);
    const e = (await h.engine.logbook(1, 100)).find((x) => x.action === 'signal.placed');
    expect(e?.details).toEqual({ epochs: 1, parents: 0 });
  });

  it('consent with its attestation is recorded on the signal and in the logbook, never the form reference', async () => {
    h = await harness();
    const a = await h.org();
    const input = placement(1, {
      legalBasis: 'consent',
      attestation: { date: '2026-01-14', formReference: 'FORM-AB/12' },
    });
    const r = await h.engine.placeSignal(a.actor, input);
    expect(r.signal.legalBasis).toBe('consent');
    expect((await h.engine.getSignal(a.actor, r.signal.id)).legalBasis).toBe('consent');
    const e = (await h.engine.logbook(1, 100)).find((x) => x.action === 'signal.placed');
    expect(e?.details).toEqual({
      epochs: 1,
      parents: 0,
      basis: 'consent',
      attestedOn: '2026-01-14',
      formReference: true,
    });
    expect(JSON.stringify(await h.engine.logbook(1, 100))).not.toContain('FORM-AB');
    // The same request again is a replay; the same id with another basis is refused.
    expect((await h.engine.placeSignal(a.actor, input)).outcome).toBe('replayed');
    await expect(
      h.engine.placeSignal(a.actor, { ...input, legalBasis: 'no_objection' }),
    ).rejects.toMatchObject({ code: 'request_id_reused' });
  });

  it('refuses a 23+ basis without attestation, and bad attestations, changing nothing', async () => {
    h = await harness();
    const a = await h.org();
    await expect(
      h.engine.placeSignal(a.actor, placement(1, { legalBasis: 'no_objection' })),
    ).rejects.toMatchObject({
      code: 'attestation_required',
      fields: ['attestation'],
    });
    const bad: [Parameters<typeof placement>[1], string][] = [
      [{ legalBasis: 'consent', attestation: { date: '2026-01-16' } }, 'attestation.date'],
      [{ legalBasis: 'consent', attestation: { date: 'yesterday' } }, 'attestation.date'],
      [{ legalBasis: 'jeugdwet', attestation: { date: '2026-01-14' } }, 'attestation'],
      [{ legalBasis: 'other' as 'consent', attestation: { date: '2026-01-14' } }, 'legalBasis'],
      [
        { legalBasis: 'consent', attestation: { date: '2026-01-14', formReference: 'has space' } },
        'attestation.formReference',
      ],
    ];
    for (const [over, field] of bad) {
      await expect(h.engine.placeSignal(a.actor, placement(1, over))).rejects.toMatchObject({
        fields: expect.arrayContaining([field]),
      });
    }
    expect((await h.engine.statistics()).signals.active).toBe(0);
    expect((await h.engine.logbook(1, 100)).some((e) => e.action === 'signal.placed')).toBe(false);
  });

  it('a batch logs each consent item with its own entry', async () => {
    h = await harness();
    const a = await h.org();
    const r = await h.engine.placeSignals(a.actor, [
      placement(1),
      placement(2, { legalBasis: 'no_objection', attestation: { date: '2026-01-15' } }),
    ]);
    expect(r.map((x) => x.ok)).toEqual([true, true]);
    const log = await h.engine.logbook(1, 100);
    expect(log.filter((e) => e.action === 'signal.placed').map((e) => e.details.basis)).toEqual([
      'no_objection',
    ]);
    expect(log.find((e) => e.action === 'signals.placed')?.details).toMatchObject({ created: 2 });
  });
});
