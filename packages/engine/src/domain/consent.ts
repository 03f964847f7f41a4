// The citizen's consent per signal (docs/engine.md "Working together after a match"; village-team agreements art. 2–3: a case is
// discussed anonymously unless the citizen consented). The organisation records the date,
// the scopes (a fixed list) and optionally an opaque reference to the signed form in its
// own files; the form itself never reaches the server. Invariants: the form reference is
// shown only to the recording organisation and never logged; the logbook gets ids and the
// act only (no scopes), so nothing of the consent outlives its signal; withdrawal keeps the
// fact (without effect) and tells the counterparts.

import { CONSENT_SCOPES, type Consent, type ConsentInput, type ConsentScope } from '../api.js';
import { EngineError } from '../errors.js';
import type { ConsentRow, SignalRow, StoreWriter } from '../store/store.js';
import { parseDate, startOfDay } from '../time.js';
import { INPUT_RULES } from '../input-rules.js';
import { Faults, fail } from '../validation.js';
import {
  actingOrganisation,
  heldBy,
  type EngineContext,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { appendLog } from './logbook.js';
import { notifyCounterpart } from './notify.js';
import { ownSignal } from './signal-reads.js';
import { isLive, matchAsRecorded } from './views.js';

const CONSENT_KEYS = ['date', 'scopes', 'formReference'];

export interface ValidConsent {
  readonly date: string;
  readonly scopes: readonly ConsentScope[];
  readonly formReference: string | null;
}

export function validateConsent(input: unknown, now: number): ValidConsent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail(['']);
  const c = input as Record<string, unknown>;
  const faults = new Faults();
  // Unknown members are refused: no field can smuggle free text in.
  if (Object.keys(c).some((k) => !CONSENT_KEYS.includes(k))) faults.add('');
  const day = parseDate(c.date);
  if (day === undefined || day > startOfDay(now)) faults.add('date');
  const scopes = c.scopes;
  if (
    !Array.isArray(scopes) ||
    scopes.length < 1 ||
    scopes.length > CONSENT_SCOPES.length ||
    new Set(scopes).size !== scopes.length ||
    scopes.some((x) => !CONSENT_SCOPES.includes(x as ConsentScope))
  ) {
    faults.add('scopes');
  }
  const ref = c.formReference;
  // Opaque, bounded, no spaces: it cannot hold a sentence about the person (docs/api.md "Text fields").
  if (ref !== undefined) faults.check(INPUT_RULES.formReference, ref, 'formReference');
  faults.throwIfAny();
  return {
    date: c.date as string,
    // Canonical order, so equal consents compare equal.
    scopes: CONSENT_SCOPES.filter((x) => (scopes as unknown[]).includes(x)),
    formReference: (ref as string | undefined) ?? null,
  };
}

export function consentView(s: SignalRow, c: ConsentRow): Consent {
  return {
    signalId: s.id,
    status: c.withdrawnAt === null ? 'given' : 'withdrawn',
    date: c.date,
    scopes: c.scopes,
    formReference: c.formReference,
    recordedAt: c.recordedAt,
    withdrawnAt: c.withdrawnAt,
  };
}

/**
 * Tells the counterpart of every active match that the coordination status changed; a
 * match whose counterpart's signal is due reads as ended (views.ts `matchAsRecorded`).
 */
async function notifyCounterparts(ctx: EngineContext, tx: StoreWriter, s: SignalRow, at: number) {
  for (const m of await tx.matchesOfSignal(s.rid)) {
    if (m.status !== 'active') continue;
    const other = await tx.getSignalByRid(m.a === s.rid ? m.b : m.a);
    if (other === undefined || matchAsRecorded(m, s, other, at).status !== 'active') continue;
    await notifyCounterpart(ctx, tx, m, m.a === s.rid ? 'a' : 'b', at);
  }
}

export async function recordConsent(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalId: string,
  input: ConsentInput,
): Promise<Consent> {
  requireOrganisationActor(actor);
  const v = validateConsent(input, ctx.clock());
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, signalId, await heldBy(tx, actor, org));
    if (!isLive(s, now)) throw new EngineError('signal_inactive', 'the signal is not active');
    const row: ConsentRow = { signalRid: s.rid, ...v, recordedAt: now, withdrawnAt: null };
    await tx.setConsent(row);
    await notifyCounterparts(ctx, tx, s, now);
    await appendLog(tx, now, actor, 'consent.recorded', {
      organisationId: org.id,
      keyId: actor.keyId,
      signalId: s.id,
    });
    return consentView(s, row);
  });
}

/** Allowed on archived signals too: a citizen can always withdraw consent. */
export async function withdrawConsent(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalId: string,
): Promise<Consent> {
  requireOrganisationActor(actor);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, signalId, await heldBy(tx, actor, org));
    const c = await tx.getConsent(s.rid);
    if (c === undefined || c.withdrawnAt !== null) {
      throw new EngineError('conflict', 'there is no current consent');
    }
    const row: ConsentRow = { ...c, withdrawnAt: now };
    await tx.setConsent(row);
    await notifyCounterparts(ctx, tx, s, now);
    await appendLog(tx, now, actor, 'consent.withdrawn', {
      organisationId: org.id,
      keyId: actor.keyId,
      signalId: s.id,
    });
    return consentView(s, row);
  });
}

export async function getConsent(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalId: string,
): Promise<Consent | null> {
  requireOrganisationActor(actor);
  return ctx.store.read(async (tx) => {
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, signalId, await heldBy(tx, actor, org));
    const c = await tx.getConsent(s.rid);
    return c === undefined ? null : consentView(s, c);
  });
}
