// GDPR requests handled by the municipality (art. 15 access, 17 erasure, 18 restriction,
// 21 objection; docs/engine.md "GDPR"). The person is identified by client pseudonyms the
// municipality computed with the SDK; they are re-keyed here and never stored. Only admin
// or system actors may call these. Effects:
// - restriction and a pending objection stop new matches (art. 18(1)(d)); existing
//   matches stay but reveal no contact to either party and say only "restricted" or
//   "under objection", both parties told by match.updated; lifting shows the contacts again
//   and catches up;
// - an objection is on time within objectionTermDays of the citizen being informed, or
//   admitted late as excused;
// - an upheld objection and an erasure delete the person's signals with everything that
//   hangs off them, and remove the person as a parent from other signals;
// - the logbook records that it happened, with ids and counts only.

import type {
  Actor,
  GdprAccessReport,
  GdprChanged,
  GdprEpochs,
  GdprObjectionChanged,
  ObjectionInput,
  ObjectionStatus,
  PersonPseudonyms,
} from '../api.js';
import type { MatchRow, OrganisationRow, SignalRow, StoreReader, StoreWriter } from '../store/store.js';
import { DAY_MS, parseDate, startOfDay } from '../time.js';
import { notifyParties } from './notify.js';
import { decodePerson, fail } from '../validation.js';
import { type EngineContext, requireAdmin } from './context.js';
import { accessRecords, logAccessRequest } from './gdpr-access-log.js';
import { consentPart, matchExtras, sidesOfTheCitizen } from './gdpr-access-parts.js';
import { removeSignal } from './lifecycle.js';
import { appendLogFenced } from './logbook.js';
import { catchUp } from './matching.js';
import { holdParentLinksOf } from './gdpr-parent-links.js';
import { PARENT_HOLD } from '../store/rows.js';
import { derive } from './stored-values.js';
import { asRecorded, isRestricted, matchAsRecorded } from './views.js';
import { EngineError } from '../errors.js';

function lookupOf(ctx: EngineContext, subject: PersonPseudonyms): Buffer[] {
  return decodePerson(subject, 'subject').flatMap((p) => derive(ctx, p).lookup);
}

/**
 * The person must be named under EVERY active epoch (of the kinds `epochs` says): during a
 * key rotation a signal may have pseudonyms under only one of them, and a request that named
 * fewer would silently miss those signals (an incomplete access report, an erasure that
 * leaves rows behind). Retired epochs have no stored rows, so they are not needed.
 */
async function checkEpochs(tx: StoreReader, subject: PersonPseudonyms, epochs: GdprEpochs): Promise<void> {
  for (const p of subject) {
    const e = await tx.getEpoch(p.epoch);
    if (e === undefined) throw new EngineError('epoch_unknown', 'the pseudonym epoch is unknown');
    if (epochs === 'oprf' && e.kind !== 'oprf') fail(['subject']);
  }
  const given = new Set(subject.map((p) => p.epoch));
  for (const e of await tx.listEpochs()) {
    if (e.status === 'active' && (epochs === 'all' || e.kind === 'oprf') && !given.has(e.epoch))
      fail(['subject']);
  }
}

async function signalsOf(tx: StoreReader, lookup: Buffer[]): Promise<SignalRow[]> {
  return tx.findSignalsByStored(lookup, 'subject');
}

/**
 * What the access report says of any signal, the person's own or a child's that holds them
 * as a parent: whose it is, its status and its dates (of `s` as recorded, views.ts `asRecorded`).
 */
async function signalPart(tx: StoreReader, s: SignalRow): Promise<GdprAccessReport['parentLinks'][number]> {
  const o = await tx.getOrganisationByRid(s.organisationRid);
  return {
    signalId: s.id,
    organisationId: o?.id ?? '',
    organisationName: o?.name ?? '',
    status: s.status,
    placedAt: s.placedAt,
    expiresAt: s.expiresAt,
    endedAt: s.endedAt,
    purgeAt: s.purgeAt,
  };
}

