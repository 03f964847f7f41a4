// The append-only agreements list of a match (docs/engine.md "Working together after a match"; village-team agreements art. 4:
// minutes record only process agreements — who does what, with which kind of
// information, for which purpose). Invariants: every field is a code from a configured
// list or a date, and unknown members are refused, so nothing about the person can be
// written down; entries are only ever appended (a status change is a new entry); only
// the two matched organisations read or append; an ended match is frozen (readable as
// historic) and a restricted one (GDPR art. 18) takes no new entries; the entries go
// with the match (withdrawal in error, erasure, purge). The logbook gets ids and the act
// only, never what was agreed or its status, so it keeps no trace of the list once the list
// has gone (docs/privacy.md "Working together after a match: consent as the basis for further
// sharing").

import type {
  AgreementInput,
  AgreementStatus,
  AgreementView,
  AgreementsOverviewItem,
  EngineConfig,
  Vocabulary,
} from '../api.js';
import { familyMatchHold } from './parent-holds.js';
import { CONSENT_SCOPES } from '../api.js';
import { EngineError } from '../errors.js';
import { isUuid, newUuid } from '../ids.js';
import type { AgreementEntryRow, MatchRow, Side, SignalRow, StoreReader } from '../store/store.js';
import { parseDate, startOfDay } from '../time.js';
import { fail } from '../validation.js';
import {
  actingOrganisation,
  heldBy,
  type EngineContext,
  notFound,
  type OrganisationActor,
  requireAdmin,
  requireOrganisationActor,
} from './context.js';
import { appendLog } from './logbook.js';
import { otherSide } from './match-acts.js';
import { ownMatch, reveal } from './matches.js';
import { notifyCounterpart } from './notify.js';
import { isRestricted, matchAsRecorded } from './views.js';

/** Entries (agreements and status updates) per match: bounds storage per match. */
export const MAX_AGREEMENT_ENTRIES = 500;

/** The codes organisations may use: consent scopes (fixed) and the agreement lists (configured). */
export function vocabulary(config: EngineConfig): Vocabulary {
  return {
    consentScopes: CONSENT_SCOPES,
    actionKinds: config.agreementActionKinds,
    informationCategories: config.agreementInformationCategories,
    purposes: config.agreementPurposes,
  };
}
const AGREEMENT_KEYS = ['owner', 'actionKind', 'informationCategory', 'purpose', 'dueDate'];
const STATUSES: readonly AgreementStatus[] = ['open', 'done', 'cancelled'];

export interface ValidAgreement {
  readonly owner: 'me' | 'counterpart';
  readonly actionKind: string;
  readonly informationCategory: string;
  readonly purpose: string;
  readonly dueDate: string;
}

const inList = (v: unknown, list: readonly string[]) => typeof v === 'string' && list.includes(v);

export function validateAgreement(config: EngineConfig, input: unknown, now: number): ValidAgreement {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail(['']);
  const a = input as Record<string, unknown>;
  const bad: string[] = [];
  // No free-text member exists, and an unknown one is refused rather than ignored.
  if (Object.keys(a).some((k) => !AGREEMENT_KEYS.includes(k))) bad.push('');
  if (a.owner !== 'me' && a.owner !== 'counterpart') bad.push('owner');
  if (!inList(a.actionKind, config.agreementActionKinds)) bad.push('actionKind');
  if (!inList(a.informationCategory, config.agreementInformationCategories)) bad.push('informationCategory');
  if (!inList(a.purpose, config.agreementPurposes)) bad.push('purpose');
  const due = parseDate(a.dueDate);
  if (due === undefined || due < startOfDay(now)) bad.push('dueDate');
  if (bad.length > 0) fail(bad);
  return a as unknown as ValidAgreement;
}

const rel = (s: Side, me: Side): 'me' | 'counterpart' => (s === me ? 'me' : 'counterpart');

/** Folds the entries into agreements as the viewer on side `me` sees them. */
export function foldAgreements(entries: readonly AgreementEntryRow[], me: Side): AgreementView[] {
  const byId = new Map<string, { view: AgreementView; history: AgreementView['history'][number][] }>();
  for (const e of entries) {
    if (e.kind === 'agreement') {
      const history = [{ status: 'open' as const, at: e.at, by: rel(e.bySide, me) }];
      byId.set(e.agreementId, {
        history,
        view: {
          id: e.agreementId,
          owner: rel(e.owner ?? e.bySide, me),
          actionKind: e.actionKind ?? '',
          informationCategory: e.informationCategory ?? '',
          purpose: e.purpose ?? '',
          dueDate: e.dueDate ?? '',
          status: 'open',
          createdAt: e.at,
          createdBy: rel(e.bySide, me),
          history,
        },
      });
    } else {
      const a = byId.get(e.agreementId);
      if (a === undefined || e.status === null) continue;
      a.history.push({ status: e.status, at: e.at, by: rel(e.bySide, me) });
      a.view = { ...a.view, status: e.status, history: a.history };
    }
  }
  return [...byId.values()].map((a) => a.view);
}

/** Ended matches are historic: readable, frozen. Restricted processing takes nothing new. */
async function requireWritable(tx: StoreReader, m: MatchRow): Promise<void> {
  if (m.status !== 'active') throw new EngineError('conflict', 'the match has ended');
  const [a, b] = [await tx.getSignalByRid(m.a), await tx.getSignalByRid(m.b)];
  // A family match that exists only through held parent links is restricted too (parent-holds.ts).
  if (
    a === undefined ||
    b === undefined ||
    isRestricted(a) ||
    isRestricted(b) ||
    (await familyMatchHold(tx, m, a, b)) !== 0
  ) {
    throw new EngineError('conflict', 'processing of this match is restricted');
  }
}

