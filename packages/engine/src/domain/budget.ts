// Placement budget and rate alert (enumeration defence,
// docs/threat-model.md §5.3). The unit is a distinct (role, stored value) looked up, not a
// request: a placement naming a subject and two parents under two epochs looks up six values
// and can reveal six people, so it is charged six unless the store proves that two of its
// values are one person (placementCharge). Every created placement counts, even if later
// withdrawn, so placing and withdrawing cannot probe more people than the budget allows.
// Counts live in hour buckets: the day budget is the sum of today's UTC buckets; the alert
// fires once per clock hour above the limit. Check and charge run in the same write.

import { RoleKeys } from '../bytes-key.js';
import { EngineError } from '../errors.js';
import type { OrganisationRow, PseudonymRole, SignalRow, StoreReader, StoreWriter } from '../store/store.js';
import { DAY_MS, HOUR_MS, hourOf, startOfDay } from '../time.js';
import { type EngineContext, notFound } from './context.js';
import { appendLog } from './logbook.js';
import { isLive, isRestricted } from './views.js';

async function countToday(
  tx: Pick<StoreWriter, 'placementsSince'>,
  orgRid: number,
  now: number,
): Promise<number> {
  return tx.placementsSince(orgRid, startOfDay(now) / HOUR_MS);
}

/** One (role, stored value) a placement or migration looks up. */
export interface Probe {
  readonly role: PseudonymRole;
  readonly epoch: number;
  /** The value at the current server-secret generation: what makes two probes the same. */
  readonly stored: Uint8Array;
  /** The values a lookup tries (current and, during a rotation, current−1 generation). */
  readonly lookup: readonly Uint8Array[];
  /**
   * Already paid for: a value the migrated signal already has, or one charged earlier in
   * the same batch. Never charged, but a probe proven to be its person is free too.
   */
  readonly paid: boolean;
}

/** Per probe (same order), the signals its lookup finds, in rid order. */
export async function lookUp(tx: StoreReader, probes: readonly Probe[]): Promise<SignalRow[][]> {
  const hits: SignalRow[][] = [];
  for (const p of probes) hits.push(await tx.findSignalsByStored(p.lookup, p.role));
  return hits;
}

/**
 * The charge in budget units of one placement or migration whose probes found `hits`
 * (docs/engine.md "Placement budget and rate alert"): the number
 * of distinct (role, stored value) it looks up, except that two values of one role under
 * different epochs count once when ANOTHER organisation's signal holds both as its only
 * values of that role under those two epochs and would match the placement (active,
 * unrestricted, its organisation active) — that organisation's own placement or migration
 * said they are one person (an honest epoch overlap). Without such evidence the
 * server cannot tell one person under two epochs from two people, so it charges two: the
 * bound "at most N people a day" stays true during a key rotation. A component holding a
 * paid probe costs nothing. The caller's own signals never count as evidence, so an
 * organisation cannot make its own proof.
 */
export async function placementCharge(
  tx: Pick<StoreReader, 'getOrganisationByRid' | 'pseudonymsOf'>,
  organisationRid: number,
  probes: readonly Probe[],
  hits: readonly (readonly SignalRow[])[],
  /** false when the placed or migrated signal is restricted: it matches nothing, so nothing may show. */
  proofs: boolean,
  now: number,
): Promise<number> {
  const parent = probes.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const rowsOf = new Map<number, Awaited<ReturnType<StoreReader['pseudonymsOf']>>>();
  // Only a signal the placement matches (and so reveals anyway) is proof: an archived or
  // restricted one must not show through the charge (docs/leakage.md §4.6).
  const orgActive = new Map<number, boolean>();
  const matchable = async (t: SignalRow): Promise<boolean> => {
    if (t.organisationRid === organisationRid || !isLive(t, now) || isRestricted(t)) return false;
    let active = orgActive.get(t.organisationRid);
    if (active === undefined) {
      active = (await tx.getOrganisationByRid(t.organisationRid))?.status === 'active';
      orgActive.set(t.organisationRid, active);
    }
    return active;
  };
  for (let i = 0; i < probes.length; i++) {
    for (let j = i + 1; j < probes.length; j++) {
      const [pi, pj] = [probes[i]!, probes[j]!];
      if (!proofs || pi.role !== pj.role || pi.epoch === pj.epoch || root(i) === root(j)) continue;
      const inJ = new Set(hits[j]!.map((t) => t.rid));
      for (const t of hits[i]!) {
        if (!inJ.has(t.rid) || !(await matchable(t))) continue;
        let rows = rowsOf.get(t.rid);
        if (rows === undefined) {
          rows = await tx.pseudonymsOf(t.rid);
          rowsOf.set(t.rid, rows);
        }
        const under = (epoch: number) => rows!.filter((r) => r.role === pi.role && r.epoch === epoch);
        const [ri, rj] = [under(pi.epoch), under(pj.epoch)];
        // A held parent link makes no family match, so it is no proof either (parent-holds.ts).
        if (ri.length === 1 && rj.length === 1 && (ri[0]!.held ?? 0) === 0 && (rj[0]!.held ?? 0) === 0) {
          parent[root(i)] = root(j);
          break;
        }
      }
    }
  }
  const components = new Map<number, boolean>();
  for (let i = 0; i < probes.length; i++) {
    const r = root(i);
    components.set(r, (components.get(r) ?? false) || probes[i]!.paid);
  }
  let units = 0;
  for (const paid of components.values()) if (!paid) units++;
  return units;
}