export async function gdprAccess(
  ctx: EngineContext,
  actor: Actor,
  subject: PersonPseudonyms,
  epochs: GdprEpochs = 'all',
): Promise<GdprAccessReport> {
  requireAdmin(actor);
  // The generation the lookup is derived at: each write below is fenced on it (secret-generation.ts).
  const used = ctx.secrets.current;
  const lookup = lookupOf(ctx, subject);
  // Read first (the logbook scan is long and must not hold the writer), then log the request.
  const { report, found } = await ctx.store.read(async (tx) => {
    await checkEpochs(tx, subject, epochs);
    const signals = await signalsOf(tx, lookup);
    const asParent = await tx.findSignalsByStored(lookup, 'parent');
    const out: {
      signals: GdprAccessReport['signals'][number][];
      parentLinks: GdprAccessReport['parentLinks'][number][];
      matches: GdprAccessReport['matches'][number][];
    } = { signals: [], parentLinks: [], matches: [] };
    const rows: MatchRow[] = [];
    const seen = new Set<number>();
    const orgName = async (s: SignalRow | undefined) => {
      const o = s === undefined ? undefined : await tx.getOrganisationByRid(s.organisationRid);
      return o?.name ?? '';
    };
    // Past its expiresAt a signal is reported expired, recorded or not, and its matches
    // ended (views.ts `asRecorded`, `matchAsRecorded`).
    const now = ctx.clock();
    const own = new Set(signals.map((s) => s.rid));
    const addMatch = async (m: MatchRow, via: 'signal' | 'parent') => {
      const a = await tx.getSignalByRid(m.a);
      const b = await tx.getSignalByRid(m.b);
      out.matches.push({
        matchId: m.id,
        kind: m.kind,
        status: a === undefined || b === undefined ? m.status : matchAsRecorded(m, a, b, now).status,
        createdAt: m.createdAt,
        organisationNames: [await orgName(a), await orgName(b)],
        via,
        ...(await matchExtras(tx, m, sidesOfTheCitizen(m, via, own))),
      });
    };
    for (const row of signals) {
      const s = asRecorded(row, now, ctx.config.archiveTermDays);
      out.signals.push({
        ...(await signalPart(tx, s)),
        informed: s.informed,
        restricted: isRestricted(s),
        objection: s.objection,
        legalBasis: s.legalBasis,
        attestedOn: null,
        consent: await consentPart(tx, s),
      });
      for (const m of await tx.matchesOfSignal(s.rid)) {
        if (seen.has(m.rid)) continue;
        seen.add(m.rid);
        rows.push(m);
        await addMatch(m, 'signal');
      }
    }
    // A parent link is data about the person too (erasure removes it): the child's signal
    // that holds it, and each family match whose two signals both hold it (built on it).
    const linked = new Set(asParent.map((s) => s.rid));
    for (const row of asParent) {
      const s = asRecorded(row, now, ctx.config.archiveTermDays);
      out.parentLinks.push(await signalPart(tx, s));
      for (const m of await tx.matchesOfSignal(s.rid)) {
        if (m.kind !== 'family' || seen.has(m.rid) || !linked.has(m.a) || !linked.has(m.b)) continue;
        seen.add(m.rid);
        await addMatch(m, 'parent');
      }
    }
    // The attestation's date is recorded in the placement's logbook entry only (docs/engine.md "Legal basis").
    const attested = new Map<string, string>();
    const access = await accessRecords(tx, signals, rows, attested);
    const withBasis = out.signals.map((s) => ({ ...s, attestedOn: attested.get(s.signalId) ?? null }));
    return { report: { ...out, signals: withBasis, access }, found: own };
  });
  await logAccessRequest(ctx, actor, used, lookup, found, report);
  return report;
}

async function erase(
  ctx: EngineContext,
  tx: StoreWriter,
  actor: Actor,
  lookup: Buffer[],
  now: number,
): Promise<{ signals: number; matches: number; parentLinks: number }> {
  const signals = await signalsOf(tx, lookup);
  let matches = 0;
  for (const s of signals) matches += await removeSignal(ctx, tx, s, now, 'erased', actor);
  const asParent = await tx.findSignalsByStored(lookup, 'parent');
  const parentLinks = await tx.deleteParentPseudonyms(lookup);
  // A signal whose only parent was the erased person has no parents any more.
  for (const s of asParent) {
    if (!(await tx.pseudonymsOf(s.rid)).some((p) => p.role === 'parent')) {
      await tx.updateSignal(s.rid, { hasParents: false });
    }
  }
  return { signals: signals.length, matches, parentLinks };
}

