// The batch path keeps the single path's semantics (docs/engine.md "Batch placement": each
// item placed as if alone, though the batch is decided in memory and written at the end): a
// random batch — repeated people, repeated request ids (replays and reuses), items refused by
// validation or by an unknown epoch between valid ones, parents (family matches), an own
// active signal (`existing`), a budget that runs out mid-batch and an hourly alert, items
// that match earlier items of the same batch (same-organisation matching on), a person with
// an archived signal (an archive notice: the item placed on its own after a flush), a
// consent item (its own logbook entry), a webhook (deliveries) — gives exactly the per-item
// answers, matches, inbox events, webhook deliveries, budget use, management-information
// counters and logbook content (up to ids, which are mapped in order of appearance) as
// placing the same items one at a time.
// Runs on SQLite and, with SLUIS_TEST_STORE=postgres (`pnpm test:domain-pg`), on PostgreSQL.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchItemResult } from '../api.js';
import { isEngineError } from '../errors.js';
import { harness, placement } from '../testing/harness.js';
import { batchPathCounts } from './batch-view.js';
import { type Case, casesOf, caseArb, input, logHead, observed, world } from './equivalence.test-util.js';

/**
 * One case: the batch and the same items one at a time agree (above); what the answers
 * showed is added to `seen`. Answers how many of the batch's items `planFresh` decided.
 */
async function batchAgrees(c: Case, seen: Set<string>): Promise<number> {
  const inputs = c.items.map(input);
  const batch = await world(c);
  const single = await world(c);
  try {
    const fromBatch = await logHead(batch.h);
    const fromSingle = await logHead(single.h);
    const freshBefore = batchPathCounts.fresh;
    const batchAnswers = (await batch.h.engine.placeSignals(batch.acting.actor, inputs)).map(
      (r: BatchItemResult) => (r.ok ? { ok: true, outcome: r.outcome, signal: r.signal } : r),
    );
    const fresh = batchPathCounts.fresh - freshBefore;
    const singleAnswers: unknown[] = [];
    for (const [index, item] of inputs.entries()) {
      try {
        const r = await single.h.engine.placeSignal(single.acting.actor, item);
        singleAnswers.push({ ok: true, outcome: r.outcome, signal: r.signal });
      } catch (e) {
        if (!isEngineError(e)) throw e;
        singleAnswers.push({ index, ok: false, code: e.code, fields: e.fields });
      }
    }
    const a = await observed(batch, batchAnswers, fromBatch);
    const b = await observed(single, singleAnswers, fromSingle);
    if (c.sameOrganisation) {
      expect(a.used).toBeLessThanOrEqual(b.used);
      expect({ ...a, used: 0 }).toEqual({ ...b, used: 0 });
    } else {
      expect(a).toEqual(b);
    }
    for (const r of singleAnswers as { ok: boolean; outcome?: string; code?: string }[]) {
      seen.add(r.ok ? r.outcome! : r.code!);
    }
    if (a.inboxOther.length > 0) seen.add('match');
    if (a.inboxActing.length > a.inboxOther.length) {
      seen.add('match within the batch');
    }
    if (a.rest.some((e) => e.action === 'archive.notice')) {
      seen.add('archive notice');
    }
    expect((await batch.h.engine.verifyLogbook()).ok).toBe(true);
    return fresh;
  } finally {
    await batch.h.close();
    await single.h.close();
  }
}

/**
 * Batches of mostly common items (a jeugdwet item about a person nobody has a signal for, no
 * parents): the items batch-plan.ts `planFresh` decides without an await, among the items it
 * leaves to planItem (a replay, a reuse, a refusal, a parent, consent, a found signal, the
 * budget's end and the hourly alert), in long batches — thousands of items over the runs
 * (docs/performance.md "BKV: three exact removals in the batch path").
 */
const freshArb = casesOf({
  people: 60,
  rid: fc.constantFrom(0, 1, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4),
  plain: 7,
  items: { minLength: 40, maxLength: 120 },
  budget: { min: 30, max: 140 },
  others: 6,
});

describe('batch placement ≡ the same items placed one at a time', () => {
  it('per-item answers, matches, events, budget and logbook agree on random batches', async () => {
    // What the runs reached: a property that never saw a replay, a reuse or a budget refusal
    // would prove nothing about them, so the case asserts that each was seen.
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        await batchAgrees(c, seen);
      }),
      { numRuns: 30, seed: 20261202 },
    );
    for (const outcome of [
      'created',
      'replayed',
      'existing',
      'request_id_reused',
      'budget_exceeded',
      'pseudonym_invalid',
      'epoch_unknown',
      'match',
      'match within the batch',
      'archive notice',
    ]) {
      expect(seen).toContain(outcome);
    }
  }, 300_000);

  it('agree on long batches of mostly common items', async () => {
    const seen = new Set<string>();
    let items = 0;
    let plain = 0;
    let fresh = 0;
    await fc.assert(
      fc.asyncProperty(freshArb, async (c) => {
        items += c.items.length;
        // The variants planFresh may take: jeugdwet, no parents, valid, a known epoch.
        plain += c.items.filter((i) => i.variant === 'plain' || i.variant === 'otherContact').length;
        fresh += await batchAgrees(c, seen);
      }),
      { numRuns: 40, seed: 20261205 },
    );
    expect(items).toBeGreaterThan(2000);
    // And the path without an await was taken, not only its answers equal: for a good share of
    // the items it may take (the others repeat a person or a request id, or meet the budget's
    // end or a found signal), and never for another variant.
    expect(fresh).toBeGreaterThan(0.4 * plain);
    expect(fresh).toBeLessThanOrEqual(plain);
    for (const outcome of ['created', 'replayed', 'existing', 'request_id_reused', 'budget_exceeded']) {
      expect(seen).toContain(outcome);
    }
  }, 600_000);

  it('planFresh decides every item of a plain batch but the first', async () => {
    // Jeugdwet items about people nobody holds a signal for, no parents, a budget to spare:
    // the common item. The first goes to planItem (its epochs are not yet known to the batch).
    const h = await harness();
    try {
      const a = await h.org('Jeugdzorg A', { budget: 100 });
      const before = batchPathCounts.fresh;
      const items = Array.from({ length: 40 }, (_, i) => placement(i + 1));
      const results = await h.engine.placeSignals(a.actor, items);
      expect(results.map((r) => (r.ok ? r.outcome : r.code))).toEqual(Array(40).fill('created'));
      expect(batchPathCounts.fresh - before).toBe(39);
    } finally {
      await h.close();
    }
  });
});
