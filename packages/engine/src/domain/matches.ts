// Reading matches: the inbox (events rendered as the match is now), one match, and the
// municipality's follow-up overview; working on one (follow-up outcomes, regie) is in
// match-acts.ts. Every read that reveals contact details appends a `match.revealed` logbook
// entry in the same transaction before the caller sees anything (Jeugdwet logbook duty), so
// these reads go through the writer; the overview reveals none.

import {
  FOLLOW_UP_OUTCOMES,
  type FollowUpOverviewItem,
  type FollowUpQuery,
  type InboxEvent,
  type MatchView,
  type Page,
} from '../api.js';
import { isUuid } from '../ids.js';
import type { MatchRow, StoreWriter } from '../store/store.js';
import { DAY_MS, HOUR_MS } from '../time.js';
import { fail, validateCursor, validateLimit } from '../validation.js';
import {
  actingOrganisation,
  heldBy,
  type EngineContext,
  notFound,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { appendLog } from './logbook.js';
import { followUpOf, matchView, sidesFor } from './views.js';

export async function inbox(
  ctx: EngineContext,
  actor: OrganisationActor,
  cursor: string | undefined,
  limit: number,
): Promise<Page<InboxEvent>> {
  requireOrganisationActor(actor);
  const after = validateCursor(cursor);
  const n = validateLimit(limit, 100);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    // A professional's session: only the matches of the signals they hold (docs/api.md
    // "Need to know"), so neither the contact details nor a reveal entry of a colleague's.
    const holder = await heldBy(tx, actor, org);
    const events = await tx.eventsAfter(org.rid, after, n + 1, holder);
    const views = new Map<string, MatchView | null>();
    const items: InboxEvent[] = [];
    for (const e of events.slice(0, n)) {
      if (!views.has(e.matchId)) {
        const m = await tx.getMatch(e.matchId);
        views.set(
          e.matchId,
          m === undefined ? null : ((await matchView(tx, m, now, org.rid, holder)) ?? null),
        );
      }
      items.push({
        cursor: String(e.cursor),
        type: e.type,
        at: e.at,
        matchId: e.matchId,
        match: views.get(e.matchId)!,
      });
    }
    const revealed: string[] = [];
    for (const [id, v] of views)
      if (v !== null && (await revealDue(ctx, tx, actor, id, now))) revealed.push(id);
    if (revealed.length > 0) {
      await appendLog(
        tx,
        now,
        actor,
        'match.revealed',
        { organisationId: org.id, keyId: actor.keyId, matchIds: revealed.join(',') },
        { count: revealed.length, via: 'inbox' },
      );
    }
    const last = items[items.length - 1];
    return events.length > n && last !== undefined ? { items, nextCursor: last.cursor } : { items };
  });
}

/**
 * The organisation's match `matchId` as recorded at `now` (views.ts `matchAsRecorded`: a
 * match with a due signal is ended, so every action refused on an ended match is refused on
 * it) and its side; with `holder` (heldBy), only a match of a signal that person holds, else
 * not_found like another organisation's match.
 */
export async function ownMatch(
  tx: StoreWriter,
  orgRid: number,
  matchId: unknown,
  holder: number | undefined,
  now: number,
) {
  if (typeof matchId !== 'string' || !isUuid(matchId)) notFound();
  const stored = await tx.getMatch(matchId.toLowerCase());
  if (stored === undefined) notFound();
  const sides = await sidesFor(tx, stored, now, orgRid, holder);
  if (sides === undefined) notFound();
  return { m: sides.match, side: sides.side };
}

/**
 * Whether this read must be logged: one `match.revealed` entry per viewer (signing key,
 * and person when one acted) and match per revealLogWindowHours (docs/engine.md "Logbook"), so 300 reads of one match in a day
 * are one entry, not 300, while who saw which match and since when stays on record. True
 * also marks it logged now (the caller logs in the same write).
 */
async function revealDue(
  ctx: EngineContext,
  tx: StoreWriter,
  actor: OrganisationActor,
  matchId: string,
  now: number,
): Promise<boolean> {
  // Per viewer: a person acting through the organisation's key has marks of their own, so
  // a colleague's read within the window still logs this person's reveal.
  const viewer = actor.personId === undefined ? actor.keyId : `${actor.keyId} ${actor.personId}`;
  const last = await tx.lastRevealLogged(viewer, matchId);
  const windowMs = ctx.config.revealLogWindowHours * HOUR_MS;
  if (last !== undefined && now >= last && now - last < windowMs) return false;
  await tx.setRevealLogged(viewer, matchId, now);
  return true;
}

export async function reveal(
  ctx: EngineContext,
  tx: StoreWriter,
  actor: OrganisationActor,
  orgId: string,
  m: MatchRow,
  now: number,
  via: string,
) {
  if (!(await revealDue(ctx, tx, actor, m.id, now))) return;
  await appendLog(
    tx,
    now,
    actor,
    'match.revealed',
    { organisationId: orgId, keyId: actor.keyId, matchIds: m.id },
    { count: 1, via },
  );
}

export async function getMatch(
  ctx: EngineContext,
  actor: OrganisationActor,
  matchId: string,
): Promise<MatchView> {
  requireOrganisationActor(actor);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const holder = await heldBy(tx, actor, org);
    const { m } = await ownMatch(tx, org.rid, matchId, holder, now);
    await reveal(ctx, tx, actor, org.id, m, now, 'match');
    return (await matchView(tx, m, now, org.rid, holder))!;
  });
}

