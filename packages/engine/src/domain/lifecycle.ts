// The two ways a signal stops being active. Deactivation (withdrawn as ended, expired)
// keeps it archived and ends its matches; removal (withdrawn in error, erased, purged)
// deletes it with its stored pseudonyms and matches at once. Either way every matched
// organisation is told in the same transaction, and the logbook records ids only — except
// for an erasure, which the logbook records with counts only (docs/leakage.md §3.5).

import type { Actor, EndReason } from '../api.js';
import type { MatchRow, OrganisationRow, SignalRow, StoreWriter } from '../store/store.js';
import { DAY_MS } from '../time.js';
import type { EngineContext } from './context.js';
import { appendLog } from './logbook.js';
import { notifyParties } from './notify.js';
import { asRecorded, isDue } from './views.js';

async function partyOrgs(tx: StoreWriter, aRid: number, bRid: number): Promise<OrganisationRow[]> {
  const out: OrganisationRow[] = [];
  for (const rid of [aRid, bRid]) {
    const s = await tx.getSignalByRid(rid);
    const o = s === undefined ? undefined : await tx.getOrganisationByRid(s.organisationRid);
    if (o !== undefined) out.push(o);
  }
  return out;
}

/** active → inactive (archived until purgeAt). Returns the matches that ended. */
export async function deactivate(
  ctx: EngineContext,
  tx: StoreWriter,
  s: SignalRow,
  reason: Exclude<EndReason, 'erased_by_request' | 'expired'>,
  at: number,
): Promise<number> {
  await tx.updateSignal(s.rid, {
    status: 'inactive',
    endReason: reason,
    endedAt: at,
    purgeAt: at + ctx.config.archiveTermDays * DAY_MS,
  });
  // An ended signal is handed over to no one (docs/engine.md "Handover requests").
  await tx.deleteHandoverRequestsOfSignal(s.rid);
  return endMatches(ctx, tx, s, reason, at);
}

/**
 * When an expiry ends match `m`: at the expired signal's expiresAt, or at the other side's
 * when that signal is due too and expired first — what reads answered before the expiry was
 * recorded (views.ts `matchAsRecorded`).
 */
async function expiryEnd(tx: StoreWriter, s: SignalRow, m: MatchRow, at: number): Promise<number> {
  const other = await tx.getSignalByRid(m.a === s.rid ? m.b : m.a);
  return other !== undefined && isDue(other, at) ? Math.min(s.expiresAt, other.expiresAt) : s.expiresAt;
}

/**
 * Ends the signal's active matches and tells their parties (at `at`). A match ends at `at`,
 * or by an expiry at the expiry's instant (`expiryEnd`). Returns how many.
 */
async function endMatches(
  ctx: EngineContext,
  tx: StoreWriter,
  s: SignalRow,
  reason: Exclude<EndReason, 'erased_by_request'>,
  at: number,
): Promise<number> {
  let ended = 0;
  for (const m of await tx.matchesOfSignal(s.rid)) {
    if (m.status !== 'active') continue;
    await tx.updateMatch(m.rid, {
      status: 'ended',
      endedAt: reason === 'expired' ? await expiryEnd(tx, s, m, at) : at,
      proposalBy: null,
      proposalFor: null,
      proposalAt: null,
    });
    await notifyParties(ctx, tx, await partyOrgs(tx, m.a, m.b), 'match.ended', m.id, at);
    await appendLog(tx, at, { kind: 'system' }, 'match.ended', { matchId: m.id, signalId: s.id }, { reason });
    ended++;
  }
  return ended;
}

/**
 * Expires a due signal (views.ts `isDue`) at `at`: by retention, or by a placement that
 * found it first. It ends at its expiresAt (views.ts `asRecorded`), and so do its matches
 * (`matchAsRecorded`), so the rows do not depend on when this runs; the parties are told at `at`, and the
 * logbook records `signal.expired`. Only the write that changed the row does so: one that
 * finds it expired meanwhile by a concurrent write (store `expireSignal`) records nothing.
 * Returns the matches that ended.
 */
export async function expire(ctx: EngineContext, tx: StoreWriter, s: SignalRow, at: number): Promise<number> {
  const purgeAt = s.expiresAt + ctx.config.archiveTermDays * DAY_MS;
  if (!(await tx.expireSignal(s.rid, s.expiresAt, purgeAt))) return 0;
  await tx.deleteHandoverRequestsOfSignal(s.rid);
  const ended = await endMatches(ctx, tx, s, 'expired', at);
  await appendLog(tx, at, { kind: 'system' }, 'signal.expired', { signalId: s.id }, { matchesEnded: ended });
  return ended;
}

/**
 * Expires every due signal among `lists` (each once) inside a placement's write, as
 * retention would have, and answers the lists with those rows as now recorded. Called
 * after the placement's last refusal, so a refused placement still changes nothing.
 */
export async function expireDue(
  ctx: EngineContext,
  tx: StoreWriter,
  lists: readonly (readonly SignalRow[])[],
  at: number,
): Promise<SignalRow[][]> {
  const done = new Map<number, SignalRow>();
  for (const l of lists) {
    for (const t of l) {
      if (!isDue(t, at) || done.has(t.rid)) continue;
      await expire(ctx, tx, t, at);
      done.set(t.rid, asRecorded(t, at, ctx.config.archiveTermDays));
    }
  }
  return lists.map((l) => (done.size === 0 ? [...l] : l.map((t) => done.get(t.rid) ?? t)));
}

/**
 * Deletes the signal, its pseudonyms and its matches. Returns the matches removed. A
 * withdrawal in error and a purge (the organisation's act, the retention's) log each match
 * removed with its reason; an erasure or an upheld objection (the citizen's own act) logs
 * none: an entry naming the match and signal would mark that person's earlier entries as
 * erased for the logbook's term, so only the `gdpr.erased` / `gdpr.objection` counts tell
 * it (docs/leakage.md §3.5, docs/privacy.md §2 art. 17). Every reason deletes the matches'
 * reveal marks in the same write.
 */
export async function removeSignal(
  ctx: EngineContext,
  tx: StoreWriter,
  s: SignalRow,
  at: number,
  reason: 'error' | 'erased' | 'purged',
  actor: Actor,
): Promise<number> {
  let removed = 0;
  for (const m of await tx.matchesOfSignal(s.rid)) {
    const orgs = await partyOrgs(tx, m.a, m.b);
    await tx.deleteMatch(m.rid);
    await notifyParties(ctx, tx, orgs, 'match.removed', m.id, at);
    if (reason !== 'erased') {
      await appendLog(tx, at, actor, 'match.removed', { matchId: m.id, signalId: s.id }, { reason });
    }
    // Nothing reveals a deleted match again, whatever deleted it: its marks go now, not with
    // retention's next run (docs/privacy.md §4 "Reveal marks").
    await tx.deleteRevealMarksOfMatch(m.id);
    removed++;
  }
  await tx.deleteSignal(s.rid);
  return removed;
}
