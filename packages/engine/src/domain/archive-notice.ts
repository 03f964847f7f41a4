// The one-time notice from the historic archive (Jeugdwet art. 7.1.4.6; docs/engine.md
// "Archive notice"). When a new signal concerns a person with an archived signal of
// another organisation, the new signaller — and only it — is told that organisation's
// name and the archived signal's contact. Invariants: never a match (nothing is written
// on the archived side, nobody there is told); at most once per (archived signal, new
// signaller's organisation), held by the store's unique pair even across concurrent
// placements (both run in the person's section, contract clause 4); never after purge
// (a purged signal is gone, and its notices with it); only for the legal bases the
// covenant chose (archiveNoticeBases); never for a restricted person; always logged. A
// notice given before a restriction or a pending objection is left out of the reads until
// it is lifted or decided, as a match withholds the contact (docs/privacy.md §2 art. 18 and 21).

import type { ArchiveNotice, LegalBasis } from '../api.js';
import { newUuid } from '../ids.js';
import type {
  ArchiveNoticeRow,
  OrganisationRow,
  SignalRow,
  StoreReader,
  StoreWriter,
} from '../store/store.js';
import {
  actingOrganisation,
  heldBy,
  type EngineContext,
  type OrganisationActor,
  requireOrganisationActor,
} from './context.js';
import { appendLog } from './logbook.js';
import { ownSignal } from './signal-reads.js';
import { isRestricted } from './views.js';

/**
 * Gives the new signal `s` of `org` its archive notices, from the signals of the same
 * person read in this write before `s` was inserted. Returns the notices given now.
 */
export async function giveArchiveNotices(
  ctx: EngineContext,
  tx: StoreWriter,
  org: OrganisationRow,
  s: SignalRow,
  basis: LegalBasis,
  samePerson: readonly SignalRow[],
  now: number,
): Promise<ArchiveNotice[]> {
  if (!ctx.config.archiveNoticeBases.includes(basis) || s.restricted || s.objection !== null) return [];
  const out: ArchiveNotice[] = [];
  for (const t of samePerson) {
    if (t.status !== 'inactive' || t.organisationRid === org.rid) continue;
    const other = await tx.getOrganisationByRid(t.organisationRid);
    if (other === undefined || other.status !== 'active') continue;
    const row: ArchiveNoticeRow = {
      id: newUuid(ctx.random),
      archivedSignalRid: t.rid,
      organisationRid: org.rid,
      signalRid: s.rid,
      at: now,
    };
    if (!(await tx.insertArchiveNotice(row))) continue;
    await appendLog(
      tx,
      now,
      { kind: 'system' },
      'archive.notice',
      { signalId: s.id, archivedSignalId: t.id, organisationId: org.id },
      { archivedOrganisationId: other.id },
    );
    out.push({ id: row.id, signalId: s.id, at: now, organisationName: other.name, contact: t.contact });
  }
  return out;
}

async function noticeView(
  tx: StoreReader,
  s: SignalRow,
  n: ArchiveNoticeRow,
): Promise<ArchiveNotice | undefined> {
  const t = await tx.getSignalByRid(n.archivedSignalRid);
  const other = t === undefined ? undefined : await tx.getOrganisationByRid(t.organisationRid);
  if (t === undefined || other === undefined) return undefined;
  // A restriction (art. 18) or a pending objection (art. 21) stops the reveal: the notice is
  // left out until it is lifted or decided (rejected: shown again). Showing the archived
  // contact is processing other than storage, which art. 18(2) does not allow; a match
  // withholds it likewise and says why (views.ts `revealsContact`; engine.md "Archive notice").
  if (isRestricted(s) || isRestricted(t)) return undefined;
  return { id: n.id, signalId: s.id, at: n.at, organisationName: other.name, contact: t.contact };
}

/**
 * The notices an own signal received (re-read after the placement's answer). A notice
 * whose archived signal was purged is gone. Each read that shows one is logged.
 */
export async function archiveNotices(
  ctx: EngineContext,
  actor: OrganisationActor,
  signalId: string,
): Promise<ArchiveNotice[]> {
  requireOrganisationActor(actor);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const org = await actingOrganisation(tx, actor);
    const s = await ownSignal(tx, org.rid, signalId, await heldBy(tx, actor, org));
    const out: ArchiveNotice[] = [];
    for (const n of await tx.archiveNoticesOf(s.rid)) {
      const v = await noticeView(tx, s, n);
      if (v !== undefined) out.push(v);
    }
    if (out.length > 0) {
      await appendLog(
        tx,
        now,
        actor,
        'archive.notice_read',
        { organisationId: org.id, keyId: actor.keyId, signalId: s.id },
        { count: out.length },
      );
    }
    return out;
  });
}
