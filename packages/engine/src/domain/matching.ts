// Pairwise matching (docs/engine.md "Matching"). Runs inside the single writer's
// transaction, so N signals for one person placed at once see each other in commit order
// and produce exactly the pairwise set. Invariants: never a self-match; never a pair
// twice (the store's unique pair index backs this check); only active, unrestricted
// signals before their expiresAt, of active organisations, match; different organisations unless configured.

import type { EngineConfig, MatchKind } from '../api.js';
import { newUuid } from '../ids.js';
import type { NewMatch, OrganisationRow, Side, SignalRow, StoreWriter } from '../store/store.js';
import type { EngineContext } from './context.js';
import { appendLog } from './logbook.js';
import { countStatistic } from './management-information.js';
import { queueMatchNotices } from './mail-notices.js';
import { notifyParties } from './notify.js';
import { lookupFromStored } from './stored-values.js';
import { isLive, isRestricted } from './views.js';

export interface MatchLookup {
  readonly subject: readonly Uint8Array[];
  readonly parents: readonly Uint8Array[];
}

class OrgCache {
  readonly #m: Map<number, OrganisationRow | undefined>;
  constructor(
    private readonly tx: StoreWriter,
    known?: OrganisationRow,
    shared?: Map<number, OrganisationRow | undefined>,
  ) {
    this.#m = shared ?? new Map();
    if (known !== undefined) this.#m.set(known.rid, known);
  }
  async get(rid: number): Promise<OrganisationRow | undefined> {
    if (!this.#m.has(rid)) this.#m.set(rid, await this.tx.getOrganisationByRid(rid));
    return this.#m.get(rid);
  }
}

/** Creates one match of `s` (of `sOrg`) with `t` (of `tOrg`) unless the pair has one: true when created. */
export type MakeMatch = (
  ctx: EngineContext,
  tx: StoreWriter,
  kind: MatchKind,
  s: SignalRow,
  sOrg: OrganisationRow,
  t: SignalRow,
  tOrg: OrganisationRow,
  at: number,
) => Promise<boolean>;

/** Creates every match the signal is owed now. Returns the number created. */
export async function matchSignal(
  ctx: EngineContext,
  tx: StoreWriter,
  s: SignalRow,
  lookup: MatchLookup,
  at: number,
  known?: {
    /** The signals sharing a subject value, read in this write before `s` was inserted. */
    readonly subjectSignals: readonly SignalRow[];
    /** The signals sharing a parent value, read likewise. */
    readonly parentSignals: readonly SignalRow[];
    /** `s`'s organisation, read in this write. */
    readonly organisation: OrganisationRow;
    /** Organisation rows read earlier in this write (the batch path shares them between items). */
    readonly organisations?: Map<number, OrganisationRow | undefined>;
  },
  /** Makes the match (createMatch); the batch path plans it instead (batch-writes.ts). */
  create: MakeMatch = createMatch,
): Promise<number> {
  const orgs = new OrgCache(tx, known?.organisation, known?.organisations);
  const own = await orgs.get(s.organisationRid);
  if (!isLive(s, at) || isRestricted(s) || own === undefined || own.status !== 'active') return 0;

  const eligible = async (t: SignalRow): Promise<OrganisationRow | undefined> => {
    if (t.rid === s.rid || !isLive(t, at) || isRestricted(t)) return undefined;
    if (!ctx.config.sameOrganisationMatching && t.organisationRid === s.organisationRid) return undefined;
    const o = await orgs.get(t.organisationRid);
    return o !== undefined && o.status === 'active' ? o : undefined;
  };

  let created = 0;
  const samePerson = new Set<number>();
  // A person match for each signal sharing a subject value, then a family match for each
  // signal sharing a parent value that is not already one of the person's own.
  const matchEach = async (kind: MatchKind, signals: readonly SignalRow[]) => {
    for (const t of signals) {
      if (kind === 'person') samePerson.add(t.rid);
      else if (samePerson.has(t.rid)) continue;
      const o = await eligible(t);
      if (o !== undefined && (await create(ctx, tx, kind, s, own, t, o, at))) created++;
    }
  };
  await matchEach(
    'person',
    known !== undefined
      ? known.subjectSignals
      : lookup.subject.length > 0
        ? await tx.findSignalsByStored(lookup.subject, 'subject')
        : [],
  );
  if (lookup.parents.length > 0) {
    await matchEach(
      'family',
      known !== undefined ? known.parentSignals : await tx.findSignalsByStored(lookup.parents, 'parent'),
    );
  }
  return created;
}

/** Catch-up for a signal already stored (reinstatement, lifted restriction, migration). */
export async function catchUp(
  ctx: EngineContext,
  tx: StoreWriter,
  s: SignalRow,
  at: number,
): Promise<number> {
  // During a server-secret rotation a row already at the new generation cannot find one
  // still at the old (re-keying is one-way): the rotation repeats this catch-up at its end.
  await tx.noteRotationCatchUp(s.rid);
  const rows = await tx.pseudonymsOf(s.rid);
  return matchSignal(
    ctx,
    tx,
    s,
    {
      subject: lookupFromStored(
        ctx,
        rows.filter((r) => r.role === 'subject'),
      ),
      // A held parent link makes no family match (parent-holds.ts).
      parents: lookupFromStored(
        ctx,
        rows.filter((r) => r.role === 'parent' && (r.held ?? 0) === 0),
      ),
    },
    at,
  );
}

/**
 * The covenant rule for regie on a new match. 'first_signaller': the signal placed first
 * (then the older row). 'organisation_type': the type ranked highest in
 * regieOrganisationTypes; a tie or two unlisted types fall back to the first signaller.
 */
export function initialRegie(
  config: EngineConfig,
  a: SignalRow,
  aType: string,
  b: SignalRow,
  bType: string,
): Side | null {
  if (config.regieRule === 'none') return null;
  const first: Side = a.placedAt <= b.placedAt ? 'a' : 'b';
  if (config.regieRule === 'first_signaller') return first;
  const rank = (t: string) => {
    const i = config.regieOrganisationTypes.indexOf(t);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  const ra = rank(aType);
  const rb = rank(bType);
  return ra < rb ? 'a' : rb < ra ? 'b' : first;
}

const createMatch: MakeMatch = async (ctx, tx, kind, s, sOrg, t, tOrg, at) => {
  if ((await tx.getMatchByPair(s.rid, t.rid)) !== undefined) return false;
  const m = newMatchOf(ctx, kind, s, sOrg, t, tOrg, at);
  await tx.insertMatch({ ...m.row, a: m.a.rid, b: m.b.rid });
  await notifyParties(ctx, tx, [sOrg, tOrg], 'match.created', m.row.id, at);
  // Once per organisation type involved (a match of two schools is one school match).
  for (const type of m.types) await countStatistic(tx, at, type, 'matches');
  await queueMatchNotices(
    ctx,
    tx,
    [
      { signal: s, org: sOrg },
      { signal: t, org: tOrg },
    ],
    m.row.id,
    at,
  );
  await appendLog(tx, at, { kind: 'system' }, 'match.created', m.refs, { kind });
  return true;
};

/**
 * A new match of `s` and `t` as createMatch writes it (the batch path writes it later, with
 * the rids its signals get then): its row without the pair, the pair in rid order (a < b),
 * the organisation types it counts once each, and its logbook refs. Draws the match id.
 */
export function newMatchOf(
  ctx: EngineContext,
  kind: MatchKind,
  s: SignalRow,
  sOrg: OrganisationRow,
  t: SignalRow,
  tOrg: OrganisationRow,
  at: number,
): {
  readonly row: Omit<NewMatch, 'a' | 'b'>;
  readonly a: SignalRow;
  readonly b: SignalRow;
  readonly types: ReadonlySet<string>;
  readonly refs: Readonly<Record<string, string>>;
} {
  const [a, b] = s.rid < t.rid ? [s, t] : [t, s];
  const [aOrg, bOrg] = s.rid < t.rid ? [sOrg, tOrg] : [tOrg, sOrg];
  const holder = initialRegie(ctx.config, a, aOrg.type, b, bOrg.type);
  const regie = holder !== null;
  const first = holder ?? 'a';
  const id = newUuid(ctx.random);
  return {
    row: {
      id,
      kind,
      status: 'active',
      createdAt: at,
      endedAt: null,
      contactMadeA: null,
      contactMadeB: null,
      outcomeA: null,
      outcomeB: null,
      regieHolder: regie ? first : null,
      regieSince: regie ? at : null,
      proposalBy: null,
      proposalFor: null,
      proposalAt: null,
    },
    a,
    b,
    types: new Set([aOrg.type, bOrg.type]),
    refs: { matchId: id, signalA: a.id, signalB: b.id },
  };
}
