// Store conformance, the match notice e-mail (docs/engine.md "Match notice e-mail"): an
// organisation's opt-in defaults to off and round-trips; a signal's placing person defaults
// to null, round-trips, filters the signal listing and is patched alone; the mail outbox lists due notices in
// (nextAttemptAt, insertion) order with the person's public id joined, excludes notices not
// yet due or no longer pending, refuses a duplicate id as a 'conflict', keeps nothing of a
// rolled-back operation, loses its pending notices with their match and deletes only done
// notices by age; and an attempt is recorded only under the claim that holds the notice
// pending (contract/outbox.ts `updateMailNotice`; domain/concurrent-row-updates.test.ts
// interleaves a late attempt with a takeover).

import assert from 'node:assert/strict';
import { EngineError, isEngineError } from '../../errors.js';
import type { StoreWriter } from '../store.js';
import { type ConformanceContext, newMatch, newSignal, notice, org, uuid } from './fixtures.js';

async function personIn(tx: StoreWriter, orgRid: number, n: number): Promise<number> {
  return tx.insertPerson({
    id: uuid(8000 + n),
    organisationRid: orgRid,
    displayName: `Person ${n}`,
    email: `p${n}@example.nl`,
    roles: ['professional'],
    status: 'active',
    createdAt: 1,
    removedAt: null,
  });
}

async function matchOf(tx: StoreWriter, a: number, b: number, n: number): Promise<string> {
  const m = newMatch(n, a, b);
  await tx.insertMatch(m);
  return m.id;
}

