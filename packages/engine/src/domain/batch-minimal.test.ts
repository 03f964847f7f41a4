// A batch asked for its minimal answer (`Prefer: return=minimal`, docs/engine.md "Batch
// placement") answers each placed item with its signal's id only and builds no view: the same
// outcomes and ids as the full answer for created, existing (stored and of the batch itself),
// replayed, placed-on-its-own and refused items, and the same batch sent again in full is
// answered in full, each view as the single path shows it. That no view was built is seen in
// `batchPathCounts.views` (batch-view.ts). Runs on SQLite and, with
// SLUIS_TEST_STORE=postgres (`pnpm test:domain-pg`), on PostgreSQL.

import { afterEach, describe, expect, it } from 'vitest';
import type { BatchItemResult, PlaceSignalInput, SignalRef } from '../api.js';
import { type Harness, harness, placement } from '../testing/harness.js';
import { batchPathCounts } from './batch-view.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const shown = (rs: readonly BatchItemResult<SignalRef>[]) => rs.map((r) => (r.ok ? r.outcome : r.code));

describe('a batch answered minimal', () => {
  it('answers the ids the full answer carries, and a full replay answers in full', async () => {
    h = await harness();
    const a = await h.org('Jeugdzorg A');
    const b = await h.org('School B');
    const stored = await h.engine.placeSignal(a.actor, placement(1));
    const sent = placement(2);
    const first = await h.engine.placeSignal(a.actor, sent);
    // B's archived signal about person 3: A's item about 3 gets an archive notice, and such an
    // item is placed on its own (batch-plan.ts placeOnItsOwn).
    const archived = await h.engine.placeSignal(b.actor, placement(3));
    await h.engine.withdrawSignal(b.actor, archived.signal.id, 'ended');
    const items: PlaceSignalInput[] = [
      placement(1),
      sent,
      placement(3),
      placement(4),
      placement(4),
      { ...placement(5), requestId: sent.requestId },
      { ...placement(6), subject: [] },
    ];
    const viewsBefore = batchPathCounts.views;
    const minimal = await h.engine.placeSignals(a.actor, items, { minimal: true });
    // No view built for the existing and replayed items (no subject epochs read for them).
    expect(batchPathCounts.views - viewsBefore).toBe(0);
    expect(shown(minimal)).toEqual([
      'existing',
      'replayed',
      'created',
      'created',
      'existing',
      'request_id_reused',
      'validation_failed',
    ]);
    const ids = minimal.map((r) => (r.ok ? r.signal.id : undefined));
    expect(ids[0]).toBe(stored.signal.id);
    expect(ids[1]).toBe(first.signal.id);
    expect(ids[4]).toBe(ids[3]);
    expect(new Set(ids.slice(0, 5)).size).toBe(4);
    // The id only: no view was built and none is answered.
    for (const r of minimal) if (r.ok) expect(r.signal).toStrictEqual({ id: r.signal.id });

    // The same batch in full: the created items replayed, each with its view.
    const viewsBeforeFull = batchPathCounts.views;
    const full = await h.engine.placeSignals(a.actor, items);
    // In full, each of the five existing and replayed answers is a view built.
    expect(batchPathCounts.views - viewsBeforeFull).toBe(5);
    expect(shown(full)).toEqual([
      'existing',
      'replayed',
      'replayed',
      'replayed',
      'existing',
      'request_id_reused',
      'validation_failed',
    ]);
    for (const [i, r] of full.entries()) {
      if (!r.ok) {
        expect(minimal[i]).toEqual(r);
        continue;
      }
      expect(r.signal.id).toBe(ids[i]);
      // The view as the single path shows it (a replay, or `existing` for an item that created nothing).
      const alone = await h.engine.placeSignal(a.actor, items[i]!);
      expect(alone.signal).toEqual(r.signal);
      expect(Object.keys(r.signal).length).toBeGreaterThan(10);
    }
    // And the full answer of a minimal batch's items is what a full batch answers for them.
    const again = await h.engine.placeSignals(a.actor, items, { minimal: false });
    expect(again).toEqual(full);
  });
});
