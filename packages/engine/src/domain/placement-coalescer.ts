// Concurrent single placements decided together (docs/engine.md "Coalesced placements"):
// the placements that queue while the previous placement write runs are placed in ONE
// write operation, in arrival order, with what the batch path uses (batch-plan.ts,
// `planItem` with its rules for a group): one read of every person and request id of the
// group, each placement decided in memory, the rows written per table at the end. Each
// caller gets exactly what placing alone in that order would give it — answer or refusal,
// signal, matches, events, webhooks, mail notices, budget charge and alert, its own
// `signal.placed` logbook entry — which the equivalence property
// (batch-equivalence.test.ts) checks on both stores. No delay is added: a placement that
// finds no write running starts one at once, alone. A group takes each organisation's
// budget section only if it is free within BUDGET_PATIENCE_MS: an organisation whose section
// another write holds longer (its batch on another instance) is skipped and its placements
// wait in a lane of their own, so it never holds up the others' (pg-coalescer-skip.test.ts).

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

/**
 * How long a main-queue group lets another write hold a budget section before it skips
 * the organisation: longer than the other instance's groups usually hold one (so groups
 * stay mixed under two instances' load), short against a batch's hold and the 5 s
 * statement timeout (docs/engine.md "Coalesced placements").
 */
export const BUDGET_PATIENCE_MS = 200;

/**
 * How many organisations' lanes write at once: a lane may wait for a budget section held
 * long, up to the statement timeout, on a connection of the store's pool, and the main
 * queue and the reads need the rest — at most 4, and 3 connections left over (at least
 * one lane, or a skipped organisation would never be placed). A pool of 10 (the default):
 * 4; of 4: 1 (docs/engine.md "A budget section held elsewhere").
 */
export function laneCap(writeConnections: number): number {
  return Math.min(4, Math.max(1, writeConnections - 3));
}

interface Waiting {
  readonly actor: OrganisationActor;
  readonly prep: PreparedPlacement;
  readonly now: number;
  readonly resolve: (d: PlacementDone) => void;
  readonly reject: (e: unknown) => void;
}

/** `skipped`: not decided — its organisation's budget section was held by another write. */
type Outcome = { ok: true; done: PlacementDone } | { ok: false; error: unknown } | { skipped: true };

const SKIPPED: Outcome = { skipped: true };

/** How a group enters its organisations' budget sections. */
type Budget = 'try' | 'wait';

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

/**
 * One engine's coalescing (docs/engine.md "Coalesced placements"): the main queue, whose
 * groups mix organisations and skip an organisation whose budget section another write
 * holds, and a lane per skipped organisation, whose groups wait for that section. From a
 * skip until its lane is empty an organisation's placements go to its lane, so they keep
 * their arrival order and none is skipped twice.
 */
