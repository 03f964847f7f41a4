// Renders what a caller may see. A signal view goes only to its own organisation. A
// match view gives the viewer the counterpart's organisation name and contact details,
// the match time, kind, status, follow-up and regie — nothing about the counterpart's
// signal dates and nothing about any organisation not in this match. Of a consent the
// counterpart sees only whether it exists and its scopes — never its date or form reference.
// Past its expiresAt a signal, and every match it is in, reads as its recorded expiry will
// leave it (docs/engine.md "The life of a signal"). A counterpart's contact is shown only
// while its signal is live and neither signal of the match is restricted (GDPR art. 18) or
// under a pending objection (art. 21): never once it is withdrawn, expired or ended by a key
// retirement (docs/engine.md "What a match reveals").

import type { ConsentScope, CoordinationView, FollowUpRecord, MatchView, RegieView, Signal } from '../api.js';
import type { MatchRow, Side, SignalRow, StoreReader } from '../store/store.js';
import { DAY_MS } from '../time.js';
import { familyMatchHold, holdObjects, holdRestricts } from './parent-holds.js';

export function isRestricted(s: SignalRow): boolean {
  return s.restricted || s.objection === 'pending';
}

/**
 * Active and before its expiresAt: only such a signal matches or answers a placement as
 * `existing`. A signal is inactive from its expiresAt on, whether or not retention (or a
 * placement that found it) has recorded that yet (docs/engine.md "The life of a signal").
 */
export function isLive(s: SignalRow, now: number): boolean {
  return s.status === 'active' && s.expiresAt > now;
}

/** Stored as active but past its expiresAt: retention, or the next placement that finds it, expires it. */
export function isDue(s: SignalRow, now: number): boolean {
  return s.status === 'active' && s.expiresAt <= now;
}

/**
 * The row as its expiry records it (lifecycle.ts `expire`) once it is due: inactive,
 * `expired`, ended at its expiresAt and archived from then on. What a read answers before
 * retention has run is what it answers after.
 */
export function asRecorded(s: SignalRow, now: number, archiveTermDays: number): SignalRow {
  if (!isDue(s, now)) return s;
  return {
    ...s,
    status: 'inactive',
    endReason: 'expired',
    endedAt: s.expiresAt,
    purgeAt: s.expiresAt + archiveTermDays * DAY_MS,
  };
}

/**
 * The match as recording the expiry of a due signal on either side leaves it (lifecycle.ts
 * `expire`): ended at the earlier due signal's expiresAt, with no open regie proposal. Like
 * `asRecorded`, a read before retention (or a placement) has recorded the expiry answers
 * what it answers after (docs/engine.md "The life of a signal").
 */
export function matchAsRecorded(m: MatchRow, a: SignalRow, b: SignalRow, now: number): MatchRow {
  if (m.status !== 'active') return m;
  const due = [a, b].filter((s) => isDue(s, now)).map((s) => s.expiresAt);
  if (due.length === 0) return m;
  return {
    ...m,
    status: 'ended',
    endedAt: Math.min(...due),
    proposalBy: null,
    proposalFor: null,
    proposalAt: null,
  };
}

/**
 * Whether a match may show the counterpart signal's contact to the side of `own`: only while
 * the counterpart's signal is live (`isLive`) and neither signal is restricted — by the GDPR
 * desk (art. 18) or by a pending objection (art. 21, `isRestricted`). A contact is revealed
 * because both organisations are involved now; once the counterpart's involvement ended —
 * withdrawn, expired (recorded or not) or ended by a key retirement — its contact is null to
 * the other side, on an ended match too. A restriction allows storage only (art. 18(2)), and
 * showing a contact on the match of a restricted signal is processing of it: withheld from both
 * parties until lifted (docs/engine.md "What a match reveals"; docs/privacy.md §2, art. 18).
 * `hold`: a family match that exists only through held parent links holds back the contact
 * likewise (parent-holds.ts `familyMatchHold`).
 */
export function revealsContact(own: SignalRow, counterpart: SignalRow, now: number, hold = 0): boolean {
  return isLive(counterpart, now) && !isRestricted(own) && !isRestricted(counterpart) && hold === 0;
}

export async function signalView(tx: StoreReader, s: SignalRow, organisationId: string): Promise<Signal> {
  const ps = await tx.pseudonymsOf(s.rid);
  const epochs = [...new Set(ps.filter((p) => p.role === 'subject').map((p) => p.epoch))].sort(
    (a, b) => a - b,
  );
  return signalViewOf(s, organisationId, epochs);
}

/** The view when the subject epochs are already known (sorted, distinct). */
export function signalViewOf(s: SignalRow, organisationId: string, epochs: number[]): Signal {
  return {
    id: s.id,
    organisationId,
    status: s.status,
    contact: s.contact,
    informed: s.informed,
    placedAt: s.placedAt,
    expiresAt: s.expiresAt,
    endedAt: s.endedAt,
    endReason: s.endReason,
    purgeAt: s.purgeAt,
    epochs,
    hasParents: s.hasParents,
    legalBasis: s.legalBasis,
    underObjection: isShownUnderObjection(s),
    restricted: s.restricted && s.restrictionRegistered,
  };
}

/**
 * Whether the signal's own organisation is told it is under objection: a pending
 * objection the desk registered on it. One inherited at placement restricts the signal
 * just the same but is not shown: it would tell the placer that the person has another
 * signal (docs/engine.md "Objections").
 */
