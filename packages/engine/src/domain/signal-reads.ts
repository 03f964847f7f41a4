// Reads of an organisation's own signals: one by id, or a page (optionally only those one of
// its people placed). A signal past its expiresAt reads as expired even before retention has
// recorded it. Another organisation's signal
// answers not_found exactly like a missing one, and the list cursor is a public id, so no
// read reveals that other organisations' signals exist.

import { LIST_ORDERS, type ListSignalsQuery, type Page, type Signal } from '../api.js';
import { isUuid } from '../ids.js';
import type { SignalRow, StoreReader } from '../store/store.js';
import { fail, validateLimit } from '../validation.js';
import {
  actingOrganisation,
  type EngineContext,
  heldBy,
  notFound,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { asRecorded, signalView } from './views.js';

/**
 * The organisation's signal `signalId`; with `holder` (heldBy), only when that person holds
 * it. Anything else answers not_found like a missing one, so a colleague cannot probe.
 */
export async function ownSignal(
  tx: StoreReader,
  orgRid: number,
  signalId: unknown,
  holder: number | undefined,
): Promise<SignalRow> {
  if (typeof signalId !== 'string' || !isUuid(signalId)) notFound();
  const s = await tx.getSignal(signalId.toLowerCase());
  if (s === undefined || s.organisationRid !== orgRid) notFound();
  if (holder !== undefined && s.personRid !== holder) notFound();
  return s;
}

export async function getSignal(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalId: string,
): Promise<Signal> {
  requireOrganisationActor(actor);
  return ctx.store.read(async (tx) => {
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, signalId, await heldBy(tx, actor, org));
    return signalView(tx, asRecorded(s, ctx.clock(), ctx.config.archiveTermDays), org.id);
  });
}

export async function listSignals(
  ctx: EngineContext,
  actor: OrganisationActor,
  given: ListSignalsQuery,
): Promise<Page<Signal>> {
  requireOrganisationActor(actor);
  const query = given ?? {};
  const limit = validateLimit(query?.limit, 100);
  if (query.status !== undefined && query.status !== 'active' && query.status !== 'inactive')
    fail(['status']);
  if (query.order !== undefined && !LIST_ORDERS.includes(query.order)) fail(['order']);
  const order = query.order ?? 'oldest';
  return ctx.store.read(async (tx) => {
    const org = await actingOrganisation(tx, actor);
    // A professional's session lists only what they hold (docs/api.md "Need to know").
    const holder = await heldBy(tx, actor, org);
    // A person of another organisation answers like an unknown one: the filter reveals
    // nothing; so does a colleague to a professional's session.
    let personRid = holder;
    if (query.personId !== undefined) {
      if (!isUuid(query.personId)) fail(['personId']);
      const p = await tx.getPerson(query.personId.toLowerCase());
      if (p === undefined || p.organisationRid !== org.rid) fail(['personId']);
      if (holder !== undefined && p.rid !== holder) fail(['personId']);
      personRid = p.rid;
    }
    let after = 0;
    if (query.cursor !== undefined) {
      // The cursor is the last signal's public id: internal row ids would reveal how many
      // signals other organisations placed in between. Newest first, the next page is of
      // those placed before it (docs/api.md "GET /v1/signals?status").
      if (!isUuid(query.cursor)) fail(['cursor']);
      const c = await tx.getSignal(query.cursor.toLowerCase());
      if (c === undefined || c.organisationRid !== org.rid) fail(['cursor']);
      if (holder !== undefined && c.personRid !== holder) fail(['cursor']);
      after = c.rid;
    }
    // Past its expiresAt a signal is listed and shown as inactive, whether or not retention
    // has recorded it yet (views.ts `asRecorded`).
    const now = ctx.clock();
    const status = query.status === undefined ? undefined : { status: query.status, at: now };
    const rows = await tx.listSignals(org.rid, status, after, limit + 1, personRid, order);
    const items: Signal[] = [];
    for (const r of rows.slice(0, limit))
      items.push(await signalView(tx, asRecorded(r, now, ctx.config.archiveTermDays), org.id));
    const last = items[items.length - 1];
    return rows.length > limit && last !== undefined ? { items, nextCursor: last.id } : { items };
  });
}
