// docs/engine.md "Coalesced placements": a placement refused before the group's first read
// (a suspended organisation, a person who does not act for it) is refused alone, as it
// would be when placed alone, even when every placement of a group is refused that way.
// "A budget section held elsewhere": the lanes that write at once follow the store's pool.
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors.js';
import { admin, harness, placement, TEST_STORE } from '../testing/harness.js';
import { laneCap } from './placement-coalescer.js';

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

describe('lanes that write at once', () => {
  it("follow the store's pool: 3 connections left to the main queue and the reads, 1 to 4 lanes", async () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10, 50].map(laneCap)).toEqual([1, 1, 1, 1, 2, 3, 4, 4, 4]);
    const h = await harness();
    try {
      // The harness opens PostgreSQL with a pool of 4 (one lane then); SQLite has one writer.
      const expected = TEST_STORE === 'postgres' ? 4 : 1;
      expect(h.store.writeConnections).toBe(expected);
      expect(laneCap(h.store.writeConnections)).toBe(1);
    } finally {
      await h.close();
    }
  });
});
