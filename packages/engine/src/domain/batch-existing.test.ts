// A batch item that answers `existing` shows the stored signal's subject epochs read with the
// batch's load (BatchView, `subjectEpochsOf`; docs/performance.md "Twenty-sixth pass: bulk, the
// removals together"): the same answer as placing the item alone, for signals with one, several
// and repeated subject epochs, with parent values beside them, and for a signal this batch made
// earlier. Runs on SQLite and, with SLUIS_TEST_STORE=postgres (`pnpm test:domain-pg`), on PostgreSQL.

import { afterEach, describe, expect, it } from 'vitest';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe.each([false, true])(
  'a batch item answering existing (coalesced placements %s)',
  (coalescePlacements) => {
    it('shows the subject epochs the single path shows', async () => {
      h = await harness({ config: { coalescePlacements } });
      await h.engine.registerEpoch(admin, 2);
      await h.engine.registerEpoch(admin, 3);
      const a = await h.org('Jeugdzorg A');
      const b = await h.org('School B');
      // Stored before the batch: one epoch, two (out of order), two with parents, and B's.
      await h.engine.placeSignal(a.actor, placement(1));
      await h.engine.placeSignal(a.actor, placement(2, { subject: person(2, [3, 1]) }));
      await h.engine.placeSignal(
        a.actor,
        placement(3, { subject: person(3, [2, 3]), parents: [person(30, [1, 2])] }),
      );
      await h.engine.placeSignal(b.actor, placement(4, { subject: person(4, [1, 3]) }));
      // Each found through one of its values only; 5 is new, then found again by the batch's own item.
      const items = [
        placement(1),
        placement(2, { subject: person(2, [3]) }),
        placement(3, { subject: person(3, [3]) }),
        placement(4, { subject: person(4, [3]) }),
        placement(5, { subject: person(5, [1, 2]) }),
        placement(5, { subject: person(5, [2]) }),
        placement(2, { subject: person(2, [1]) }),
      ];
      const batch = await h.engine.placeSignals(a.actor, items);
      const shown = batch.map((r) => (r.ok ? [r.outcome, [...r.signal.epochs]] : [r.code]));
      expect(shown).toEqual([
        ['existing', [1]],
        ['existing', [1, 3]],
        ['existing', [2, 3]],
        ['created', [3]],
        ['created', [1, 2]],
        ['existing', [1, 2]],
        ['existing', [1, 3]],
      ]);
      // Placed alone, with new request ids, each answers as the batch did (item 4 is now A's own).
      for (const [i, item] of items.entries()) {
        const alone = await h.engine.placeSignal(a.actor, { ...item, requestId: placement(0).requestId });
        const r = batch[i]!;
        if (!r.ok) throw new Error('every item is placed');
        expect(alone.outcome).toBe('existing');
        expect(alone.signal).toEqual(r.signal);
      }
    });
  },
);
