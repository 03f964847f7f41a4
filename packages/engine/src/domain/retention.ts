// Retention enforced by the server (Jeugdwet art. 7.1.4.1–7.1.4.3; docs/privacy.md §4):
// active signals expire at their end date or after the active term (≤ 2 years) and go to
// the archive (a placement may have recorded an expiry first: lifecycle.ts `expire`);
// archived signals are purged with their matches, pseudonyms and events once
// the archive term has passed. Works in bounded chunks (short write transactions), then
// checkpoints the WAL so purged content leaves it too (secure_delete covers the file).

import { DECLINE_TERM_MS, REFUSAL_TERM_MS } from './handover-requests.js';
import type { Actor, RetentionReport } from '../api.js';
import { DAY_MS, HOUR_MS } from '../time.js';
import { type EngineContext, requireAdmin } from './context.js';
import { expire, removeSignal } from './lifecycle.js';
import { appendLog, purgeLogbook } from './logbook.js';

const CHUNK = 200;
/** Delivered webhook rows and sent or dropped mail notices are kept this long for the operator's view. */
const DELIVERED_KEEP_MS = 30 * DAY_MS;
/**
 * An inbox `match.removed` event is kept this long (docs/privacy.md §4): it names only a
 * match that is gone, and a reader offline for longer re-reads the matches it holds.
 */
const REMOVED_EVENT_KEEP_MS = 30 * DAY_MS;

export async function runRetention(ctx: EngineContext, actor: Actor): Promise<RetentionReport> {
  requireAdmin(actor);
  const ranAt = ctx.clock();
  let expired = 0;
  let purgedSignals = 0;
  let purgedMatches = 0;
  for (;;) {
    const n = await ctx.store.write(async (tx) => {
      const due = await tx.signalsExpiringBy(ranAt, CHUNK);
      for (const s of due) await expire(ctx, tx, s, ranAt);
      return due.length;
    });
    expired += n;
    if (n < CHUNK) break;
  }
  for (;;) {
    const r = await ctx.store.write(async (tx) => {
      const due = await tx.signalsPurgeableBy(ranAt, CHUNK);
      let matches = 0;
      for (const s of due) matches += await removeSignal(ctx, tx, s, ranAt, 'purged', { kind: 'system' });
      return { signals: due.length, matches };
    });
    purgedSignals += r.signals;
    purgedMatches += r.matches;
    if (r.signals < CHUNK) break;
  }
  const housekeeping = await ctx.store.write(async (tx) => {
    // A `match.removed` event (a match gone by erasure, withdrawal in error or purge) keeps
    // only the 30 days a reader has to resume from its cursor and learn it (docs/api.md "the
    // match inbox"), not the archive term (docs/privacy.md §4).
    const eventsBefore = ranAt - ctx.config.archiveTermDays * DAY_MS;
    const events = await tx.deleteEventsBefore(eventsBefore, ranAt - REMOVED_EVENT_KEEP_MS);
    // A webhook still pending for an event now gone would point at nothing (docs/api.md
    // "Webhooks"): it ends at the same term, kept as `expired` for the operator's view.
    const expiredDeliveries = await tx.expireDeliveriesBefore(
      eventsBefore,
      ranAt - REMOVED_EVENT_KEEP_MS,
      ranAt,
    );
    const deliveries = await tx.deleteDeliveredBefore(ranAt - DELIVERED_KEEP_MS);
    // Sent and dropped match notices go after the same term (docs/engine.md "Match notice e-mail").
    await tx.deleteDoneMailNoticesBefore(ranAt - DELIVERED_KEEP_MS);
    const nonces = await tx.deleteExpiredNonces(ranAt);
    const hours = await tx.deletePlacementHoursBefore(Math.floor((ranAt - 2 * DAY_MS) / HOUR_MS));
    await tx.deleteRevealMarksBefore(ranAt - ctx.config.revealLogWindowHours * HOUR_MS);
    // Placement refusals past their day (docs/engine.md "Handover requests").
    await tx.deletePlacementRefusalsBefore(ranAt - REFUSAL_TERM_MS);
    // Declined requests past their term, told to their asker till then.
    await tx.deleteHandoverDeclinesBefore(ranAt - DECLINE_TERM_MS);
    await appendLog(tx, ranAt, actor, 'retention.run', {}, { expired, purgedSignals, purgedMatches, events });
    return { events, expiredDeliveries, deliveries, nonces, hours };
  });
  // Logbook entries past their term, behind a checkpointed head (docs/engine.md "Logbook retention").
  await purgeLogbook(ctx, actor, ranAt);
  const deletedPeople = await deleteRemovedPeople(ctx, ranAt);
  if (purgedSignals > 0 || housekeeping.events > 0 || deletedPeople > 0) await ctx.store.compact();
  return {
    expired,
    purgedSignals,
    purgedMatches,
    expiredDeliveries: housekeeping.expiredDeliveries,
    deletedPeople,
    ranAt,
  };
}

/**
 * Deletes the rows of people removed longer ago than the logbook term (docs/privacy.md §4),
 * with anything still hanging on them: by then every entry naming them is purged (the purge
 * above) and every signal they held is gone (the logbook term is at least the active plus
 * the archive term, config.ts); one still holding a signal waits for it. Counts only.
 */
async function deleteRemovedPeople(ctx: EngineContext, ranAt: number): Promise<number> {
  const before = ranAt - ctx.config.logbookRetentionDays * DAY_MS;
  let deleted = 0;
  for (;;) {
    const n = await ctx.store.write(async (tx) => {
      const due = await tx.removedPeopleBefore(before, CHUNK);
      for (const rid of due) {
        await tx.deleteSignInOfPerson(rid);
        await tx.deleteHandoverOfPerson(rid);
        await tx.deletePerson(rid);
      }
      return due.length;
    });
    deleted += n;
    if (n < CHUNK) return deleted;
  }
}
