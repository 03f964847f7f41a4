// A row read and written back whole must not undo a concurrent change to another of its fields
// (docs/engine.md "Storage contract", clause 2). On PostgreSQL, writes run concurrently at
// READ COMMITTED; without the row lock taken at the read, a transfer answered 200 was undone by
// the leaver's concurrent informed update, a withdrawal by a concurrent rectification, and one
// party's follow-up by the other's; and a late webhook attempt brought a delivery that
// retention had expired back to pending or delivered, and a late match notice attempt ended
// the claim that had taken the notice over (their updates now hold only while the row is as
// the attempt read it). SQLite's single writer never interleaves them; both stores must
// keep every change.

import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../store/postgres/pg-store.js';
import {
  admin,
  type Harness,
  harness,
  optedInProfessional,
  person,
  placement,
  TEST_STORE,
} from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Writer = Parameters<Parameters<Harness['store']['write']>[0]>[0];

/**
 * A write that holds its transaction open (after `patch`) until `release` is called, then runs
 * `after` (when given) in the same transaction.
 */
function heldWrite(patch: (tx: Writer) => Promise<void>, after?: (tx: Writer) => Promise<void>) {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let wrote!: () => void;
  const written = new Promise<void>((r) => {
    wrote = r;
  });
  const done = h.store.write(async (tx) => {
    await patch(tx);
    wrote();
    await gate;
    await after?.(tx);
  });
  return { written, release, done };
}

/**
 * Resolves once a late attempt, started while a held write has changed its row, has read the row
 * and reached its UPDATE. On PostgreSQL: once a connection of the store waits for a lock — the
 * attempt's read takes none, so only its UPDATE waits, on the held write's row — at most 10 s.
 * On SQLite the attempt's write queues behind the held one whole, so a pause stands for it.
 */
