// The logbook keeps only counts of a citizen's own erasure, objection and restriction
// (docs/leakage.md §3.5, docs/privacy.md §2 art. 17, 18, 21): the entries written by the
// request name no signal or match of the person, so the older `signal.placed` /
// `match.created` entries are not marked as erased or objected to, nor grouped as one
// citizen's, for the logbook's term. The person has matches, an
// archived signal with an archive notice, parent links with a family match, a consent, an
// agreement, follow-up and a pending handover request when the request comes.

import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, LogbookEntry } from '../api.js';
import { createEngine } from '../engine.js';
import { appendLog } from './logbook.js';
import { admin, DAY, type Harness, harness, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type OrgActor = Actor & { kind: 'organisation' };
type Entry = LogbookEntry;

/** Person 1 with everything that hangs off a person; answers the ids the request must not name. */
async function personWithEverything(): Promise<string[]> {
  const [a, b, c, d] = [await h.org('A'), await h.org('B'), await h.org('C'), await h.org('D')];
  const add = async (displayName: string) =>
    (await h.engine.addPerson(admin, { organisationId: a.org.id, displayName, roles: ['professional'] })).id;
  const session = (personId: string): OrgActor => ({
    ...a.actor,
    personId,
    personRole: 'professional',
    session: true,
  });
  const [holder, asker] = [session(await add('Houder')), session(await add('Vrager'))];
  const sa = await h.engine.placeSignal(
    holder,
    placement(1, { legalBasis: 'consent', attestation: { date: '2026-01-10', formReference: 'F-1' } }),
  );
  h.clock.advance(1000);
  await h.engine.placeSignal(b.actor, placement(1));
  const matchId = (await h.engine.inbox(b.actor, undefined, 10)).items[0]!.matchId;
  await h.engine.recordConsent(holder, sa.signal.id, { date: '2026-01-12', scopes: ['team_meeting'] });
  const x = await h.engine.addAgreement(b.actor, matchId, {
    owner: 'counterpart',
    actionKind: 'home_visit',
    informationCategory: 'health',
    purpose: 'assess_need',
    dueDate: '2026-02-01',
  });
  await h.engine.setAgreementStatus(holder, matchId, x.id, 'done');
  await h.engine.recordFollowUp(b.actor, matchId, 'contact_made');
  // A colleague is refused and asks for the signal: a pending handover request.
  const refused = placement(1);
  expect((await h.engine.placeSignal(asker, refused)).heldByYou).toBe(false);
  await h.engine.requestHandover(asker, refused.requestId);
  // C's signal is archived; D's placement gets the archive notice.
  const sc = await h.engine.placeSignal(c.actor, placement(1));
  await h.engine.withdrawSignal(c.actor, sc.signal.id, 'ended');
  expect((await h.engine.placeSignal(d.actor, placement(1))).archiveNotices).toHaveLength(1);
  // Person 1 as a parent of two children: a family match between them.
  await h.engine.placeSignal(c.actor, placement(5, { parents: [person(1)] }));
  await h.engine.placeSignal(d.actor, placement(6, { parents: [person(1)] }));
  const r = await h.engine.gdprAccess(admin, person(1));
  expect(r.signals).toHaveLength(4);
  expect(r.parentLinks).toHaveLength(2);
  const ids = [...r.signals.map((s) => s.signalId), ...r.matches.map((m) => m.matchId)];
  expect(new Set(ids).size).toBeGreaterThanOrEqual(7);
  return ids;
}

async function entriesFrom(seq: number): Promise<Entry[]> {
  return [...(await h.engine.logbook(seq, 1000))];
}

/** The entries after `seq`, and the whole export, name none of `ids` and mark nothing erased. */
function expectCountsOnly(written: readonly Entry[], all: readonly Entry[], ids: readonly string[]) {
  const text = JSON.stringify(written).toLowerCase();
  for (const id of ids) expect(text, 'the request names an id of the person').not.toContain(id.toLowerCase());
  const reasons = all.map((e) => e.details.reason).filter((r) => r !== undefined);
  expect(reasons).not.toContain('erased');
}

describe('the logbook keeps counts only of an erasure, an objection and a restriction', () => {
  it('an erasure writes only gdpr.erased with counts, and names no signal or match of the person', async () => {
    h = await harness();
    const ids = await personWithEverything();
    const before = (await entriesFrom(1)).at(-1)!.seq;
    expect(await h.engine.gdprErase(admin, person(1))).toMatchObject({ signals: 4, parentLinks: 2 });
    const written = await entriesFrom(before + 1);
    expectCountsOnly(written, await entriesFrom(1), ids);
    expect(written.map((e) => e.action)).toEqual(['gdpr.erased']);
    expect(written[0]!.refs).toEqual({});
  });

  it('an objection, pending then upheld, writes counts only', async () => {
    h = await harness();
    const ids = await personWithEverything();
    const before = (await entriesFrom(1)).at(-1)!.seq;
    await h.engine.gdprObject(admin, person(1), 'pending');
    await h.engine.gdprObject(admin, person(1), 'upheld');
    expect((await h.engine.gdprAccess(admin, person(1))).signals).toHaveLength(0);
    const written = (await entriesFrom(before + 1)).filter((e) => e.action !== 'gdpr.access');
    expectCountsOnly(written, await entriesFrom(1), ids);
    expect(written.map((e) => [e.action, e.details.status])).toEqual([
      ['gdpr.objection', 'pending'],
      ['gdpr.objection', 'upheld'],
    ]);
    expect(written.map((e) => e.refs)).toEqual([{}, {}]);
  });

  it('a rejected objection names no signal either, and the decision still finds them', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const sa = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.gdprObject(admin, person(1), 'pending');
    expect((await h.engine.getSignal(a.actor, sa.signal.id)).underObjection).toBe(true);
    expect(await h.engine.gdprObject(admin, person(1), 'rejected')).toMatchObject({ signals: 2 });
    expect((await h.engine.getSignal(a.actor, sa.signal.id)).underObjection).toBe(false);
    const objections = (await entriesFrom(1)).filter((e) => e.action === 'gdpr.objection');
    expect(objections.map((e) => [e.refs, e.details.signals])).toEqual([
      [{}, 2],
      [{}, 2],
    ]);
  });

  it('an access request logs counts only; a later report lists it; erased, nothing links the person to it', async () => {
    // docs/leakage.md §3.5 "Where the link from a citizen to their access requests lives".
    h = await harness();
    const ids = await personWithEverything(); // ends with an administrator's access request
    const desk = await h.engine.addPerson(admin, {
      organisationId: null,
      displayName: 'Dina Desk',
      roles: ['gdpr_desk'],
    });
    const asDesk: Actor = { kind: 'admin', keyId: 'admin-key', personId: desk.id, personRole: 'gdpr_desk' };
    const viewed = (r: Awaited<ReturnType<typeof h.engine.gdprAccess>>) =>
      r.access
        .filter((x) => x.via === 'access_request')
        .map((x) => [x.kind, x.role, x.organisationId, x.personName]);
    h.clock.advance(1000);
    expect(viewed(await h.engine.gdprAccess(asDesk, person(1)))).toEqual([
      ['viewed', 'municipality', null, null],
    ]);
    h.clock.advance(1000);
    const third = await h.engine.gdprAccess(admin, person(1));
    expect(viewed(third)).toEqual([
      ['viewed', 'municipality', null, null],
      ['viewed', 'gdpr_desk', null, null],
    ]);
    const accessEntries = (await entriesFrom(1)).filter((e) => e.action === 'gdpr.access');
    expect(accessEntries.map((e) => [e.refs, e.details.signals, e.details.parentLinks])).toEqual([
      [{}, 4, 2],
      [{}, 4, 2],
      [{}, 4, 2],
    ]);
    // The link lives beside the signals: one row per own signal and request, gone with the erasure.
    const rids = await h.store.read(async (tx) => {
      const rows = await Promise.all(third.signals.map((s) => tx.getSignal(s.signalId)));
      return rows.map((r) => r!.rid);
    });
    expect(await h.store.read(async (tx) => (await tx.accessRequestsOf(rids)).length)).toBe(12);
    await h.engine.gdprErase(admin, person(1));
    expect(await h.store.read((tx) => tx.accessRequestsOf(rids))).toEqual([]);
    const all = await entriesFrom(1);
    const requests = all.filter((e) => e.action.startsWith('gdpr.'));
    expect(requests.map((e) => e.action)).toEqual([
      'gdpr.access',
      'gdpr.access',
      'gdpr.access',
      'gdpr.erased',
    ]);
    expectCountsOnly(requests, all, ids);
    // Signalled again after the erasure: nothing re-links the requests made before it.
    const e = await h.org('E');
    await h.engine.placeSignal(e.actor, placement(1));
    expect(viewed(await h.engine.gdprAccess(admin, person(1)))).toEqual([]);
  });

  it('an access request logged before the access rows (its entry lists the signal ids) is listed once; erased, no more', async () => {
    // docs/leakage.md §3.5, docs/operations.md "Upgrade": an entry written before SQLite schema
    // step 30 (PostgreSQL step 20) names the signals it found; written here as that version did.
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const s1 = await h.engine.placeSignal(a.actor, placement(1));
    const s2 = await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.placeSignal(a.actor, placement(2));
    h.clock.advance(1000);
    const at = h.clock.fn();
    const found = { signalIds: [s1.signal.id, s2.signal.id].join(',') };
    await h.store.write((tx) =>
      appendLog(tx, at, admin, 'gdpr.access', found, { signals: 2, parentLinks: 0, matches: 1 }),
    );
    h.clock.advance(1000);
    const viewed = async (n: number) =>
      (await h.engine.gdprAccess(admin, person(n))).access
        .filter((x) => x.via === 'access_request')
        .map((x) => [x.at, x.role]);
    expect(await viewed(1)).toEqual([[at, 'municipality']]);
    // Another citizen's report does not list it (its signal is not in the entry).
    expect(await viewed(2)).toEqual([]);
    await h.engine.gdprErase(admin, person(1));
    const c = await h.org('C');
    await h.engine.placeSignal(c.actor, placement(1));
    // Signalled again after the erasure: the old entry's ids are gone, so it links nothing.
    expect(await viewed(1)).toEqual([]);
  });

  it('the logbook purge takes the access requests of its purged time, no later one', async () => {
    h = await harness();
    const a = await h.org('A');
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.gdprAccess(admin, person(1));
    h.clock.advance(3 * DAY);
    await h.engine.gdprAccess(admin, person(1));
    const [first, second] = (await entriesFrom(1)).filter((e) => e.action === 'gdpr.access').map((e) => e.at);
    const viewedAt = async () =>
      (await h.engine.gdprAccess(admin, person(1))).access
        .filter((x) => x.via === 'access_request')
        .map((x) => x.at);
    h.clock.advance(1000);
    expect(await viewedAt()).toEqual([first, second]);
    // A logbook term shorter than the signal's life (terms changed since it was placed): the
    // first request's entry is past it, its signal is not. The signal's expiry stays as stored.
    const shorter = await createEngine({
      store: h.store,
      serverSecrets: h.secrets,
      clock: h.clock.fn,
      config: { activeTermDays: 1, archiveTermDays: 1, logbookRetentionDays: 2 },
    });
    await shorter.runRetention(admin);
    expect((await entriesFrom(1)).some((e) => e.at === first)).toBe(false);
    // The first request's row went with its entry; the second's and the report's own remain.
    expect(await viewedAt()).toEqual([second, second! + 1000]);
  });

  it('a restriction and its lifting write counts only, and a later erasure leaves nothing grouping the signals', async () => {
    h = await harness();
    const ids = await personWithEverything();
    const before = (await entriesFrom(1)).at(-1)!.seq;
    expect(await h.engine.gdprRestrict(admin, person(1), true)).toMatchObject({ signals: 4, parentLinks: 2 });
    expect(await h.engine.gdprRestrict(admin, person(1), false)).toMatchObject({
      signals: 4,
      parentLinks: 2,
    });
    await h.engine.gdprErase(admin, person(1));
    const written = await entriesFrom(before + 1);
    expectCountsOnly(written, await entriesFrom(1), ids);
    expect(written.map((e) => [e.action, e.refs, e.details.signals])).toEqual([
      ['gdpr.restricted', {}, 4],
      ['gdpr.restriction_lifted', {}, 4],
      ['gdpr.erased', {}, 4],
    ]);
  });

  it('lifting a restriction that names no signal still finds them, and catches up', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const sa = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.gdprRestrict(admin, person(1), true);
    expect((await h.engine.getSignal(a.actor, sa.signal.id)).restricted).toBe(true);
    // B's placement inherits the restriction: no match until it is lifted.
    await h.engine.placeSignal(b.actor, placement(1));
    expect((await h.engine.inbox(b.actor, undefined, 10)).items).toHaveLength(0);
    expect(await h.engine.gdprRestrict(admin, person(1), false)).toMatchObject({ signals: 2 });
    expect((await h.engine.getSignal(a.actor, sa.signal.id)).restricted).toBe(false);
    expect((await h.engine.inbox(b.actor, undefined, 10)).items.map((e) => e.type)).toContain(
      'match.created',
    );
    const lifted = (await entriesFrom(1)).filter((e) => e.action === 'gdpr.restriction_lifted');
    expect(lifted.map((e) => [e.refs, e.details])).toEqual([
      [{}, { signals: 2, parentLinks: 0, matchesCreated: 1 }],
    ]);
  });

  // docs/leakage.md §3.5: the organisation's act and the retention's keep their reason.
  it('a withdrawal in error and a purge still log match.removed with the ids and the reason', async () => {
    h = await harness({ config: { archiveTermDays: 10 } });
    const [a, b] = [await h.org('A'), await h.org('B')];
    const s1 = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const s2 = await h.engine.placeSignal(a.actor, placement(2));
    await h.engine.placeSignal(b.actor, placement(2));
    await h.engine.withdrawSignal(a.actor, s1.signal.id, 'error');
    await h.engine.withdrawSignal(a.actor, s2.signal.id, 'ended');
    h.clock.advance(10 * 86_400_000);
    await h.engine.runRetention(admin);
    const removed = (await entriesFrom(1)).filter((e) => e.action === 'match.removed');
    expect(removed.map((e) => [e.refs.signalId, e.details.reason])).toEqual([
      [s1.signal.id, 'error'],
      [s2.signal.id, 'purged'],
    ]);
  });
});