export function mailCases({ test, withStore }: ConformanceContext): void {
  test(
    'an organisation’s match e-mail opt-in defaults to off, round-trips and is patched alone',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      assert.equal((await s.read((tx) => tx.getOrganisationByRid(o)))?.matchEmail, false);
      await s.write((tx) => tx.updateOrganisation(o, { matchEmail: true }));
      const on = await s.read((tx) => tx.getOrganisationByRid(o));
      assert.equal(on?.matchEmail, true);
      assert.equal(on?.placementBudgetPerDay, 10);
      await s.write((tx) => tx.updateOrganisation(o, { placementBudgetPerDay: 7 }));
      assert.equal((await s.read((tx) => tx.getOrganisationByRid(o)))?.matchEmail, true);
      await s.write((tx) => tx.updateOrganisation(o, { matchEmail: false }));
      assert.equal((await s.read((tx) => tx.listOrganisations()))[0]?.matchEmail, false);
    }),
  );

  test(
    'a signal’s placing person defaults to null, round-trips, filters the listing (either order) and is patched alone',
    withStore(async (s) => {
      const { o, p } = await s.write(async (tx) => {
        const o = await org(tx, 1);
        return { o, p: await personIn(tx, o, 1) };
      });
      const [a, b, c] = await s.write(async (tx) => [
        await tx.insertSignal(newSignal(o, 1)),
        await tx.insertSignal(newSignal(o, 2, { personRid: p })),
        await tx.insertSignal(newSignal(o, 3, { personRid: p })),
      ]);
      assert.equal((await s.read((tx) => tx.getSignalByRid(a!)))?.personRid, null);
      assert.equal((await s.read((tx) => tx.getSignalByRid(b!)))?.personRid, p);
      assert.equal((await s.read((tx) => tx.getSignal(uuid(2))))?.personRid, p);
      // The listing filtered by placing person, with and without a status, in either order.
      await s.read(async (tx) => {
        assert.deepEqual(
          (await tx.listSignals(o, undefined, 0, 10, p)).map((x) => x.rid),
          [b, c],
        );
        assert.deepEqual(
          (await tx.listSignals(o, { status: 'active', at: 0 }, 0, 10, p)).map((x) => x.rid),
          [b, c],
        );
        assert.deepEqual(await tx.listSignals(o, { status: 'inactive', at: 0 }, 0, 10, p), []);
        assert.deepEqual(
          (await tx.listSignals(o, { status: 'active', at: 0 }, b!, 10, p)).map((x) => x.rid),
          [c],
        );
        assert.deepEqual(await tx.listSignals(o, { status: 'active', at: 0 }, c!, 10, p), []);
        assert.deepEqual(await tx.listSignals(o, undefined, 0, 10, p + 1000), []);
        assert.deepEqual(
          (await tx.listSignals(o, undefined, 0, 10)).map((x) => x.rid),
          [a, b, c],
        );
        const newest = async (before: number, limit: number, status?: 'active' | 'inactive') =>
          (await tx.listSignals(o, status && { status, at: 0 }, before, limit, p, 'newest')).map(
            (x) => x.rid,
          );
        assert.deepEqual(await newest(0, 10), [c, b]);
        assert.deepEqual(await newest(0, 1, 'active'), [c]);
        assert.deepEqual(await newest(c!, 10, 'active'), [b]);
        assert.deepEqual(await newest(b!, 10), []);
        assert.deepEqual(await newest(0, 10, 'inactive'), []);
        assert.deepEqual(
          (await tx.listSignals(o, undefined, 0, 10, undefined, 'newest')).map((x) => x.rid),
          [c, b, a],
        );
      });
      await s.write((tx) => tx.updateSignal(b!, { informed: { status: 'citizen', date: '2026-01-01' } }));
      assert.equal((await s.read((tx) => tx.getSignalByRid(b!)))?.personRid, p);
      await s.write((tx) => tx.updateSignal(b!, { personRid: null }));
      const after = await s.read((tx) => tx.getSignalByRid(b!));
      assert.equal(after?.personRid, null);
      assert.equal(after?.informed.status, 'citizen');
      assert.equal((await s.read((tx) => tx.getPersonByRid(p)))?.id, uuid(8001));
      assert.equal(await s.read((tx) => tx.getPersonByRid(p + 1000)), undefined);
    }),
  );

  test(
    'the mail outbox: claims in due order, leases, joined person id, status filters, conflict, rollback, deletion with the match and by age',
    withStore(async (s) => {
      const { p1, p2, m1, m2 } = await s.write(async (tx) => {
        const o = await org(tx, 1);
        const p1 = await personIn(tx, o, 1);
        const p2 = await personIn(tx, o, 2);
        const [a, b, c] = [
          await tx.insertSignal(newSignal(o, 1)),
          await tx.insertSignal(newSignal(o, 2)),
          await tx.insertSignal(newSignal(o, 3)),
        ];
        return { p1, p2, m1: await matchOf(tx, a, b, 1), m2: await matchOf(tx, a, c, 2) };
      });
      await s.write(async (tx) => {
        await tx.insertMailNotice(notice(1, p1, m1, { nextAttemptAt: 300 }));
        await tx.insertMailNotice(notice(2, p2, m1, { nextAttemptAt: 200 }));
        await tx.insertMailNotice(notice(3, p1, m2, { nextAttemptAt: 200 }));
        await tx.insertMailNotice(notice(4, p2, m2, { nextAttemptAt: 900 }));
      });
      // Claimed oldest due first; a row under a live lease is not claimed again.
      const [first, ...rest] = [
        ...(await s.write((tx) => tx.claimMailNotices(300, { token: uuid(9101), until: 400 }, 1))),
        ...(await s.write((tx) => tx.claimMailNotices(300, { token: uuid(9102), until: 350 }, 10))),
      ];
      assert.deepEqual([first?.id, ...rest.map((n) => n.id)], [uuid(9002), uuid(9003), uuid(9001)]);
      assert.deepEqual(first, {
        id: uuid(9002),
        personRid: p2,
        personId: uuid(8002),
        matchId: m1,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: 200,
        lastErrorCode: null,
        createdAt: 100,
        doneAt: null,
        claim: uuid(9101),
        claimedUntil: 400,
      });
      assert.equal((await s.read((tx) => tx.getMailNotice(uuid(9001))))?.claim, uuid(9102));
      assert.deepEqual(
        await s.write((tx) => tx.claimMailNotices(349, { token: uuid(9103), until: 500 }, 10)),
        [],
      );
      await assert.rejects(
        s.write((tx) => tx.insertMailNotice(notice(1, p2, m2))),
        (e: unknown) => isEngineError(e, 'conflict'),
      );
      await assert.rejects(
        s.write(async (tx) => {
          await tx.insertMailNotice(notice(5, p1, m1));
          throw new EngineError('validation_failed', 'rolled back');
        }),
      );
      assert.equal(await s.read((tx) => tx.getMailNotice(uuid(9005))), undefined);
      await s.write(async (tx) => {
        await tx.updateMailNotice(uuid(9002), uuid(9101), {
          status: 'sent',
          attempts: 1,
          nextAttemptAt: 200,
          lastErrorCode: null,
          doneAt: 250,
        });
        await tx.updateMailNotice(uuid(9003), uuid(9102), {
          status: 'pending',
          attempts: 2,
          nextAttemptAt: 5000,
          lastErrorCode: 'smtp_unavailable',
          doneAt: null,
        });
      });
      // An update ends the claim; a lapsed lease (9001's, at 350) frees the row.
      assert.equal((await s.read((tx) => tx.getMailNotice(uuid(9003))))?.claim, null);
      assert.deepEqual(
        (await s.write((tx) => tx.claimMailNotices(1000, { token: uuid(9104), until: 2000 }, 10))).map(
          (n) => n.id,
        ),
        [uuid(9001), uuid(9004)],
      );
      const retried = await s.read((tx) => tx.getMailNotice(uuid(9003)));
      assert.equal(retried?.attempts, 2);
      assert.equal(retried?.lastErrorCode, 'smtp_unavailable');
      assert.deepEqual(
        (await s.read((tx) => tx.listMailNotices('sent', 10))).map((n) => n.id),
        [uuid(9002)],
      );
      assert.deepEqual(
        (await s.read((tx) => tx.listMailNotices(undefined, 10))).map((n) => n.id),
        [uuid(9004), uuid(9003), uuid(9002), uuid(9001)],
      );
      await s.write((tx) =>
        tx.updateMailNotice(uuid(9004), uuid(9104), {
          status: 'dropped',
          attempts: 0,
          nextAttemptAt: 900,
          lastErrorCode: 'person_removed',
          doneAt: 250,
        }),
      );
      // Deleting match 1 takes every notice of it: the pending one (1) and the sent one (2)
      // (docs/privacy.md §4: nothing of a deleted match stays in the outbox).
      const m1rid = (await s.read((tx) => tx.getMatch(m1)))!.rid;
      await s.write((tx) => tx.deleteMatch(m1rid));
      assert.equal(await s.read((tx) => tx.getMailNotice(uuid(9001))), undefined);
      assert.equal(await s.read((tx) => tx.getMailNotice(uuid(9002))), undefined);
      // Another match's done notice goes after its term.
      assert.equal(await s.write((tx) => tx.deleteDoneMailNoticesBefore(250)), 0);
      assert.equal(await s.write((tx) => tx.deleteDoneMailNoticesBefore(251)), 1);
      assert.deepEqual(
        (await s.read((tx) => tx.listMailNotices(undefined, 10))).map((n) => n.id),
        [uuid(9003)],
      );
    }),
  );

  test(
    'a notice’s attempt is recorded only under the claim that holds it pending: not after a takeover, not once sent or dropped',
    withStore(async (s) => {
      const { p, m } = await s.write(async (tx) => {
        const o = await org(tx, 1);
        const p = await personIn(tx, o, 1);
        const [a, b] = [await tx.insertSignal(newSignal(o, 1)), await tx.insertSignal(newSignal(o, 2))];
        return { p, m: await matchOf(tx, a, b, 1) };
      });
      const [taken, dropped] = [uuid(9001), uuid(9002)];
      const late = { token: uuid(9201), until: 200 };
      const next = { token: uuid(9202), until: 300 };
      await s.write(async (tx) => {
        await tx.insertMailNotice(notice(1, p, m));
        await tx.insertMailNotice(notice(2, p, m));
      });
      assert.equal((await s.write((tx) => tx.claimMailNotices(100, late, 10))).length, 2);
      const attempt = (id: string, claim: string, status: 'sent' | 'pending' | 'dropped') =>
        s.write((tx) =>
          tx.updateMailNotice(id, claim, {
            status,
            attempts: status === 'dropped' ? 0 : 1,
            nextAttemptAt: status === 'pending' ? 5000 : 100,
            lastErrorCode: { sent: null, pending: 'smtp_unavailable', dropped: 'person_removed' }[status],
            doneAt: status === 'pending' ? null : 250,
          }),
        );
      const state = (id: string) =>
        s.read(async (tx) => {
          const n = (await tx.getMailNotice(id))!;
          return [n.status, n.attempts, n.nextAttemptAt, n.claim];
        });
      // The lease ends at 200: another claim takes both over and drops the second.
      assert.deepEqual(
        (await s.write((tx) => tx.claimMailNotices(200, next, 10))).map((n) => n.id),
        [taken, dropped],
      );
      assert.equal(await attempt(dropped, next.token, 'dropped'), true);
      // The late attempts, sent or failed: nothing changes.
      for (const status of ['sent', 'pending'] as const) {
        assert.equal(await attempt(taken, late.token, status), false);
        assert.equal(await attempt(dropped, late.token, status), false);
      }
      assert.deepEqual(await state(taken), ['pending', 0, 100, next.token]);
      assert.deepEqual(await state(dropped), ['dropped', 0, 100, null]);
      // The holding claim's attempt is recorded, once: it ended the claim.
      assert.equal(await attempt(taken, next.token, 'pending'), true);
      assert.deepEqual(await state(taken), ['pending', 1, 5000, null]);
      assert.equal(await attempt(taken, next.token, 'sent'), false);
      assert.deepEqual(await state(taken), ['pending', 1, 5000, null]);
      assert.equal(await attempt(uuid(9999), next.token, 'sent'), false);
    }),
  );
}