export class PlacementCoalescer {
  readonly #ctx: EngineContext;
  #queue: Waiting[] = [];
  #running = false;
  /** Per organisation id with a lane: its placements, oldest first. */
  readonly #lanes = new Map<string, Waiting[]>();
  /** Lanes not started yet (`laneCap`), in the order they were opened. */
  #pending: string[] = [];
  #lanesRunning = 0;
  readonly #maxLanes: number;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
    this.#maxLanes = laneCap(ctx.store.writeConnections);
  }

  /** Places one prepared placement, with whatever else queues meanwhile. */
  place(actor: OrganisationActor, prep: PreparedPlacement, now: number): Promise<PlacementDone> {
    return new Promise((resolve, reject) => {
      const w = { actor, prep, now, resolve, reject };
      const lane = this.#lanes.get(actor.organisationId);
      if (lane !== undefined) {
        lane.push(w);
        return;
      }
      this.#queue.push(w);
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const group = take(this.#queue);
        const skipped = await settle(group, placeGroup(this.#ctx, group, 'try'));
        if (skipped.length > 0) this.#toLanes(skipped);
      }
    } finally {
      this.#running = false;
    }
  }

  /**
   * Moves the skipped placements to their organisations' lanes, and after them the same
   * organisations' placements still in the main queue (they arrived later).
   */
  #toLanes(skipped: readonly Waiting[]): void {
    for (const w of skipped) {
      const id = w.actor.organisationId;
      let lane = this.#lanes.get(id);
      if (lane === undefined) {
        lane = [];
        this.#lanes.set(id, lane);
        this.#pending.push(id);
      }
      lane.push(w);
    }
    this.#queue = this.#queue.filter((w) => {
      const lane = this.#lanes.get(w.actor.organisationId);
      lane?.push(w);
      return lane === undefined;
    });
    this.#startLanes();
  }

  #startLanes(): void {
    while (this.#lanesRunning < this.#maxLanes && this.#pending.length > 0) {
      const id = this.#pending.shift()!;
      this.#lanesRunning++;
      void this.#drainLane(id, this.#lanes.get(id)!);
    }
  }

  /**
   * A lane's groups, one organisation's, each waiting for its budget section: first
   * holding nothing (`awaitBudgetSection`), then in the group's own write in the lock order.
   */
  async #drainLane(id: string, lane: Waiting[]): Promise<void> {
    try {
      while (lane.length > 0) {
        const group = take(lane);
        const skipped = await settle(
          group,
          awaitBudgetSection(this.#ctx, group[0]!.actor).then(() => placeGroup(this.#ctx, group, 'wait')),
        );
        // A 'wait' group waits for its section and so skips nothing; were one skipped, it
        // would be placed again first, never left unanswered.
        lane.unshift(...skipped);
      }
    } finally {
      this.#lanes.delete(id);
      this.#lanesRunning--;
      this.#startLanes();
    }
  }
}

/** The next group: the oldest waiting placements of one clock hour (one budget hour), up to MAX_COALESCED. */
function take(queue: Waiting[]): Waiting[] {
  const hour = hourOf(queue[0]!.now);
  let n = 1;
  while (n < queue.length && n < MAX_COALESCED && hourOf(queue[n]!.now) === hour) n++;
  return queue.splice(0, n);
}

/** Answers a group's callers once its write is done; returns the placements it skipped. */
async function settle(group: readonly Waiting[], run: Promise<Outcome[]>): Promise<Waiting[]> {
  let outcomes: Outcome[];
  try {
    outcomes = await run;
  } catch (e) {
    // The write failed whole (a storage fault, the generation fence): every caller gets
    // its error, as a failed group COMMIT gives it to every operation of the group.
    for (const w of group) w.reject(e);
    return [];
  }
  const skipped: Waiting[] = [];
  for (const [i, w] of group.entries()) {
    const o = outcomes[i]!;
    if ('skipped' in o) skipped.push(w);
    else if (o.ok) w.resolve(o.done);
    else w.reject(o.error);
  }
  return skipped;
}

/**
 * Waits, in a write of its own that holds nothing else, until the organisation's budget
 * section is free (entered, then left at once by the COMMIT): the lane's group then
 * mostly finds it free, and does not hold its people's sections through another write's
 * long hold of it. Held past the statement timeout, it fails as the group's write would
 * (`database_busy`), and the group's callers get that.
 */
async function awaitBudgetSection(ctx: EngineContext, actor: OrganisationActor): Promise<void> {
  const rid = (await ctx.store.read((tx) => tx.getOrganisation(actor.organisationId)))?.rid;
  // An unknown organisation: the group's own write refuses it.
  // One point read in the section (hour 0 has no row), not a sum of the organisation's history.
  if (rid !== undefined) await ctx.store.write(async (tx) => void (await tx.placementHour(rid, 0)));
}

/**
 * A group of one is the single path itself (when its budget section is free, if `try`);
 * a larger one is decided in memory (placeTogether).
 */
async function placeGroup(ctx: EngineContext, group: readonly Waiting[], budget: Budget): Promise<Outcome[]> {
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
  for (const org of byRid) tallies.set(org.rid, new PlacementTally(ctx, tx, org, now));
  const view = new BatchView(tx, byRid[0] ?? live[0]!.org, now);
  for (const org of byRid) view.organisations.set(org.rid, org);
  // One round trip: every person's section, then each organisation's budget section in rid
  // order with today's use and the hour's counter, then every lookup of the group.
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
