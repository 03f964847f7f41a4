// docs/engine.md "Coalesced placements": a placement refused before the group's first read
// (a suspended organisation, a person who does not act for it) is refused alone, as it
// would be when placed alone, even when every placement of a group is refused that way.
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors.js';
import { admin, harness, placement } from '../testing/harness.js';

async function codes(ps: Promise<unknown>[]): Promise<string[]> {
  return Promise.all(
    ps.map((p) =>
      p.then(
        () => 'ok',
        (e: unknown) => (isEngineError(e) ? e.code : `thrown: ${String(e)}`),
      ),
    ),
  );
}

describe('coalesced placements refused before any read', () => {
  for (const coalescePlacements of [true, false]) {
    it(`a group all from a suspended organisation: each refused as alone (coalesce ${coalescePlacements})`, async () => {
      const h = await harness({ config: { coalescePlacements } });
      try {
        const a = await h.org('A');
        const b = await h.org('B');
        await h.engine.suspendOrganisation(admin, a.org.id);
        const before = h.store.stats().operations;
        // Sent at once: the first runs alone, the rest queue behind it and form a group.
        const answers = await codes([1, 2, 3, 4].map((p) => h.engine.placeSignal(a.actor, placement(p))));
        expect(answers).toEqual([
          'organisation_suspended',
          'organisation_suspended',
          'organisation_suspended',
          'organisation_suspended',
        ]);
        if (coalescePlacements) expect(h.store.stats().operations - before).toBeLessThan(4);
        // A group mixing the suspended organisation with a live one: the live ones are made.
        const mixed = await codes([
          h.engine.placeSignal(a.actor, placement(5)),
          h.engine.placeSignal(b.actor, placement(6)),
          h.engine.placeSignal(a.actor, placement(7)),
          h.engine.placeSignal(b.actor, placement(8)),
        ]);
        expect(mixed).toEqual(['organisation_suspended', 'ok', 'organisation_suspended', 'ok']);
        expect((await h.engine.verifyLogbook()).ok).toBe(true);
      } finally {
        await h.close();
      }
    });
  }
});
