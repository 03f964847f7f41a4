// Concurrent single placements decided together (docs/engine.md "Coalesced placements"):
// the placements that queue while the previous placement write runs are placed in ONE
// write operation, in arrival order, with what the batch path uses (batch-plan.ts,
// `planItem` with its rules for a group): one read of every person and request id of the
// group, each placement decided in memory, the rows written per table at the end. Each caller gets exactly what placing alone in that
// order would give it — answer or refusal, signal, matches, events, webhooks, mail
// notices, budget charge and alert, its own `signal.placed` logbook entry — which the
// equivalence property (batch-equivalence.test.ts) checks on both stores. No delay is
// added: a placement that finds no write running starts one at once, alone.

import type { OrganisationRow, StoreWriter } from '../store/store.js';
import { isEngineError } from '../errors.js';
import { hourOf } from '../time.js';
import { PlacementTally } from './budget.js';
import {
  actingOrganisation,
  actingPersonRid,
  type EngineContext,
  type OrganisationActor,
} from './context.js';
import { BatchView, ITEM_REFUSALS, type PlanRules, placeOnItsOwn, planItem } from './batch-plan.js';
import { lookupValues, type PlacementDone } from './placement-steps.js';
import { placeInTx } from './signal-placement.js';
import { atCurrentGeneration, type PreparedPlacement } from './signal-prepare.js';

/** At most this many placements in one write: bounds the write's locks and its time. */
export const MAX_COALESCED = 64;

interface Waiting {
  readonly actor: OrganisationActor;
  readonly prep: PreparedPlacement;
  readonly now: number;
  readonly resolve: (d: PlacementDone) => void;
  readonly reject: (e: unknown) => void;
}

type Outcome = { ok: true; done: PlacementDone } | { ok: false; error: unknown };

/** One queue per engine context: placements through one engine share it. */
const queues = new WeakMap<EngineContext, PlacementCoalescer>();

export function coalescerOf(ctx: EngineContext): PlacementCoalescer {
  let q = queues.get(ctx);
  if (q === undefined) {
    q = new PlacementCoalescer(ctx);
    queues.set(ctx, q);
  }
  return q;
}

export class PlacementCoalescer {
  readonly #ctx: EngineContext;
  #queue: Waiting[] = [];
  #running = false;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  /** Places one prepared placement, with whatever else queues meanwhile. */
  place(actor: OrganisationActor, prep: PreparedPlacement, now: number): Promise<PlacementDone> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ actor, prep, now, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const group = this.#take();
        let outcomes: Outcome[];
        try {
          outcomes = await placeGroup(this.#ctx, group);
        } catch (e) {
          // The write failed whole (a storage fault, the generation fence): every caller
          // gets its error, as a failed group COMMIT gives it to every operation of the group.
          for (const w of group) w.reject(e);
          continue;
        }
        for (const [i, w] of group.entries()) {
          const o = outcomes[i]!;
          if (o.ok) w.resolve(o.done);
          else w.reject(o.error);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  /** The next group: the oldest waiting placements of one clock hour (one budget hour), up to MAX_COALESCED. */
  #take(): Waiting[] {
    const hour = hourOf(this.#queue[0]!.now);
    let n = 1;
    while (n < this.#queue.length && n < MAX_COALESCED && hourOf(this.#queue[n]!.now) === hour) n++;
    return this.#queue.splice(0, n);
  }
}

/** A group of one is the single path itself; a larger one is decided in memory (placeTogether). */
async function placeGroup(ctx: EngineContext, group: readonly Waiting[]): Promise<Outcome[]> {
  if (group.length === 1) {
    const w = group[0]!;
    try {
      return [{ ok: true, done: await placeAlone(ctx, w.actor, w.prep, w.now) }];
    } catch (e) {
      if (!isEngineError(e) || e.code === 'secret_generation_stale') throw e;
      return [{ ok: false, error: e }];
    }
  }
  return ctx.store.write((tx) => placeTogether(ctx, tx, group));
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

interface Item {
  readonly w: Waiting;
  readonly org: OrganisationRow;
  readonly placer: number | null;
  readonly current: PreparedPlacement;
}

/**
 * The group's write operation. Locks in one order (docs/engine.md "Coalesced placements"):
 * every person of the group at once, then the budget sections by organisation rid, then the
 * inbox cursors (by organisation rid, when the rows are written), then the logbook (at
 * COMMIT on PostgreSQL). Everything is decided again on a repeat (store.ts clause 3): the
 * answers travel in the result only.
 */
async function placeTogether(
  ctx: EngineContext,
  tx: StoreWriter,
  group: readonly Waiting[],
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
  for (const org of byRid) tallies.set(org.rid, new PlacementTally(ctx, tx, org, now));
  const view = new BatchView(tx, byRid[0] ?? live[0]!.org, now);
  for (const org of byRid) view.organisations.set(org.rid, org);
  // One round trip: every person's section, then each organisation's budget section in rid
  // order with today's use and the hour's counter, then every lookup of the group.
  await Promise.all([
    tx.enterPersonSections(values.map((x) => x.stored)),
    ...byRid.map((org) => tallies.get(org.rid)!.load()),
    view.load(values, []),
    ...byRid.map((org) =>
      view.load(
        [],
        live.filter((x) => x.org.rid === org.rid).map((x) => x.current.v.requestId),
        org.rid,
      ),
    ),
  ]);
  const epochs = new Map<number, boolean>();
  // Each placement is charged and logged as if alone (planItem's rules for a group).
  const rules: PlanRules = {
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
          tallies.set(org.rid, new PlacementTally(ctx, tx, org, now));
        },
      );
      out[i] = own.ok ? { ok: true, done: own.done } : { ok: false, error: own.error };
      continue;
    }
    out[i] = { ok: true, done: d };
  }
  await view.flush();
  // The hour counters in rid order (the Map's order), sent together.
  await Promise.all([...tallies.values()].map((tally) => tally.flush()));
  return out as Outcome[];
}
