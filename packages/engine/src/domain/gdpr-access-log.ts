// Who received or viewed a citizen's signals, for the GDPR art. 15 access report
// (docs/privacy.md "Who saw the signal"; NEN 7513 §§ on the citizen's overview), read from
// the logbook. Received: a new match notified the other party's organisation
// (`match.created`), or a new signaller's organisation was given an archived signal's contact
// (`archive.notice`, on the archived signal). Viewed: a `match.revealed` entry (the
// counterpart's contact details shown to an organisation's key or person), an
// `archive.notice_read` (that notice read again), a `signal.found` (a placement or look-up
// answered `existing`: the organisation's signal shown to its key or a colleague) and an
// earlier access request (the municipality's GDPR desk): the store's `access_requests` rows of
// the citizen's signals, which an erasure deletes with them — the `gdpr.access` entry keeps
// counts only (docs/leakage.md §3.5) — and a `gdpr.access` entry written before that rule,
// which still lists the signal ids it found. Another citizen's data never enters: in a family match the citizen's own
// organisation viewing the match sees the OTHER child's signal, so only views by an
// organisation that does not hold a signal of this citizen in that match are listed (in a
// person match both signals are this citizen's, so both parties are). Names: a person of an
// organisation is named (the professional who saw the signal); a person of the municipality
// by role only, their name on request at the municipality (docs/privacy.md). The scan reads
// the whole (retained) logbook in pages: a rare, read-only request (docs/engine.md "GDPR
// requests"; its cost at national scale is not measured yet). The request itself is recorded
// here too, after its report is read (logAccessRequest): the rows this scan lists next time.

import type { Actor, GdprAccessRecord, GdprAccessReport, GdprAccessVia, PersonRole } from '../api.js';
import type { MatchRow, SignalRow, StoreReader } from '../store/store.js';
import type { EngineContext } from './context.js';
import { appendLogFenced } from './logbook.js';

const PAGE = 2000;

/** The entries the report lists, besides the placements it reads for their attestation date. */
const LISTED: ReadonlySet<string> = new Set([
  'match.created',
  'match.revealed',
  'archive.notice',
  'archive.notice_read',
  'signal.found',
  'gdpr.access',
]);

interface Side {
  readonly signalId: string | null;
  readonly organisationRid: number | null;
  readonly own: boolean;
}

/**
 * The access records of the citizen whose signals are `own`, oldest first. The same scan
 * puts in `attested` the attestation date (`attestedOn`) of each own signal whose
 * `signal.placed` entry has one (consent or non-objection; docs/engine.md "Legal basis").
 */
export async function accessRecords(
  tx: StoreReader,
  own: readonly SignalRow[],
  matches: readonly MatchRow[],
  attested: Map<string, string>,
): Promise<GdprAccessRecord[]> {
  const ownIds = new Set(own.map((s) => s.id));
  const sides = new Map<string, readonly [Side, Side]>();
  for (const m of matches) sides.set(m.id, [await sideOf(tx, m.a, ownIds), await sideOf(tx, m.b, ownIds)]);
  const out: GdprAccessRecord[] = [];
  const cache = new Map<
    string,
    { organisationId: string | null; organisationName: string | null; personName: string | null }
  >();
  // The new signals given a notice of one of this citizen's archived signals, and which.
  const noticed = new Map<string, string[]>();
  // The earlier requests that found a signal of the citizen: one line per request (time and role).
  const requests = new Map<string, GdprAccessRecord>();
  for (const q of await tx.accessRequestsOf(own.map((s) => s.rid))) {
    requests.set(`${q.at}/${q.role}`, {
      at: q.at,
      kind: 'viewed',
      via: 'access_request',
      matchId: null,
      signalId: null,
      organisationId: null,
      organisationName: null,
      role: q.role as GdprAccessRecord['role'],
      personName: null,
    });
  }
  const earlier = [...requests.values()];
  let from = ((await tx.logCheckpoint())?.seq ?? 0) + 1;
  for (;;) {
    const rows = await tx.logEntries(from, PAGE);
    for (const r of rows) {
      // Each earlier request goes before the first entry made after it.
      while (earlier.length > 0 && earlier[0]!.at < r.at) out.push(earlier.shift()!);
      if (r.action === 'signal.placed') {
        // Most entries are placements: only those with a basis (`attestedOn`) are parsed.
        if (!r.details.includes('"attestedOn"')) continue;
        const signalId = (JSON.parse(r.refs) as Record<string, string>).signalId ?? '';
        const on = (JSON.parse(r.details) as Record<string, unknown>).attestedOn;
        if (ownIds.has(signalId) && typeof on === 'string') attested.set(signalId, on);
        continue;
      }
      if (!LISTED.has(r.action)) continue;
      const refs = JSON.parse(r.refs) as Record<string, string>;
      if (r.action === 'gdpr.access') {
        // An entry written before SQLite schema step 30 (PostgreSQL step 20) lists the ids of
        // the signals it found; a newer one none (its requests are the rows above).
        const ids = (refs.signalIds ?? '').split(',');
        if (!ids.some((id) => ownIds.has(id))) continue;
        out.push(
          await record(tx, cache, r.at, 'viewed', 'access_request', null, null, JSON.parse(r.actor) as Actor),
        );
        continue;
      }
      if (r.action === 'signal.found') {
        const signalId = refs.signalId ?? '';
        if (!ownIds.has(signalId)) continue;
        out.push(
          await record(tx, cache, r.at, 'viewed', 'existing', null, signalId, JSON.parse(r.actor) as Actor),
        );
        continue;
      }
      if (r.action === 'archive.notice') {
        // The notice is written by the system; the organisation given it is in its refs. The
        // reads name only the new signal, so which archived signals it showed is kept from here.
        const archivedId = refs.archivedSignalId ?? '';
        if (!ownIds.has(archivedId)) continue;
        const newId = refs.signalId ?? '';
        noticed.set(newId, [...(noticed.get(newId) ?? []), archivedId]);
        const org = await tx.getOrganisation(refs.organisationId ?? '');
        out.push({
          at: r.at,
          kind: 'received',
          via: 'archive_notice',
          matchId: null,
          signalId: archivedId,
          organisationId: org?.id ?? null,
          organisationName: org?.name ?? null,
          role: 'organisation',
          personName: null,
        });
        continue;
      }
      if (r.action === 'archive.notice_read') {
        const actor = JSON.parse(r.actor) as Actor;
        for (const archivedId of noticed.get(refs.signalId ?? '') ?? [])
          out.push(await record(tx, cache, r.at, 'viewed', 'archive_notice', null, archivedId, actor));
        continue;
      }
      const matchIds = r.action === 'match.created' ? [refs.matchId ?? ''] : (refs.matchIds ?? '').split(',');
      for (const matchId of matchIds) {
        const pair = sides.get(matchId);
        if (pair === undefined) continue;
        if (r.action === 'match.created') {
          // Each organisation was notified of the other's signal: it received this citizen's
          // signal when the other side is this citizen's.
          for (const [mine, theirs] of [pair, [pair[1], pair[0]] as const]) {
            if (!theirs.own || mine.organisationRid === null) continue;
            const org = await tx.getOrganisationByRid(mine.organisationRid);
            out.push({
              at: r.at,
              kind: 'received',
              via: 'match',
              matchId,
              signalId: null,
              organisationId: org?.id ?? null,
              organisationName: org?.name ?? null,
              role: 'organisation',
              personName: null,
            });
          }
          continue;
        }
        const actor = JSON.parse(r.actor) as Actor;
        if (actor.kind !== 'organisation') continue;
        const viewer = (await tx.getOrganisation(actor.organisationId))?.rid;
        if (!pair.some((s) => s.own && s.organisationRid !== viewer)) continue;
        out.push(await record(tx, cache, r.at, 'viewed', 'match', matchId, null, actor));
      }
    }
    if (rows.length < PAGE) break;
    from = rows[rows.length - 1]!.seq + 1;
  }
  return [...out, ...earlier];
}