export function isShownUnderObjection(s: SignalRow): boolean {
  return s.objection === 'pending' && !s.objectionInherited;
}

export interface MatchSides {
  readonly match: MatchRow;
  readonly side: Side;
  readonly own: SignalRow;
  readonly other: SignalRow;
}

/**
 * The viewer's side of a match, or undefined when the viewer is not a party. With `holder`
 * (a professional's session, domain/context.ts heldBy) the viewer's side is the one whose
 * signal that person holds, and undefined when they hold neither. `match` is the row as
 * recorded at `now` (`matchAsRecorded`): a match with a due signal reads as ended.
 */
export async function sidesFor(
  tx: StoreReader,
  m: MatchRow,
  now: number,
  viewerRid: number,
  holder?: number,
): Promise<MatchSides | undefined> {
  const a = await tx.getSignalByRid(m.a);
  const b = await tx.getSignalByRid(m.b);
  if (a === undefined || b === undefined) return undefined;
  const match = matchAsRecorded(m, a, b, now);
  const mine = (s: SignalRow) =>
    s.organisationRid === viewerRid && (holder === undefined || s.personRid === holder);
  // With same-organisation matching both sides may be the viewer's; it sees side a.
  if (mine(a)) return { match, side: 'a', own: a, other: b };
  if (mine(b)) return { match, side: 'b', own: b, other: a };
  return undefined;
}

const rel = (s: Side | null, me: Side): 'me' | 'counterpart' | null =>
  s === null ? null : s === me ? 'me' : 'counterpart';

export function regieView(m: MatchRow, me: Side): RegieView {
  const by = rel(m.proposalBy, me);
  const forWhom = rel(m.proposalFor, me);
  return {
    holder: rel(m.regieHolder, me),
    since: m.regieSince,
    proposal:
      by !== null && forWhom !== null && m.proposalAt !== null
        ? { by, for: forWhom, at: m.proposalAt }
        : null,
  };
}

/** Scopes of the signal's current (not withdrawn) consent; empty when there is none. */
export async function currentScopes(tx: StoreReader, signalRid: number): Promise<readonly ConsentScope[]> {
  const c = await tx.getConsent(signalRid);
  return c === undefined || c.withdrawnAt !== null ? [] : c.scopes;
}

export async function coordinationView(
  tx: StoreReader,
  own: SignalRow,
  other: SignalRow,
): Promise<CoordinationView> {
  const myScopes = await currentScopes(tx, own.rid);
  const counterpartScopes = await currentScopes(tx, other.rid);
  return {
    status: myScopes.length > 0 || counterpartScopes.length > 0 ? 'consented' : 'anonymous',
    myScopes,
    counterpartScopes,
  };
}

/** One side's recorded follow-up outcome (docs/engine.md "Follow-up outcomes"). */
export function followUpOf(m: MatchRow, side: Side): FollowUpRecord | null {
  const at = side === 'a' ? m.contactMadeA : m.contactMadeB;
  const outcome = side === 'a' ? m.outcomeA : m.outcomeB;
  return at === null || outcome === null ? null : { outcome, at };
}

/**
 * The match as the viewer's organisation (with `holder`, that person) sees it at `now`, or
 * undefined when it is not a party. A match with a due signal reads as ended
 * (`matchAsRecorded`); the counterpart's contact is null unless its signal is live and
 * neither signal is restricted or under a pending objection (`revealsContact`).
 */
export async function matchView(
  tx: StoreReader,
  stored: MatchRow,
  now: number,
  viewerRid: number,
  holder?: number,
): Promise<MatchView | undefined> {
  const sides = await sidesFor(tx, stored, now, viewerRid, holder);
  if (sides === undefined) return undefined;
  const m = sides.match;
  const otherOrg = await tx.getOrganisationByRid(sides.other.organisationRid);
  const mine = followUpOf(m, sides.side);
  const theirs = followUpOf(m, sides.side === 'a' ? 'b' : 'a');
  // A match of a signal under objection or restriction reveals no contact until the decision
  // or the lifting; both parties are told only which of the two it is (docs/engine.md
  // "Objections", "What a match reveals").
  // A family match that exists only through the held links of a restricted parent, or of one
  // under objection, says so likewise (parent-holds.ts).
  const hold = await familyMatchHold(tx, stored, sides.own, sides.other);
  const underObjection =
    sides.own.objection === 'pending' || sides.other.objection === 'pending' || holdObjects(hold);
  const restricted = sides.own.restricted || sides.other.restricted || holdRestricts(hold);
  return {
    id: m.id,
    kind: m.kind,
    status: m.status,
    createdAt: m.createdAt,
    ownSignalId: sides.own.id,
    counterpart: {
      organisationName: otherOrg?.name ?? '',
      contact: revealsContact(sides.own, sides.other, now, hold) ? sides.other.contact : null,
    },
    underObjection,
    restricted,
    followUp: {
      contactMadeByMe: mine?.outcome === 'contact_made' ? mine.at : null,
      contactMadeByCounterpart: theirs?.outcome === 'contact_made' ? theirs.at : null,
      mine,
      counterpart: theirs,
    },
    regie: regieView(m, sides.side),
    coordination: await coordinationView(tx, sides.own, sides.other),
  };
}
