// The match notice e-mail outbox (docs/engine.md "Match notice e-mail"). A new match
// queues, in the same transaction, one notice per person concerned — the person who placed
// each matched signal — when that person's organisation opted in. A notice names a person
// and a match by id only; the message the server sends is fixed text ("there is a new match
// in sluis, sign in to see it") and carries nothing about the citizen or the counterpart.
// Like webhooks, a notice is never lost: failures back off (outbox.ts backoffMs) and are
// retried, and senders claim notices per row (outbox.ts), so one instance sends each. The
// address is read from the person when the notice is claimed, so a removed person, a
// deleted address, an organisation that opted out or was suspended, or an ended match
// gets nothing more (the notice is dropped with a stable code).

import type { AttemptResult, MailNotice, MailNoticeStatus, MailToSend } from '../api.js';
import { newUuid } from '../ids.js';
import type {
  MailNoticeRow,
  NewMailNotice,
  OrganisationRow,
  SignalRow,
  StoreReader,
  StoreWriter,
} from '../store/store.js';
import { fail, validateLimit } from '../validation.js';
import { type EngineContext, notFound } from './context.js';
import { afterAttempt, newClaim, validAttemptResult } from './outbox.js';
import { matchAsRecorded } from './views.js';

/** Why a notice was dropped unsent (lastErrorCode of a dropped notice). */
export const MAIL_DROP_CODES = [
  'person_removed',
  'no_email_address',
  'not_opted_in',
  'organisation_suspended',
  'match_ended',
  'signal_transferred',
] as const;
export type MailDropCode = (typeof MAIL_DROP_CODES)[number];

/** Queues a notice for each distinct person who placed one of the matched signals, if opted in. */
export async function queueMatchNotices(
  ctx: EngineContext,
  tx: StoreWriter,
  parties: readonly { readonly signal: SignalRow; readonly org: OrganisationRow }[],
  matchId: string,
  at: number,
): Promise<void> {
  for (const n of matchNotices(ctx, parties, matchId, at)) await tx.insertMailNotice(n);
}

/** The notices queueMatchNotices queues (the batch path writes them later, in one go). */
export function matchNotices(
  ctx: EngineContext,
  parties: readonly { readonly signal: SignalRow; readonly org: OrganisationRow }[],
  matchId: string,
  at: number,
): NewMailNotice[] {
  const seen = new Set<number>();
  const out: NewMailNotice[] = [];
  for (const { signal, org } of parties) {
    const person = signal.personRid;
    if (person === null || !org.matchEmail || org.status !== 'active' || seen.has(person)) continue;
    seen.add(person);
    out.push({
      id: newUuid(ctx.random),
      personRid: person,
      matchId,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lastErrorCode: null,
      createdAt: at,
      doneAt: null,
    });
  }
  return out;
}

function toNotice(n: MailNoticeRow): MailNotice {
  return {
    id: n.id,
    personId: n.personId,
    matchId: n.matchId,
    status: n.status,
    attempts: n.attempts,
    nextAttemptAt: n.nextAttemptAt,
    lastErrorCode: n.lastErrorCode,
    createdAt: n.createdAt,
    doneAt: n.doneAt,
  };
}

/** The address to send `n` to now, or why it can no longer be sent. */
async function recipient(
  tx: StoreReader,
  n: MailNoticeRow,
  now: number,
): Promise<{ to: string } | { drop: MailDropCode }> {
  const p = await tx.getPersonByRid(n.personRid);
  if (p === undefined || p.status !== 'active') return { drop: 'person_removed' };
  if (p.email === null) return { drop: 'no_email_address' };
  const o = p.organisationRid === null ? undefined : await tx.getOrganisationByRid(p.organisationRid);
  if (o === undefined || !o.matchEmail) return { drop: 'not_opted_in' };
  if (o.status !== 'active') return { drop: 'organisation_suspended' };
  const m = await tx.getMatch(n.matchId);
  if (m === undefined || m.status !== 'active') return { drop: 'match_ended' };
  const [sa, sb] = [await tx.getSignalByRid(m.a), await tx.getSignalByRid(m.b)];
  // A match with a due signal reads as ended (views.ts `matchAsRecorded`).
  if (sa === undefined || sb === undefined || matchAsRecorded(m, sa, sb, now).status !== 'active')
    return { drop: 'match_ended' };
  // Only while the person still holds one of the matched signals: a coordinator's transfer
  // moves the match to the new holder (docs/api.md "Need to know"), and the leaver no longer
  // gets its notices.
  if (sa.personRid !== n.personRid && sb.personRid !== n.personRid) return { drop: 'signal_transferred' };
  return { to: p.email };
}

/**
 * Claims up to `limit` due notices for `leaseMs` (outbox.ts) and answers them with their
 * current address and the claim to record their attempts under. Those that can no longer
 * be sent are dropped (status 'dropped', the reason as lastErrorCode) in the same write
 * and not answered.
 */
export async function claimMailNotices(
  ctx: EngineContext,
  limit: number,
  leaseMs: number,
): Promise<MailToSend[]> {
  const n = validateLimit(limit, 100, 1000);
  const claim = newClaim(ctx, leaseMs);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const send: MailToSend[] = [];
    for (const row of await tx.claimMailNotices(now, claim, n)) {
      const r = await recipient(tx, row, now);
      if ('to' in r) {
        send.push({ id: row.id, to: r.to, attempts: row.attempts, claim: claim.token });
        continue;
      }
      await tx.updateMailNotice(row.id, claim.token, {
        status: 'dropped',
        attempts: row.attempts,
        nextAttemptAt: row.nextAttemptAt,
        lastErrorCode: r.drop,
        doneAt: now,
      });
    }
    return send;
  });
}

/**
 * Records one send attempt made under `claim`: sent, or pending again after the backoff
 * with the failure's code; ends the claim. As recordDeliveryAttempt, an attempt whose
 * claim no longer holds the notice pending (its lease ended and another claim took it over,
 * sent it or dropped it) changes nothing — also when that change commits between this read
 * and the update, which is conditional on the state read here (store/contract/outbox.ts
 * `updateMailNotice`).
 */
export async function recordMailAttempt(
  ctx: EngineContext,
  noticeId: string,
  claim: string,
  result: AttemptResult,
): Promise<void> {
  validAttemptResult(result);
  await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const n = typeof noticeId === 'string' ? await tx.getMailNotice(noticeId) : undefined;
    if (n === undefined) notFound();
    if (n.status !== 'pending' || n.claim === null || n.claim !== claim) return;
    await tx.updateMailNotice(n.id, claim, {
      status: result.ok ? 'sent' : 'pending',
      ...afterAttempt(n, result, now),
    });
  });
}

const STATUSES: readonly MailNoticeStatus[] = ['pending', 'sent', 'dropped'];

export async function listMailNotices(
  ctx: EngineContext,
  query: { status?: MailNoticeStatus; limit?: number },
): Promise<MailNotice[]> {
  const n = validateLimit(query?.limit, 100, 1000);
  if (query?.status !== undefined && !STATUSES.includes(query.status)) fail(['status']);
  return ctx.store.read(async (tx) => (await tx.listMailNotices(query?.status, n)).map(toNotice));
}