/** A follow-up cursor: the last row's creation time and match id ("<ms>.<uuid>"). */
const CURSOR_RE = /^(0|[1-9][0-9]{0,15})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const dayCount = (v: unknown, field: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 3650) fail([field]);
  return v;
};

/**
 * Matches examined per page of the follow-up overview, whatever the filters: a page costs
 * at most this many index entries, so a filter few matches pass answers a short (even
 * empty) page with a cursor instead of walking the whole table (docs/performance.md
 * "Follow-up overview"). Ten times the largest page.
 */
export const FOLLOW_UP_SCAN = 5_000;

/**
 * The municipality's follow-up overview: one page of matches with their organisations,
 * outcomes and regie, filtered and sorted in the store (docs/engine.md "The follow-up
 * overview at scale"). Ids, names, types, dates and codes only — never contact details.
 */
export async function followUpOverview(
  ctx: EngineContext,
  query: FollowUpQuery = {},
): Promise<Page<FollowUpOverviewItem>> {
  if (typeof query !== 'object' || query === null) fail(['query']);
  const bad: string[] = [];
  const check = <T>(f: () => T, field: string): T | undefined => {
    try {
      return f();
    } catch {
      bad.push(field);
      return undefined;
    }
  };
  const days =
    check(() => dayCount(query.noContactAfterDays, 'noContactAfterDays'), 'noContactAfterDays') ?? 14;
  const minAge = check(() => dayCount(query.minAgeDays, 'minAgeDays'), 'minAgeDays');
  const maxAge = check(() => dayCount(query.maxAgeDays, 'maxAgeDays'), 'maxAgeDays');
  const limit = check(() => validateLimit(query.limit, 100), 'limit') ?? 100;
  const status = query.status ?? 'active';
  if (status !== 'active' && status !== 'ended') bad.push('status');
  const followUp = query.followUp;
  if (followUp !== undefined && followUp !== 'none' && followUp !== 'overdue' && followUp !== 'recorded') {
    bad.push('followUp');
  }
  if (query.outcome !== undefined && !FOLLOW_UP_OUTCOMES.includes(query.outcome)) bad.push('outcome');
  const type = query.organisationType;
  if (type !== undefined && (typeof type !== 'string' || !ctx.config.organisationTypes.includes(type))) {
    bad.push('organisationType');
  }
  const sort = query.sort ?? 'oldest';
  if (sort !== 'oldest' && sort !== 'newest') bad.push('sort');
  let after: { createdAt: number; id: string } | null = null;
  if (query.cursor !== undefined) {
    const m = typeof query.cursor === 'string' ? CURSOR_RE.exec(query.cursor) : null;
    if (m === null) bad.push('cursor');
    else after = { createdAt: Number(m[1]), id: m[2]! };
  }
  if (bad.length > 0) fail(bad);
  return ctx.store.read(async (tx) => {
    const now = ctx.clock();
    const overdueBefore = now - days * DAY_MS - 1;
    // createdAt bounds from the age filters and, for 'overdue', the overdue line.
    const upper = [
      minAge === undefined ? null : now - minAge * DAY_MS,
      followUp === 'overdue' ? overdueBefore : null,
    ].filter((v): v is number => v !== null);
    const { rows, scannedTo } = await tx.followUpPage({
      status,
      createdFrom: maxAge === undefined ? null : now - (maxAge + 1) * DAY_MS + 1,
      createdTo: upper.length === 0 ? null : Math.min(...upper),
      withoutOutcome: followUp === undefined ? null : followUp !== 'recorded',
      outcome: query.outcome ?? null,
      organisationType: type ?? null,
      // A match with a due signal reads as ended (views.ts `matchAsRecorded`): not on the
      // active pages; on the ended pages once its expiry is recorded.
      dueBy: status === 'active' ? now : null,
      order: sort === 'oldest' ? 'asc' : 'desc',
      after,
      limit: limit + 1,
      scan: FOLLOW_UP_SCAN,
    });
    const items = rows.slice(0, limit).map(({ match: m, a, b }): FollowUpOverviewItem => {
      const parties = [];
      for (const [side, p] of [
        ['a', a],
        ['b', b],
      ] as const) {
        if (p === null) continue;
        const f = followUpOf(m, side);
        parties.push({
          organisationId: p.organisationId,
          organisationName: p.organisationName,
          organisationType: p.organisationType,
          signalId: p.signalId,
          contactMadeAt: f?.outcome === 'contact_made' ? f.at : null,
          followUp: f,
        });
      }
      const holder = m.regieHolder === null ? null : m.regieHolder === 'a' ? a : b;
      return {
        matchId: m.id,
        kind: m.kind,
        status: m.status,
        createdAt: m.createdAt,
        parties,
        regie: { organisationId: holder?.organisationId ?? null, since: m.regieSince },
        overdue: m.outcomeA === null && m.outcomeB === null && m.createdAt <= overdueBefore,
      };
    });
    // More than a page passed: the next starts after the last item. Fewer, but the walk
    // stopped at FOLLOW_UP_SCAN with more to come: after the last match examined.
    const last = rows.length > limit ? rows[limit - 1]?.match : undefined;
    const next = last ?? scannedTo;
    return next === null || next === undefined
      ? { items }
      : { items, nextCursor: `${next.createdAt}.${next.id}` };
  });
}
