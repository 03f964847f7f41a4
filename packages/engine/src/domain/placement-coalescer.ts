// Concurrent single placements decided together (docs/engine.md "Coalesced placements"):
// the placements that queue while the previous placement write runs are placed in ONE
// write operation, in arrival order, with what the batch path uses (batch-plan.ts,
// `planItem` with its rules for a group): one read of every person and request id of the
// group, each placement decided in memory, the rows written per table at the end. Each
// caller gets exactly what placing alone in that order would give it — answer or refusal,
// signal, matches, events, webhooks, mail notices, budget charge and alert, its own
// `signal.placed` logbook entry — which the equivalence property
// (coalesced-equivalence.test.ts) checks on both stores. No delay is added: a placement that
// finds no write running starts one at once, alone. A group takes each organisation's
// budget section only if it is free within BUDGET_PATIENCE_MS: an organisation whose section
// another write holds longer (its batch on another instance) is skipped and its placements
// wait in a lane of their own, so it never holds up the others' (pg-coalescer-skip.test.ts).

import { hourOf } from '../time.js';
import { type Outcome, placeGroup, type Waiting } from './coalesced-group.js';
import type { EngineContext, OrganisationActor } from './context.js';
import type { PlacementDone } from './placement-steps.js';
import type { PreparedPlacement } from './signal-prepare.js';

/** At most this many placements in one write: bounds the write's locks and its time. */
export const MAX_COALESCED = 64;

/**
 * How many organisations' lanes write at once: a lane may wait for a budget section held
 * long, up to the statement timeout, on a connection of the store's pool, and the main
 * queue and the reads need the rest — at most 4, and 3 connections left over (at least
 * one lane, or a skipped organisation would never be placed). A pool of 10 (the default):
 * 4; of 4: 1 (docs/engine.md "Coalesced placements").
 */
export function laneCap(writeConnections: number): number {
  return Math.min(4, Math.max(1, writeConnections - 3));
}

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
