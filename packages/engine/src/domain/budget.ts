// Placement budget and rate alert (enumeration defence, brief property 4). Every created
// placement counts, even if later withdrawn, so placing and withdrawing cannot be used to
// probe more people than the budget allows. Counts live in hour buckets: the day budget
// is the sum of today's UTC buckets; the alert fires once per clock hour above the limit.

import { EngineError } from '../errors.js';
import type { OrganisationRow, StoreWriter } from '../store/store.js';
import { DAY_MS, HOUR_MS, hourOf, startOfDay } from '../time.js';
import type { EngineContext } from './context.js';
import { appendLog } from './logbook.js';

async function countToday(
  tx: Pick<StoreWriter, 'placementsSince'>,
  orgRid: number,
  now: number,
): Promise<number> {
  return tx.placementsSince(orgRid, startOfDay(now) / HOUR_MS);
}

export async function checkBudget(tx: StoreWriter, org: OrganisationRow, now: number): Promise<void> {
  if ((await countToday(tx, org.rid, now)) >= org.placementBudgetPerDay) {
    const retryAfterSeconds = Math.max(1, Math.ceil((startOfDay(now) + DAY_MS - now) / 1000));
    throw new EngineError('budget_exceeded', 'the placement budget for today is used up', {
      retryAfterSeconds,
    });
  }
}

/** Counts one created placement. True when this placement raised the hourly alert. */
export async function countPlacement(
  ctx: EngineContext,
  tx: StoreWriter,
  org: OrganisationRow,
  now: number,
): Promise<boolean> {
  const hour = hourOf(now);
  const cur = (await tx.placementHour(org.rid, hour)) ?? { count: 0, alerted: false };
  const count = cur.count + 1;
  const alert = !cur.alerted && count > ctx.config.placementAlertPerHour;
  await tx.setPlacementHour(org.rid, hour, { count, alerted: cur.alerted || alert });
  if (alert) {
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

export async function placementsToday(
  tx: Pick<StoreWriter, 'placementsSince'>,
  orgRid: number,
  now: number,
): Promise<number> {
  return countToday(tx, orgRid, now);
}