export async function gdprErase(
  ctx: EngineContext,
  actor: Actor,
  subject: PersonPseudonyms,
  epochs: GdprEpochs = 'all',
): Promise<{ signals: number; matches: number; parentLinks: number }> {
  requireAdmin(actor);
  // The generation the lookup is derived at: each write below is fenced on it (secret-generation.ts).
  const used = ctx.secrets.current;
  const lookup = lookupOf(ctx, subject);
  const r = await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    await checkEpochs(tx, subject, epochs);
    const r = await erase(ctx, tx, actor, lookup, now);
    await appendLogFenced(tx, used, now, actor, 'gdpr.erased', {}, r);
    return r;
  });
  await ctx.store.compact();
  return { signals: r.signals, matches: r.matches, parentLinks: r.parentLinks };
}

/** Catches up every signal of the person that is active and no longer restricted. */
async function catchUpAll(
  ctx: EngineContext,
  tx: StoreWriter,
  lookup: Buffer[],
  now: number,
): Promise<number> {
  let n = 0;
  for (const s of await signalsOf(tx, lookup)) {
    if (s.status === 'active' && !isRestricted(s)) n += await catchUp(ctx, tx, s, now);
  }
  return n;
}

export async function gdprRestrict(
  ctx: EngineContext,
  actor: Actor,
  subject: PersonPseudonyms,
  restricted: boolean,
  epochs: GdprEpochs = 'all',
): Promise<GdprChanged> {
  requireAdmin(actor);
  if (typeof restricted !== 'boolean') fail(['restricted']);
  // The generation the lookup is derived at: each write below is fenced on it (secret-generation.ts).
  const used = ctx.secrets.current;
  const lookup = lookupOf(ctx, subject);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    await checkEpochs(tx, subject, epochs);
    const signals = await signalsOf(tx, lookup);
    // Registered on each signal, so its own organisation's view says so (views.ts `signalViewOf`).
    for (const s of signals) await tx.updateSignal(s.rid, { restricted, restrictionRegistered: restricted });
    // The matches of the signals whose flag changed now withhold (or show again) the contact:
    // both parties are told, as for an objection (docs/engine.md "What a match reveals").
    // Before the catch-up, whose new matches are told as created.
    const changed = signals.filter((s) => s.restricted !== restricted);
    await notifyMatches(ctx, tx, changed, now);
    // The person's parent links on children's signals are held (or freed) too (parent-holds.ts).
    const links = await holdParentLinksOf(ctx, tx, lookup, PARENT_HOLD.restricted, restricted, now);
    const matchesCreated = links.matchesCreated + (restricted ? 0 : await catchUpAll(ctx, tx, lookup, now));
    // Counts only, as an objection's: lifting finds the signals by the person's stored values
    // and the rows' flags, so no id need wait in the logbook, where it would group the
    // person's signals as one citizen's past a later erasure (docs/leakage.md §3.5).
    await appendLogFenced(
      tx,
      used,
      now,
      actor,
      restricted ? 'gdpr.restricted' : 'gdpr.restriction_lifted',
      {},
      { signals: signals.length, parentLinks: links.parentLinks, matchesCreated },
    );
    return { signals: signals.length, parentLinks: links.parentLinks };
  });
}

/** Validates an objection registration or decision; a bare status is the old form. */
function objectionInput(objection: ObjectionStatus | ObjectionInput, now: number) {
  const o: ObjectionInput = typeof objection === 'string' ? { status: objection } : objection;
  if (typeof o !== 'object' || o === null) fail(['status']);
  const bad: string[] = [];
  if (Object.keys(o).some((k) => !['status', 'receivedOn', 'lateExcused'].includes(k))) bad.push('');
  if (o.status !== 'pending' && o.status !== 'upheld' && o.status !== 'rejected') bad.push('status');
  let receivedDay = startOfDay(now);
  if (o.receivedOn !== undefined) {
    const d = parseDate(o.receivedOn);
    if (o.status !== 'pending' || d === undefined || d > receivedDay) bad.push('receivedOn');
    else receivedDay = d;
  }
  if (o.lateExcused !== undefined && (o.status !== 'pending' || typeof o.lateExcused !== 'boolean'))
    bad.push('lateExcused');
  if (bad.length > 0) fail(bad);
  return { status: o.status, receivedDay, lateExcused: o.lateExcused === true };
}