/**
 * Logs an access request once its report is read (gdpr.ts `gdprAccess`), fenced on the
 * generation `used` its `lookup` was derived at. The entry keeps counts only; the link from
 * the person's signals to this request is kept beside the signals (access_requests), so an
 * erasure takes it with them and no entry groups them as one citizen's (docs/leakage.md
 * §3.5): the rows of the signals `found` that are still there when it is logged (one may have
 * been deleted since the read).
 */
export async function logAccessRequest(
  ctx: EngineContext,
  actor: Actor,
  used: number,
  lookup: Buffer[],
  found: ReadonlySet<number>,
  report: GdprAccessReport,
): Promise<void> {
  await ctx.store.write(async (tx) => {
    const at = ctx.clock();
    const still = (await tx.findSignalsByStored(lookup, 'subject'))
      .filter((s) => found.has(s.rid))
      .map((s) => s.rid);
    await tx.insertAccessRequests(still, at, accessRole(actor));
    const counts = {
      signals: report.signals.length,
      parentLinks: report.parentLinks.length,
      matches: report.matches.length,
    };
    await appendLogFenced(tx, used, at, actor, 'gdpr.access', {}, counts);
  });
}

async function sideOf(tx: StoreReader, rid: number, own: ReadonlySet<string>): Promise<Side> {
  const s = await tx.getSignalByRid(rid);
  return s === undefined
    ? { signalId: null, organisationRid: null, own: false }
    : { signalId: s.id, organisationRid: s.organisationRid, own: own.has(s.id) };
}

async function record(
  tx: StoreReader,
  cache: Map<
    string,
    { organisationId: string | null; organisationName: string | null; personName: string | null }
  >,
  at: number,
  kind: GdprAccessRecord['kind'],
  via: GdprAccessVia,
  matchId: string | null,
  signalId: string | null,
  actor: Actor,
): Promise<GdprAccessRecord> {
  const personId = actor.kind === 'system' ? undefined : actor.personId;
  const key = `${actor.kind === 'organisation' ? actor.organisationId : ''}/${personId ?? ''}`;
  let who = cache.get(key);
  if (who === undefined) {
    const org = actor.kind === 'organisation' ? await tx.getOrganisation(actor.organisationId) : undefined;
    const person = personId === undefined ? undefined : await tx.getPerson(personId);
    who = {
      organisationId: org?.id ?? null,
      organisationName: org?.name ?? null,
      // Professionals by name (NEN 7513: which professional saw it); the municipality's people by role.
      personName: person !== undefined && person.organisationId !== null ? person.displayName : null,
    };
    cache.set(key, who);
  }
  return { at, kind, via, matchId, signalId, ...who, role: accessRole(actor) };
}

/** The role a line lists for `actor`: the person's role, else the organisation's key or the municipality. */
function accessRole(actor: Actor): GdprAccessRecord['role'] {
  return actor.kind !== 'system' && actor.personRole !== undefined
    ? (actor.personRole as PersonRole)
    : actor.kind === 'organisation'
      ? 'organisation'
      : 'municipality';
}