/** Refuses when `units` more would exceed today's budget (inside the write that charges them). */
export async function checkBudget(
  tx: StoreWriter,
  org: OrganisationRow,
  now: number,
  units: number,
): Promise<void> {
  if ((await countToday(tx, org.rid, now)) + units > org.placementBudgetPerDay) throw budgetExceeded(now);
}

function budgetExceeded(now: number): EngineError {
  const retryAfterSeconds = Math.max(1, Math.ceil((startOfDay(now) + DAY_MS - now) / 1000));
  return new EngineError('budget_exceeded', 'the placement budget for today is used up', {
    retryAfterSeconds,
  });
}

/** Charges one created placement's units. True when this charge raised the hourly alert. */
export async function countPlacement(
  ctx: EngineContext,
  tx: StoreWriter,
  org: OrganisationRow,
  now: number,
  units: number,
): Promise<boolean> {
  const hour = hourOf(now);
  // One statement in the usual case: count, and read back whether the hour already alerted.
  const { count, alerted } = await tx.addToPlacementHour(org.rid, hour, units);
  const alert = !alerted && count > ctx.config.placementAlertPerHour;
  if (alert) {
    await tx.setPlacementHour(org.rid, hour, { count, alerted: true });
    await appendLog(
      tx,
      now,
      { kind: 'system' },
      'alert.placement_rate',
      { organisationId: org.id },
      { chargedThisHour: count, threshold: ctx.config.placementAlertPerHour },
    );
  }
  return alert;
}

/**
 * The budget and hourly counter of ONE batch write (the batch path): read once, counted
 * in memory item by item, written once by `flush()` — the same outcome as
 * checkBudget/countPlacement per item, with three statements per batch instead of three
 * per item. A (role, stored value) charged by an earlier item of the batch is paid for the
 * later ones (`isPaid`). `snapshot`/`restore` undo a refused item's charge.
 */
export class PlacementTally {
  #today: number | undefined;
  #hour: { count: number; alerted: boolean } | undefined;
  #dirty = false;
  #paid = new Set<string>();
  /** The keys added to #paid, in order, so that `restore` removes an item's without copying the set. */
  #added: string[] = [];

  constructor(
    private readonly ctx: EngineContext,
    private readonly tx: StoreWriter,
    private readonly org: OrganisationRow,
    private readonly now: number,
    /** The write's keys of stored values (shared with its view: bytes-key.ts `RoleKeys`). */
    private readonly keys = new RoleKeys(),
  ) {}

  isPaid(role: PseudonymRole, stored: Uint8Array): boolean {
    return this.#paid.has(this.keys.key(role, stored));
  }

  /**
   * Enters the budget section and reads today's use and the hour's counter, the two reads
   * sent together (one round trip on PostgreSQL) — what check and count would read first.
   */
  async load(): Promise<void> {
    const [today, hour] = await Promise.all([
      countToday(this.tx, this.org.rid, this.now),
      this.tx.placementHour(this.org.rid, hourOf(this.now)),
    ]);
    this.#today ??= today;
    this.#hour ??= hour ?? { count: 0, alerted: false };
  }