/**
 * The objection term (docs/engine.md "Objections"): on time when received within
 * objectionTermDays of the day the citizen was informed of at least one of the signals
 * concerned; a signal whose citizen was not yet informed has not started its term.
 */
function withinTerm(ctx: EngineContext, signals: readonly SignalRow[], receivedDay: number): boolean {
  if (signals.length === 0) return true;
  return signals.some((s) => {
    const informedDay = s.informed.date === undefined ? undefined : parseDate(s.informed.date);
    return informedDay === undefined || receivedDay <= informedDay + ctx.config.objectionTermDays * DAY_MS;
  });
}

/**
 * Tells both parties of every active match of `signals` that it changed: a restriction's or
 * an objection's state, which decides whether the match shows the contact.
 */
async function notifyMatches(ctx: EngineContext, tx: StoreWriter, signals: readonly SignalRow[], at: number) {
  const seen = new Set<number>();
  for (const s of signals) {
    for (const m of await tx.matchesOfSignal(s.rid)) {
      if (m.status !== 'active' || seen.has(m.rid)) continue;
      seen.add(m.rid);
      const [a, b] = [await tx.getSignalByRid(m.a), await tx.getSignalByRid(m.b)];
      // A match with a due signal reads as ended (views.ts `matchAsRecorded`).
      if (a === undefined || b === undefined || matchAsRecorded(m, a, b, at).status !== 'active') continue;
      const orgs: OrganisationRow[] = [];
      for (const t of [a, b]) {
        const o = await tx.getOrganisationByRid(t.organisationRid);
        if (o !== undefined) orgs.push(o);
      }
      await notifyParties(ctx, tx, orgs, 'match.updated', m.id, at);
    }
  }
}

export async function gdprObject(
  ctx: EngineContext,
  actor: Actor,
  subject: PersonPseudonyms,
  objection: ObjectionStatus | ObjectionInput,
  epochs: GdprEpochs = 'all',
): Promise<GdprObjectionChanged> {
  requireAdmin(actor);
  const o = objectionInput(objection, ctx.clock());
  const status = o.status;
  // The generation the lookup is derived at: each write below is fenced on it (secret-generation.ts).
  const used = ctx.secrets.current;
  const lookup = lookupOf(ctx, subject);
  const r = await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    await checkEpochs(tx, subject, epochs);
    if (status === 'upheld') {
      const r = await erase(ctx, tx, actor, lookup, now);
      await appendLogFenced(tx, used, now, actor, 'gdpr.objection', {}, { status, ...r });
      return { answer: { signals: r.signals, parentLinks: r.parentLinks }, compact: true };
    }
    const signals = await signalsOf(tx, lookup);
    let term: { receivedOn?: string; onTime?: boolean } = {};
    if (status === 'pending') {
      const onTime = withinTerm(ctx, signals, o.receivedDay);
      if (!onTime && !o.lateExcused) {
        throw new EngineError('objection_out_of_term', 'the objection was received after its term');
      }
      term = { receivedOn: new Date(o.receivedDay).toISOString().slice(0, 10), onTime };
    }
    // The desk's registration or decision concerns every signal of the person: each is
    // shown as under objection (or no longer), none as inherited.
    for (const s of signals) await tx.updateSignal(s.rid, { objection: status, objectionInherited: false });
    const matchesCreated = status === 'rejected' ? await catchUpAll(ctx, tx, lookup, now) : 0;
    await notifyMatches(ctx, tx, signals, now);
    // The person's parent links are held while the objection is pending (parent-holds.ts).
    const links = await holdParentLinksOf(ctx, tx, lookup, PARENT_HOLD.objection, status === 'pending', now);
    // Counts only, whatever the status: the decision finds the signals by the person's stored
    // values and their `objection` column, so no id need wait in the logbook, where it would
    // mark the signals as objected to for the logbook's term (docs/leakage.md §3.5).
    await appendLogFenced(
      tx,
      used,
      now,
      actor,
      'gdpr.objection',
      {},
      {
        status,
        signals: signals.length,
        parentLinks: links.parentLinks,
        matchesCreated: matchesCreated + links.matchesCreated,
        ...term,
      },
    );
    const answer = { signals: signals.length, parentLinks: links.parentLinks };
    return {
      answer: term.onTime === undefined ? answer : { ...answer, onTime: term.onTime },
      compact: false,
    };
  });
  if (r.compact) await ctx.store.compact();
  return r.answer;
}
