// Coalesced single placements keep the single path's semantics (docs/engine.md "Coalesced
// placements"): placements sent at once from two organisations are decided together in one
// write, yet each caller gets exactly what placing alone in that order would give it.
// Runs on SQLite and, with SLUIS_TEST_STORE=postgres (`pnpm test:domain-pg`), on PostgreSQL.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../errors.js';
import {
  type Case,
  caseArb,
  input,
  logHead,
  logOf,
  normalise,
  observed,
  type World,
  world,
} from './equivalence.test-util.js';

const coalescedArb: fc.Arbitrary<Case> = caseArb.chain((c) =>
  fc
    .array(fc.integer({ min: 0, max: 1 }), { minLength: c.items.length, maxLength: c.items.length })
    .map((by) => ({ ...c, items: c.items.map((item, i) => ({ ...item, by: by[i]! })) })),
);

/** One answer of the single route, as the two runs compare it. */
async function answerOf(p: Promise<{ outcome: string; signal: unknown }>, index: number): Promise<unknown> {
  try {
    const r = await p;
    return { ok: true, outcome: r.outcome, signal: r.signal };
  } catch (e) {
    if (!isEngineError(e)) throw e;
    return { index, ok: false, code: e.code, fields: e.fields };
  }
}

// docs/engine.md "Coalesced placements": single placements sent at once from two
// organisations (overlapping people, shared request ids, budgets running out, unknown
// epochs, archive notices, consent) are decided together, yet each caller, the matches,
// events, deliveries, budgets, counters and the logbook (entry for entry, in order) are
// exactly those of the same placements sent one after another in the same order.
describe('coalesced single placements ≡ the same placements one after another', () => {
  it('answers, matches, events, budgets, counters and the logbook agree', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(coalescedArb, async (c) => {
        const inputs = c.items.map(input);
        const together = await world(c, true);
        const apart = await world(c, false);
        try {
          const actorOf = (w: World, i: number) => (c.items[i]!.by === 1 ? w.second : w.acting).actor;
          const fromTogether = await logHead(together.h);
          const fromApart = await logHead(apart.h);
          const before = together.h.store.stats().operations;
          // Sent at once: the first runs alone, the rest queue behind it and run as one write.
          const togetherAnswers = await Promise.all(
            inputs.map((item, i) => answerOf(together.h.engine.placeSignal(actorOf(together, i), item), i)),
          );
          const operations = together.h.store.stats().operations - before;
          const apartAnswers: unknown[] = [];
          for (const [i, item] of inputs.entries()) {
            apartAnswers.push(await answerOf(apart.h.engine.placeSignal(actorOf(apart, i), item), i));
          }
          const a = await observed(together, togetherAnswers, fromTogether);
          const b = await observed(apart, apartAnswers, fromApart);
          expect(a).toEqual(b);
          expect(normalise(await logOf(together.h, fromTogether))).toEqual(
            normalise(await logOf(apart.h, fromApart)),
          );
          expect((await together.h.engine.verifyLogbook()).ok).toBe(true);
          // It did coalesce: fewer write operations than placements that reached the store.
          if (inputs.length >= 3) {
            expect(operations).toBeLessThan(inputs.length);
            seen.add('coalesced');
          }
          for (const r of apartAnswers as { ok: boolean; outcome?: string; code?: string }[]) {
            seen.add(r.ok ? r.outcome! : r.code!);
          }
          if (a.inboxSecond.length > 0 && a.inboxActing.length > 0) seen.add('match across organisations');
          if (a.rest.some((e) => e.action === 'archive.notice')) seen.add('archive notice');
          if (a.rest.some((e) => e.action === 'alert.placement_rate')) seen.add('alert');
        } finally {
          await together.h.close();
          await apart.h.close();
        }
      }),
      { numRuns: 30, seed: 20261203 },
    );
    for (const outcome of [
      'coalesced',
      'created',
      'replayed',
      'existing',
      'request_id_reused',
      'budget_exceeded',
      'epoch_unknown',
      'match across organisations',
      'archive notice',
      'alert',
    ]) {
      expect(seen).toContain(outcome);
    }
  }, 300_000);
});
