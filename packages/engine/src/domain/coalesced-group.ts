// The write of a coalesced group (docs/engine.md "Coalesced placements"): a group of one
// is the single path, a larger one is decided in memory with the batch path's `planItem`
// (placeTogether); with `try`, an organisation whose budget section another write holds
// past BUDGET_PATIENCE_MS is skipped, its placements left undecided for its lane. The
// queue that forms the groups and answers their callers is placement-coalescer.ts.

import type { OrganisationRow, StoreWriter } from '../store/store.js';
import { isEngineError } from '../errors.js';
import { PlacementTally } from './budget.js';
import {
  actingOrganisation,
  actingPersonRid,
  type EngineContext,
  type OrganisationActor,
} from './context.js';
import { ITEM_REFUSALS, type PlanRules, placeOnItsOwn, planItem, VIEW_ANSWER } from './batch-plan.js';
import { BatchView } from './batch-view.js';
import { lookupValues, type PlacementDone } from './placement-steps.js';
import { placeInTx } from './signal-placement.js';
import { atCurrentGeneration, type PreparedPlacement } from './signal-prepare.js';

/**
 * How long a main-queue group lets another write hold a budget section before it skips
 * the organisation: longer than the other instance's groups usually hold one (so groups
 * stay mixed under two instances' load), short against a batch's hold and the 5 s
 * statement timeout (docs/engine.md "Coalesced placements").
 */
export const BUDGET_PATIENCE_MS = 200;
export interface Waiting {
  readonly actor: OrganisationActor;
  readonly prep: PreparedPlacement;
  readonly now: number;
  readonly resolve: (d: PlacementDone) => void;
  readonly reject: (e: unknown) => void;
}

/** `skipped`: not decided — its organisation's budget section was held by another write. */
export type Outcome = { ok: true; done: PlacementDone } | { ok: false; error: unknown } | { skipped: true };

const SKIPPED: Outcome = { skipped: true };

/** How a group enters its organisations' budget sections. */
export type Budget = 'try' | 'wait';

/**
 * A group of one is the single path itself (when its budget section is free, if `try`);
 * a larger one is decided in memory (placeTogether).
 */
export async function placeGroup(
  ctx: EngineContext,
  group: readonly Waiting[],
  budget: Budget,
): Promise<Outcome[]> {
  if (group.length === 1) {
    const w = group[0]!;
    try {
      const done =
        budget === 'try'
          ? await placeAloneUnlessTaken(ctx, w.actor, w.prep, w.now)
          : await placeAlone(ctx, w.actor, w.prep, w.now);
      return [done === undefined ? SKIPPED : { ok: true, done }];
    } catch (e) {
      if (!isEngineError(e) || e.code === 'secret_generation_stale') throw e;
      return [{ ok: false, error: e }];
    }
  }
  return ctx.store.write((tx) => placeTogether(ctx, tx, group, budget));
}

/** One placement in its own write: the single path (signal-placement.ts `placeInTx`). */
export function placeAlone(
  ctx: EngineContext,
  actor: OrganisationActor,
  prep: PreparedPlacement,
  now: number,
): Promise<PlacementDone> {
  return ctx.store.write(async (tx) => {
    const org = await actingOrganisation(tx, actor);
    return placeInTx(ctx, tx, actor, org, await actingPersonRid(tx, actor, org), prep, now, true);
  });
}

/**
 * The single path, unless another write holds the organisation's budget section: then
 * undefined, and nothing decided. The person's sections first, then the budget section
 * with patience, in one round trip (the lock order); `placeInTx` then finds both held.
 */
function placeAloneUnlessTaken(
  ctx: EngineContext,
  actor: OrganisationActor,
  prep: PreparedPlacement,
  now: number,
): Promise<PlacementDone | undefined> {
  return ctx.store.write(async (tx) => {
    const org = await actingOrganisation(tx, actor);
    const placer = await actingPersonRid(tx, actor, org);
    const values = lookupValues([atCurrentGeneration(ctx, prep)]);
    const [, free] = await Promise.all([
      tx.enterPersonSections(values.map((x) => x.stored)),
      tx.tryBudgetSection(org.rid, BUDGET_PATIENCE_MS),
    ]);
    if (!free) return undefined;
    return placeInTx(ctx, tx, actor, org, placer, prep, now, true);
  });
}

interface Item {
  readonly w: Waiting;
  readonly org: OrganisationRow;
  readonly placer: number | null;
  readonly current: PreparedPlacement;
}

/**
 * The group's write operation. Locks in one order (docs/engine.md "Coalesced placements"):
 * every person of the group at once, then the budget sections by organisation rid —
 * `try`: each only if no other write holds it past BUDGET_PATIENCE_MS, the placements of an
 * organisation whose section is held being skipped (left undecided, for its lane); `wait`: each waited for —
 * then the inbox cursors (by organisation rid, when the rows are written), then the logbook
 * (at COMMIT on PostgreSQL). Everything is decided again on a repeat (store.ts clause 3),
 * skips too: the answers travel in the result only.
 */