export async function listAgreements(
  ctx: EngineContext,
  actor: OrganisationActor,
  matchId: string,
): Promise<AgreementView[]> {
  requireOrganisationActor(actor);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const { m, side } = await ownMatch(tx, org.rid, matchId, await heldBy(tx, actor, org), now);
    await reveal(ctx, tx, actor, org.id, m, now, 'agreements');
    return foldAgreements(await tx.agreementEntries(m.rid), side);
  });
}

export async function addAgreement(
  ctx: EngineContext,
  actor: OrganisationActor,
  matchId: string,
  input: AgreementInput,
): Promise<AgreementView> {
  requireOrganisationActor(actor);
  const v = validateAgreement(ctx.config, input, ctx.clock());
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const { m, side } = await ownMatch(tx, org.rid, matchId, await heldBy(tx, actor, org), now);
    await requireWritable(tx, m);
    const entries = await tx.agreementEntries(m.rid);
    if (entries.length >= MAX_AGREEMENT_ENTRIES) {
      throw new EngineError('conflict', 'the agreements list of this match is full');
    }
    const id = newUuid(ctx.random);
    const owner = v.owner === 'me' ? side : otherSide(side);
    await tx.appendAgreementEntry({
      matchRid: m.rid,
      seq: entries.length + 1,
      kind: 'agreement',
      agreementId: id,
      owner,
      actionKind: v.actionKind,
      informationCategory: v.informationCategory,
      purpose: v.purpose,
      dueDate: v.dueDate,
      status: null,
      bySide: side,
      at: now,
    });
    await notifyCounterpart(ctx, tx, m, side, now);
    await appendLog(tx, now, actor, 'agreement.added', {
      organisationId: org.id,
      keyId: actor.keyId,
      matchId: m.id,
      agreementId: id,
    });
    const all = foldAgreements(await tx.agreementEntries(m.rid), side);
    return all.find((a) => a.id === id)!;
  });
}

/** From open to done or cancelled, and from done back to open; cancelled is final. */
function allowed(from: AgreementStatus, to: AgreementStatus): boolean {
  return (from === 'open' && to !== 'open') || (from === 'done' && to === 'open');
}

export async function setAgreementStatus(
  ctx: EngineContext,
  actor: OrganisationActor,
  matchId: string,
  agreementId: string,
  status: AgreementStatus,
): Promise<AgreementView> {
  requireOrganisationActor(actor);
  if (!STATUSES.includes(status)) fail(['status']);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const { m, side } = await ownMatch(tx, org.rid, matchId, await heldBy(tx, actor, org), now);
    const entries = await tx.agreementEntries(m.rid);
    const id = typeof agreementId === 'string' && isUuid(agreementId) ? agreementId.toLowerCase() : '';
    const current = foldAgreements(entries, side).find((a) => a.id === id);
    if (current === undefined) notFound();
    await requireWritable(tx, m);
    if (!allowed(current.status, status)) {
      throw new EngineError('conflict', 'this status change is not allowed');
    }
    if (entries.length >= MAX_AGREEMENT_ENTRIES) {
      throw new EngineError('conflict', 'the agreements list of this match is full');
    }
    await tx.appendAgreementEntry({
      matchRid: m.rid,
      seq: entries.length + 1,
      kind: 'status',
      agreementId: id,
      owner: null,
      actionKind: null,
      informationCategory: null,
      purpose: null,
      dueDate: null,
      status,
      bySide: side,
      at: now,
    });
    await notifyCounterpart(ctx, tx, m, side, now);
    await appendLog(tx, now, actor, 'agreement.status', {
      organisationId: org.id,
      keyId: actor.keyId,
      matchId: m.id,
      agreementId: id,
    });
    return foldAgreements(await tx.agreementEntries(m.rid), side).find((a) => a.id === id)!;
  });
}

/** The municipality's view: per match counts and overdue items, never the codes. */
export async function agreementsOverview(
  ctx: EngineContext,
  actor: Parameters<typeof requireAdmin>[0],
): Promise<AgreementsOverviewItem[]> {
  requireAdmin(actor);
  return ctx.store.read(async (tx) => {
    const now = ctx.clock();
    const today = startOfDay(now);
    const out: AgreementsOverviewItem[] = [];
    for (const stored of await tx.matchesWithAgreements()) {
      const orgIds: Record<Side, string | null> = { a: null, b: null };
      const signals: Record<Side, SignalRow | undefined> = { a: undefined, b: undefined };
      for (const side of ['a', 'b'] as const) {
        const s = await tx.getSignalByRid(side === 'a' ? stored.a : stored.b);
        const o = s === undefined ? undefined : await tx.getOrganisationByRid(s.organisationRid);
        orgIds[side] = o?.id ?? null;
        signals[side] = s;
      }
      // A match with a due signal reads as ended (views.ts `matchAsRecorded`).
      const m =
        signals.a === undefined || signals.b === undefined
          ? stored
          : matchAsRecorded(stored, signals.a, signals.b, now);
      const list = foldAgreements(await tx.agreementEntries(m.rid), 'a');
      const overdue = list.filter((a) => a.status === 'open' && (parseDate(a.dueDate) ?? today) < today);
      out.push({
        matchId: m.id,
        matchStatus: m.status,
        counts: {
          total: list.length,
          open: list.filter((a) => a.status === 'open').length,
          done: list.filter((a) => a.status === 'done').length,
          cancelled: list.filter((a) => a.status === 'cancelled').length,
          overdue: overdue.length,
        },
        overdue: overdue.map((a) => ({
          agreementId: a.id,
          dueDate: a.dueDate,
          ownerOrganisationId: orgIds[a.owner === 'me' ? 'a' : 'b'],
        })),
      });
    }
    return out;
  });
}