  /**
   * `load` without a long wait (docs/engine.md "Coalesced placements"): enters the budget
   * section only if no other write holds it longer than `patienceMs` (`tryBudgetSection`),
   * the two reads sent behind it in the same round trip. False, with nothing loaded, when
   * another write held it: the reads then ran outside the section and are dropped.
   */
  async tryLoad(patienceMs: number): Promise<boolean> {
    const [entered, today, hour] = await Promise.all([
      this.tx.tryBudgetSection(this.org.rid, patienceMs),
      countToday(this.tx, this.org.rid, this.now),
      this.tx.placementHour(this.org.rid, hourOf(this.now)),
    ]);
    if (!entered) return false;
    this.#today ??= today;
    this.#hour ??= hour ?? { count: 0, alerted: false };
    return true;
  }

  /**
   * Refuses `units` more today. `at` is the refused placement's own time for its
   * Retry-After (a coalesced group shares one tally, and its placements' times differ).
   */
  async check(units: number, at = this.now): Promise<void> {
    this.#today ??= await countToday(this.tx, this.org.rid, this.now);
    if (this.#today + units > this.org.placementBudgetPerDay) throw budgetExceeded(at);
  }

  /**
   * Whether `units` can be checked and counted now without a read or an alert: today's use
   * and the hour's counter are loaded, the units fit today's budget, and counting them
   * raises no hourly alert (batch-plan.ts `planFresh`; `check` and `count` then do nothing
   * else but what `countLoaded` does).
   */
  fitsLoaded(units: number): boolean {
    const today = this.#today;
    const hour = this.#hour;
    if (today === undefined || hour === undefined) return false;
    if (today + units > this.org.placementBudgetPerDay) return false;
    return hour.alerted || hour.count + units <= this.ctx.config.placementAlertPerHour;
  }

  /** `count` when `fitsLoaded(units)` held: the same changes, no await, no alert. */
  countLoaded(units: number, probes: readonly Probe[]): void {
    for (const p of probes) {
      const key = this.keys.key(p.role, p.stored);
      if (!this.#paid.has(key)) {
        this.#paid.add(key);
        this.#added.push(key);
      }
    }
    const hour = this.#hour!;
    this.#hour = { count: hour.count + units, alerted: hour.alerted };
    this.#today = this.#today! + units;
    this.#dirty = true;
  }

  /** Charges one created placement. True when this charge raised the hourly alert. */
  async count(units: number, probes: readonly Probe[]): Promise<boolean> {
    for (const p of probes) {
      const key = this.keys.key(p.role, p.stored);
      if (!this.#paid.has(key)) {
        this.#paid.add(key);
        this.#added.push(key);
      }
    }
    this.#today ??= await countToday(this.tx, this.org.rid, this.now);
    this.#hour ??= (await this.tx.placementHour(this.org.rid, hourOf(this.now))) ?? {
      count: 0,
      alerted: false,
    };
    const count = this.#hour.count + units;
    const alert = !this.#hour.alerted && count > this.ctx.config.placementAlertPerHour;
    this.#hour = { count, alerted: this.#hour.alerted || alert };
    this.#today += units;
    this.#dirty = true;
    if (alert) {
      await appendLog(
        this.tx,
        this.now,
        { kind: 'system' },
        'alert.placement_rate',
        { organisationId: this.org.id },
        { chargedThisHour: count, threshold: this.ctx.config.placementAlertPerHour },
      );
    }
    return alert;
  }

  snapshot(): unknown {
    // O(1): a copy of the paid set per item made a 500-item batch quadratic (docs/performance.md "Bulk").
    return { today: this.#today, hour: this.#hour, dirty: this.#dirty, added: this.#added.length };
  }

  restore(s: unknown): void {
    const v = s as {
      today: number | undefined;
      hour: { count: number; alerted: boolean } | undefined;
      dirty: boolean;
      added: number;
    };
    this.#today = v.today;
    this.#hour = v.hour;
    this.#dirty = v.dirty;
    for (const key of this.#added.splice(v.added)) this.#paid.delete(key);
  }

  async flush(): Promise<void> {
    if (this.#dirty && this.#hour !== undefined) {
      await this.tx.setPlacementHour(this.org.rid, hourOf(this.now), this.#hour);
    }
    this.#dirty = false;
  }
}

/** An organisation's day budget and how much of it is used today (whoami, admin). */
export async function budgetUsage(
  ctx: EngineContext,
  organisationId: string,
): Promise<{ perDay: number; usedToday: number }> {
  return ctx.store.read(async (tx) => {
    const o = await tx.getOrganisation(organisationId);
    if (o === undefined) notFound();
    return { perDay: o.placementBudgetPerDay, usedToday: await countToday(tx, o.rid, ctx.clock()) };
  });
}