async function placeTogether(
  ctx: EngineContext,
  tx: StoreWriter,
  group: readonly Waiting[],
  budget: Budget,
): Promise<Outcome[]> {
  const out: (Outcome | undefined)[] = group.map(() => undefined);
  // Round trips, not statements, are what a group waits for on PostgreSQL: the reads that
  // do not depend on each other are sent together (pipelined on the write's connection,
  // run there in the order sent, so the lock order below holds). Each organisation is read
  // once, each person once per placement.
  const orgReads = new Map<string, Promise<OrganisationRow>>();
  for (const w of group) {
    const id = w.actor.organisationId;
    if (!orgReads.has(id)) orgReads.set(id, actingOrganisation(tx, w.actor));
  }
  const acting = await Promise.all(
    group.map(async (w) => {
      try {
        const org = await orgReads.get(w.actor.organisationId)!;
        return { ok: true as const, org, placer: await actingPersonRid(tx, w.actor, org) };
      } catch (error) {
        return { ok: false as const, error };
      }
    }),
  );
  const items: (Item | undefined)[] = [];
  const orgs = new Map<string, OrganisationRow>();
  for (const [i, w] of group.entries()) {
    const a = acting[i]!;
    if (!a.ok) {
      if (!isEngineError(a.error)) throw a.error;
      out[i] = { ok: false, error: a.error };
      items.push(undefined);
      continue;
    }
    orgs.set(a.org.id, a.org);
    items.push({ w, org: a.org, placer: a.placer, current: atCurrentGeneration(ctx, w.prep) });
  }
  const live = items.filter((x): x is Item => x !== undefined);
  // Every placement refused before any read (all of a suspended or unknown organisation).
  if (live.length === 0) return out as Outcome[];
  const values = lookupValues(live.map((x) => x.current));
  const byRid = [...orgs.values()].sort((a, b) => a.rid - b.rid);
  const now = group[0]!.now;
  const tallies = new Map<number, PlacementTally>();
  const view = new BatchView(tx, byRid[0] ?? live[0]!.org, now);
  for (const org of byRid) tallies.set(org.rid, new PlacementTally(ctx, tx, org, now, view.keys));
  for (const org of byRid) view.organisations.set(org.rid, org);
  // Epochs cannot change inside a write (BatchState): each the group names is read once,
  // here; one not found is left to checkEpochs, which refuses it.
  const epochs = new Map<number, boolean>();
  const named = new Set(
    live.flatMap((x) => [...x.current.v.subject, ...x.current.v.parents.flat()].map((p) => p.epoch)),
  );
  // One round trip: every person's section, then each organisation's budget section in rid
  // order with today's use and the hour's counter, then every lookup of the group, the
  // epochs it names and the rids of its signals.
  const [, entered] = await Promise.all([
    tx.enterPersonSections(values.map((x) => x.stored)),
    Promise.all(
      byRid.map((org) => {
        const tally = tallies.get(org.rid)!;
        return budget === 'try' ? tally.tryLoad(BUDGET_PATIENCE_MS) : tally.load().then(() => true);
      }),
    ),
    view.load(values, []),
    ...byRid.map((org) =>
      view.load(
        [],
        live.filter((x) => x.org.rid === org.rid).map((x) => x.current.v.requestId),
        org.rid,
      ),
    ),
    ...[...named].map(async (epoch) => {
      const e = await tx.getEpoch(epoch);
      if (e !== undefined) epochs.set(epoch, e.status === 'active');
    }),
    // A rid for every placement that may create a signal, drawn here rather than in a
    // round trip of its own at the flush; the ones not used are gaps.
    tx.reserveSignalRids(live.length),
  ]);
  // An organisation whose section another write holds: its placements are not decided here.
  for (const [k, org] of byRid.entries()) {
    if (entered[k]) continue;
    tallies.delete(org.rid);
    for (const [i, item] of items.entries()) {
      if (item?.org.rid !== org.rid) continue;
      out[i] = SKIPPED;
      items[i] = undefined;
    }
  }
  // Each placement is charged and logged as if alone (planItem's rules for a group).
  const rules: PlanRules = {
    answer: VIEW_ANSWER,
    paidByEarlier: false,
    chargeReader: {
      getOrganisationByRid: (rid) => tx.getOrganisationByRid(rid),
      pseudonymsOf: (rid) => view.pseudonymsOf(rid),
    },
    log: 'single',
  };
  for (const [i, item] of items.entries()) {
    if (item === undefined) continue;
    const { w, org, placer, current } = item;
    const tally = tallies.get(org.rid)!;
    const tallied = tally.snapshot();
    let d: PlacementDone | undefined;
    try {
      d = await planItem(ctx, tx, w.actor, org, placer, current, w.now, { epochs, tally }, view, rules);
    } catch (e) {
      // Only a refusal is the placement's answer (it came before any change); anything
      // else fails the whole group.
      if (!isEngineError(e) || !ITEM_REFUSALS.has(e.code)) throw e;
      tally.restore(tallied);
      out[i] = { ok: false, error: e };
      continue;
    }
    if (d === undefined) {
      // The single path, on what is written so far, in a savepoint (its budget refusal
      // comes after its first write) and with its own budget section reads: the group's
      // counters of its organisation are written first and counted afresh after it.
      const own = await placeOnItsOwn(
        tx,
        view,
        current,
        () => tx.savepoint(() => placeInTx(ctx, tx, w.actor, org, placer, w.prep, w.now, true)),
        async () => {
          await tally.flush();
          tallies.set(org.rid, new PlacementTally(ctx, tx, org, now, view.keys));
        },
      );
      out[i] = own.ok ? { ok: true, done: own.done } : { ok: false, error: own.error };
      continue;
    }
    out[i] = { ok: true, done: d };
  }
  // The rows, then the hour counters in rid order (the Map's order), in one round trip.
  await view.flush(() => [...tallies.values()].map((tally) => tally.flush()));
  return out as Outcome[];
}
