// Placement budget and rate alert (enumeration defence, docs/threat-model.md §5.3). Every created
// placement counts, even if later withdrawn, so placing and withdrawing cannot be used to
// probe more people than the budget allows. Counts live in hour buckets: the day budget
// is the sum of today's UTC buckets; the alert fires once per clock hour above the limit.

import { EngineError } from '../errors.js';
import type { OrganisationRow, StoreWriter } from '../store/store.js';
import { DAY_MS, HOUR_MS, hourOf, startOfDay } from '../time.js';
import { type EngineContext, notFound } from './context.js';
import { appendLog } from './logbook.js';

async function countToday(
  tx: Pick<StoreWriter, 'placementsSince'>,
  orgRid: number,
  now: number,
): Promise<number> {
  return tx.placementsSince(orgRid, startOfDay(now) / HOUR_MS);
}

export async function checkBudget(tx: StoreWriter, org: OrganisationRow, now: number): Promise<void> {
  if ((await countToday(tx, org.rid, now)) >= org.placementBudgetPerDay) throw budgetExceeded(now);
}

function budgetExceeded(now: number): EngineError {
  const retryAfterSeconds = Math.max(1, Math.ceil((startOfDay(now) + DAY_MS - now) / 1000));
  return new EngineError('budget_exceeded', 'the placement budget for today is used up', {
    retryAfterSeconds,
  });
}

/** Counts one created placement. True when this placement raised the hourly alert. */
export async function countPlacement(
  ctx: EngineContext,
  tx: StoreWriter,
  org: OrganisationRow,
  now: number,
): Promise<boolean> {
  const hour = hourOf(now);
  // One statement in the usual case: count, and read back whether the hour already alerted.
  const { count, alerted } = await tx.addToPlacementHour(org.rid, hour, 1);
  const alert = !alerted && count > ctx.config.placementAlertPerHour;
  if (alert) {
    await tx.setPlacementHour(org.rid, hour, { count, alerted: true });
    await appendLog(
      tx,
      now,
      { kind: 'system' },
      'alert.placement_rate',
      { organisationId: org.id },
      { placementsThisHour: count, threshold: ctx.config.placementAlertPerHour },
    );
  }
  return alert;
}

/**
 * The budget and hourly counter of ONE batch write (the batch path): read once, counted
 * in memory item by item, written once by `flush()` — the same outcome as
 * checkBudget/countPlacement per item, with three statements per batch instead of three
 * per item. `snapshot`/`restore` undo an item whose savepoint was rolled back.
 */
export class PlacementTally {
  #today: number | undefined;
  #hour: { count: number; alerted: boolean } | undefined;
  #dirty = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly tx: StoreWriter,
    private readonly org: OrganisationRow,
    private readonly now: number,
  ) {}

  async check(): Promise<void> {
    this.#today ??= await countToday(this.tx, this.org.rid, this.now);
    if (this.#today >= this.org.placementBudgetPerDay) throw budgetExceeded(this.now);
  }

  /** Counts one created placement. True when this placement raised the hourly alert. */
  async count(): Promise<boolean> {
    this.#today ??= await countToday(this.tx, this.org.rid, this.now);
    this.#hour ??= (await this.tx.placementHour(this.org.rid, hourOf(this.now))) ?? {
      count: 0,
      alerted: false,
    };
    const count = this.#hour.count + 1;
    const alert = !this.#hour.alerted && count > this.ctx.config.placementAlertPerHour;
    this.#hour = { count, alerted: this.#hour.alerted || alert };
    this.#today++;
    this.#dirty = true;
    if (alert) {
      await appendLog(
        this.tx,
        this.now,
        { kind: 'system' },
        'alert.placement_rate',
        { organisationId: this.org.id },
        { placementsThisHour: count, threshold: this.ctx.config.placementAlertPerHour },
      );
    }
    return alert;
  }

  snapshot(): unknown {
    return { today: this.#today, hour: this.#hour, dirty: this.#dirty };
  }

  restore(s: unknown): void {
    const v = s as {
      today: number | undefined;
      hour: { count: number; alerted: boolean } | undefined;
      dirty: boolean;
    };
    this.#today = v.today;
    this.#hour = v.hour;
    this.#dirty = v.dirty;
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