async function attemptWaitsOnRow(unless?: Promise<unknown>): Promise<void> {
  if (TEST_STORE === 'sqlite') {
    await new Promise((r) => setTimeout(r, 200));
    return;
  }
  // `unless`: the attempt may also end without waiting (what a missing lock lets happen).
  let ended = false;
  unless?.then(
    () => (ended = true),
    () => (ended = true),
  );
  const store = h.store as PostgresStore;
  const end = performance.now() + 10_000;
  for (;;) {
    if (ended) return;
    const [waiting] = (await store.unsafe(`SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`)) as { n: number }[];
    if (waiting!.n > 0) return;
    if (performance.now() > end) throw new Error('the late attempt never waited on the row');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe(`concurrent updates of one row (${TEST_STORE})`, () => {
  it('a transfer’s new holder survives the old holder’s concurrent informed update', async () => {
    h = await harness();
    const a = await h.org('A');
    const add = async (displayName: string) =>
      (await h.engine.addPerson(admin, { organisationId: a.org.id, displayName, roles: ['professional'] }))
        .id;
    const p1 = await add('Een');
    const p2 = await add('Twee');
    const one = { ...a.actor, personId: p1, personRole: 'professional' as const, session: true };
    const placed = await h.engine.placeSignal(one, placement(5));
    const rid = (await h.store.read((tx) => tx.getSignal(placed.signal.id)))!.rid;
    const p2rid = (await h.store.read((tx) => tx.getPerson(p2)))!.rid;
    const transfer = heldWrite((tx) => tx.updateSignal(rid, { personRid: p2rid }));
    await transfer.written;
    const informed = h.engine.updateInformed(one, placed.signal.id, { status: 'not_yet' });
    await attemptWaitsOnRow(informed);
    transfer.release();
    await Promise.allSettled([transfer.done, informed]);
    expect((await h.store.read((tx) => tx.getSignalByRid(rid)))!.personRid).toBe(p2rid);
  });

  // docs/engine.md "Retention": a delivery whose lease ended is expired with its event; the
  // attempt that held the lease, recorded late, reads the row pending before the expiry commits.
  it('a delivery retention expired stays expired when a late attempt read it pending', async () => {
    h = await harness();
    const a = await h.org('A');
    const b = await h.org('B', { webhookUrl: 'https://b.example/hook' });
    const results = [{ ok: true }, { ok: false, code: 'http_503' }] as const;
    for (const [n, result] of results.entries()) {
      await h.engine.placeSignal(a.actor, placement(300 + n));
      await h.engine.placeSignal(b.actor, placement(300 + n));
      const [d] = await h.engine.claimDeliveries(10, 1000);
      h.clock.advance(1001);
      const now = h.clock.now;
      const expiry = heldWrite(async (tx) => {
        expect(await tx.expireDeliveriesBefore(now + 1, now + 1, now)).toBe(1);
      });
      await expiry.written;
      const attempt = h.engine.recordDeliveryAttempt(d!.id, d!.claim, result);
      await attemptWaitsOnRow();
      expiry.release();
      await Promise.all([expiry.done, attempt]);
      const [after] = await h.engine.listDeliveries({ limit: 1 });
      expect([after!.id, after!.status, after!.attempts, after!.nextAttemptAt]).toEqual([
        d!.id,
        'expired',
        0,
        now,
      ]);
    }
  });

  // docs/engine.md "Match notice e-mail": a notice whose lease ended is claimed again; the
  // attempt that held the first lease, recorded late, reads the row under its own claim
  // before the takeover commits, and must neither send it nor end the new claim.
  it('a match notice another claim took over stays with it when a late attempt read it first', async () => {
    h = await harness();
    const a = await h.org('A');
    const b = await h.org('B');
    const personId = await optedInProfessional(h, a, 'Ria Verloop', 'ria@a.example.nl');
    const asP = { ...a.actor, personId, personRole: 'professional' as const, session: true };
    const results = [{ ok: true }, { ok: false, code: 'smtp_unavailable' }] as const;
    for (const [n, result] of results.entries()) {
      await h.engine.placeSignal(asP, placement(400 + n));
      await h.engine.placeSignal(b.actor, placement(400 + n));
      const [first] = await h.engine.claimMailNotices(10, 1000);
      h.clock.advance(1001);
      const next = { token: `00000000-0000-4000-8000-00000000090${n}`, until: h.clock.now + 1000 };
      const takeover = heldWrite(async (tx) => {
        expect((await tx.claimMailNotices(h.clock.now, next, 10)).map((m) => m.id)).toEqual([first!.id]);
      });
      await takeover.written;
      const attempt = h.engine.recordMailAttempt(first!.id, first!.claim, result);
      await attemptWaitsOnRow();
      takeover.release();
      await Promise.all([takeover.done, attempt]);
      const after = (await h.store.read((tx) => tx.getMailNotice(first!.id)))!;
      expect([after.status, after.attempts, after.claim]).toEqual(['pending', 0, next.token]);
      await h.engine.recordMailAttempt(first!.id, next.token, { ok: true });
      expect((await h.engine.listMailNotices({ status: 'sent' })).length).toBe(n + 1);
    }
  });

  it('both parties’ follow-up on one match survive when recorded at once', async () => {
    h = await harness();
    const a = await h.org('A');
    const b = await h.org('B');
    for (let i = 0; i < 10; i++) {
      await h.engine.placeSignal(a.actor, placement(200 + i));
      await h.engine.placeSignal(b.actor, placement(200 + i));
      const items = (await h.engine.inbox(a.actor, undefined, 500)).items;
      const matchId = items[items.length - 1]!.matchId;
      await Promise.all([
        h.engine.recordFollowUp(a.actor, matchId, 'contact_made'),
        h.engine.recordFollowUp(b.actor, matchId, 'contact_made'),
      ]);
      const m = await h.engine.getMatch(a.actor, matchId);
      expect([m.followUp.mine, m.followUp.counterpart].map((f) => f === null)).toEqual([false, false]);
    }
  });

  // docs/privacy.md §2 art. 17: an erased match's reveal marks go in the erasure's write. A reveal
  // of that match in a write of its own at the same moment must not leave one behind: on
  // PostgreSQL its mark goes in only under the match row's key-share lock, so the erasure's
  // delete of the match waits for the reveal to commit and its delete of the marks then sees
  // the mark; a reveal that read the match before the erasure committed finds no match to mark.
  it('a reveal at the same time as the erasure of its match leaves no mark of it', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    for (const n of [1, 2]) {
      await h.engine.placeSignal(a.actor, placement(n));
      await h.engine.placeSignal(b.actor, placement(n));
    }
    const matchOf = async (n: number) => (await h.engine.gdprAccess(admin, person(n))).matches[0]!.matchId;
    const mark = (matchId: string) => h.store.read((tx) => tx.lastRevealLogged(a.keyId, matchId));
    const [first, second] = [await matchOf(1), await matchOf(2)];

    // The reveal has marked the match and not committed when the erasure starts.
    const marked = heldWrite((tx) => tx.setRevealLogged(a.keyId, first, h.clock.now));
    await marked.written;
    const erasure = h.engine.gdprErase(admin, person(1));
    await attemptWaitsOnRow(erasure);
    marked.release();
    await Promise.all([marked.done, erasure]);
    expect(await mark(first)).toBeUndefined();

    // The reveal has read the match; the erasure commits; then the reveal marks it.
    const late = heldWrite(
      async (tx) => {
        expect((await tx.getMatch(second))?.id).toBe(second);
      },
      (tx) => tx.setRevealLogged(a.keyId, second, h.clock.now),
    );
    await late.written;
    const erasure2 = h.engine.gdprErase(admin, person(2));
    // SQLite's single writer queues the erasure behind the reveal whole.
    if (TEST_STORE === 'sqlite') await attemptWaitsOnRow();
    else await erasure2;
    late.release();
    await Promise.all([late.done, erasure2]);
    expect(await mark(second)).toBeUndefined();
    expect(await h.store.read((tx) => tx.getMatch(second))).toBeUndefined();
  });
});
