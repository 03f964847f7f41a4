// Store conformance, the municipality's follow-up reads (docs/engine.md "Follow-up
// outcomes"): the counts per outcome over the matches of one status; what the expiries not
// yet recorded take from the active counts and pages (docs/engine.md "The life of a signal").

import assert from 'node:assert/strict';
import type { FollowUpPage, FollowUpPageQuery, NewMatch, StoreWriter } from '../store.js';
import { type ConformanceContext, newMatch, newSignal, org, uuid } from './fixtures.js';

export function followUpCases({ test, withStore }: ConformanceContext): void {
  test(
    'follow-up counts: per status, matches without outcome and sides per outcome',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const r = await s.write(async (tx) => {
        const rids: number[] = [];
        for (let i = 1; i <= 8; i++) rids.push(await tx.insertSignal(newSignal(o, i)));
        return rids;
      });
      const [r1, r2, r3, r4, r5, r6, r7, r8] = r as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      await s.write(async (tx) => {
        await tx.insertMatch(newMatch(1, r1, r2));
        await tx.insertMatch(
          newMatch(2, r3, r4, {
            contactMadeA: 5,
            outcomeA: 'contact_made',
            contactMadeB: 6,
            outcomeB: 'contact_made',
          }),
        );
        await tx.insertMatch(newMatch(3, r5, r6, { contactMadeB: 7, outcomeB: 'already_in_contact' }));
        await tx.insertMatch(
          newMatch(4, r7, r8, { status: 'ended', contactMadeA: 8, outcomeA: 'client_refused' }),
        );
      });
      assert.deepEqual(await s.read((tx) => tx.followUpCounts('active')), {
        matches: 3,
        withoutOutcome: 1,
        outcomes: { contact_made: 2, already_in_contact: 1, no_contact_needed: 0, client_refused: 0 },
      });
      assert.deepEqual(await s.read((tx) => tx.followUpCounts('ended')), {
        matches: 1,
        withoutOutcome: 0,
        outcomes: { contact_made: 0, already_in_contact: 0, no_contact_needed: 0, client_refused: 1 },
      });
    }),
  );
}

export function dueCases({ test, withStore }: ConformanceContext): void {
  test(
    'due counts and the follow-up page: a signal stored active past its expiresAt and its active matches, each match once',
    withStore(async (s) => {
      const o = await s.write((tx) => org(tx, 1));
      const [r1, r2, r3, r4, r5, r6, r7] = await s.write(async (tx) => {
        const rids: number[] = [];
        for (const [n, over] of [
          [1, { expiresAt: 100 }],
          [2, { expiresAt: 50 }],
          [3, { expiresAt: 40 }],
          [4, { expiresAt: 1000 }],
          [5, { expiresAt: 1000 }],
          [6, { status: 'inactive', endReason: 'expired', expiresAt: 30, endedAt: 30, purgeAt: 90 }],
          [7, { expiresAt: 45 }],
        ] as const) {
          rids.push(await tx.insertSignal(newSignal(o, n, over)));
        }
        return rids as [number, number, number, number, number, number, number];
      });
      await s.write(async (tx) => {
        await tx.insertMatch(newMatch(1, r1, r4));
        // Both signals due from 50 on: counted once.
        await tx.insertMatch(
          newMatch(2, r2, r3, { kind: 'family', contactMadeA: 5, outcomeA: 'contact_made' }),
        );
        await tx.insertMatch(newMatch(3, r4, r5));
        await tx.insertMatch(newMatch(4, r5, r6, { status: 'ended', endedAt: 30 }));
        await tx.insertMatch(newMatch(5, r1, r7, { contactMadeB: 6, outcomeB: 'no_contact_needed' }));
      });
      const none = { contact_made: 0, already_in_contact: 0, no_contact_needed: 0, client_refused: 0 };
      assert.deepEqual(await s.read((tx) => tx.dueCounts(39)), {
        signals: 0,
        matches: { person: 0, family: 0 },
        followUp: { matches: 0, withoutOutcome: 0, outcomes: none },
      });
      // expiresAt itself is due (domain/views.ts isDue: expiresAt ≤ now).
      assert.deepEqual(await s.read((tx) => tx.dueCounts(45)), {
        signals: 2,
        matches: { person: 1, family: 1 },
        followUp: {
          matches: 2,
          withoutOutcome: 0,
          outcomes: { ...none, contact_made: 1, no_contact_needed: 1 },
        },
      });
      assert.deepEqual(await s.read((tx) => tx.dueCounts(100)), {
        signals: 4,
        matches: { person: 2, family: 1 },
        followUp: {
          matches: 3,
          withoutOutcome: 1,
          outcomes: { ...none, contact_made: 1, no_contact_needed: 1 },
        },
      });
      const page = (dueBy: number | null) =>
        s.read(async (tx) =>
          (
            await tx.followUpPage({
              status: 'active',
              createdFrom: null,
              createdTo: null,
              withoutOutcome: null,
              outcome: null,
              organisationType: null,
              dueBy,
              order: 'asc',
              after: null,
              limit: 10,
              scan: 10,
            })
          ).rows.map((r) => r.match.id),
        );
      const m = (n: number) => uuid(70_000 + n);
      assert.deepEqual(await page(null), [m(1), m(2), m(3), m(5)]);
      assert.deepEqual(await page(39), [m(1), m(2), m(3), m(5)]);
      assert.deepEqual(await page(45), [m(1), m(3)]);
      assert.deepEqual(await page(100), [m(3)]);
      // Recorded: no longer due, and its match ended by the same write in the domain.
      await s.write(async (tx) => {
        assert.equal(await tx.expireSignal(r7, 45, 95), true);
        await tx.updateMatch((await tx.getMatch(m(5)))!.rid, { status: 'ended', endedAt: 45 });
      });
      assert.deepEqual((await s.read((tx) => tx.dueCounts(45))).matches, { person: 0, family: 1 });
      assert.equal((await s.read((tx) => tx.dueCounts(45))).signals, 1);
    }),
  );
}

export function followUpPageCases({ test, withStore }: ConformanceContext): void {
  test(
    'follow-up page: keyset order both ways, every filter, both parties with their organisation',
    withStore(async (s) => {
      const typed = (tx: StoreWriter, n: number, type: string) =>
        tx.insertOrganisation({
          id: uuid(1000 + n),
          name: `Org ${n}`,
          type,
          status: 'active',
          webhookUrl: null,
          placementBudgetPerDay: 10,
          createdAt: 1,
        });
      const [o1, o2, o3] = await s.write(async (tx) => [
        await org(tx, 1),
        await typed(tx, 2, 'school'),
        await typed(tx, 3, 'police'),
      ]);
      // signal i of org 1 when odd, org 2 when even; signal 6 (match 3's side b) of org 3
      const rids = await s.write(async (tx) => {
        const out: number[] = [];
        for (let i = 1; i <= 12; i++) {
          out.push(await tx.insertSignal(newSignal(i === 6 ? o3! : i % 2 === 0 ? o2! : o1!, i)));
        }
        return out;
      });
      // six matches; two share a createdAt so the id breaks the tie
      const created = [10, 20, 20, 30, 40, 50];
      await s.write(async (tx) => {
        for (let i = 0; i < 6; i++) {
          const over: Partial<NewMatch> =
            i === 1
              ? { contactMadeA: 25, outcomeA: 'already_in_contact' }
              : i === 4
                ? { contactMadeB: 45, outcomeB: 'contact_made' }
                : i === 5
                  ? { status: 'ended' }
                  : {};
          await tx.insertMatch(
            newMatch(i + 1, rids[2 * i]!, rids[2 * i + 1]!, { createdAt: created[i]!, ...over }),
          );
        }
      });
      const base = {
        status: 'active' as const,
        createdFrom: null,
        createdTo: null,
        withoutOutcome: null,
        outcome: null,
        organisationType: null,
        dueBy: null,
        order: 'asc' as const,
        after: null,
        limit: 100,
        scan: 100,
      };
      const ids = (page: FollowUpPage) => {
        assert.equal(page.scannedTo, null); // the walk (≤ 6 matches) never stops at `scan` here
        return page.rows.map((r) => r.match.id);
      };
      const m = (n: number) => uuid(70_000 + n);
      assert.deepEqual(ids(await s.read((tx) => tx.followUpPage(base))), [m(1), m(2), m(3), m(4), m(5)]);
      assert.deepEqual(ids(await s.read((tx) => tx.followUpPage({ ...base, order: 'desc' }))), [
        m(5),
        m(4),
        m(3),
        m(2),
        m(1),
      ]);
      // keyset: pages of two, ascending and descending, neither repeat nor skip
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let after: { createdAt: number; id: string } | null = null;
        for (;;) {
          const page = await s.read((tx) => tx.followUpPage({ ...base, order, after, limit: 2 }));
          seen.push(...ids(page));
          const last = page.rows[page.rows.length - 1];
          if (page.rows.length < 2 || last === undefined) break;
          after = { createdAt: last.match.createdAt, id: last.match.id };
        }
        const all = [m(1), m(2), m(3), m(4), m(5)];
        assert.deepEqual(seen, order === 'asc' ? all : all.reverse());
      }
      assert.deepEqual(ids(await s.read((tx) => tx.followUpPage({ ...base, status: 'ended' }))), [m(6)]);
      assert.deepEqual(
        ids(await s.read((tx) => tx.followUpPage({ ...base, createdFrom: 20, createdTo: 30 }))),
        [m(2), m(3), m(4)],
      );
      assert.deepEqual(ids(await s.read((tx) => tx.followUpPage({ ...base, withoutOutcome: true }))), [
        m(1),
        m(3),
        m(4),
      ]);
      assert.deepEqual(ids(await s.read((tx) => tx.followUpPage({ ...base, withoutOutcome: false }))), [
        m(2),
        m(5),
      ]);
      assert.deepEqual(ids(await s.read((tx) => tx.followUpPage({ ...base, outcome: 'contact_made' }))), [
        m(5),
      ]);
      assert.deepEqual(
        ids(await s.read((tx) => tx.followUpPage({ ...base, outcome: 'client_refused' }))),
        [],
      );
      assert.deepEqual(
        ids(await s.read((tx) => tx.followUpPage({ ...base, organisationType: 'youth_care' }))),
        [m(1), m(2), m(3), m(4), m(5)],
      );
      assert.deepEqual(ids(await s.read((tx) => tx.followUpPage({ ...base, organisationType: 'police' }))), [
        m(3),
      ]);
      assert.deepEqual(ids(await s.read((tx) => tx.followUpPage({ ...base, organisationType: 'school' }))), [
        m(1),
        m(2),
        m(4),
        m(5),
      ]);
      assert.deepEqual(
        ids(await s.read((tx) => tx.followUpPage({ ...base, organisationType: 'nobody_has_it' }))),
        [],
      );
      // filters combine with AND, and with the keyset
      assert.deepEqual(
        ids(
          await s.read((tx) =>
            tx.followUpPage({ ...base, withoutOutcome: true, createdTo: 20, organisationType: 'school' }),
          ),
        ),
        [m(1)],
      );
      assert.deepEqual(
        ids(
          await s.read((tx) =>
            tx.followUpPage({ ...base, order: 'desc', after: { createdAt: 20, id: m(3) } }),
          ),
        ),
        [m(2), m(1)],
      );
      const [row] = (await s.read((tx) => tx.followUpPage({ ...base, limit: 1 }))).rows;
      assert.deepEqual(row?.a, {
        signalId: uuid(1),
        organisationId: uuid(1001),
        organisationName: 'Org 1',
        organisationType: 'youth_care',
      });
      assert.equal(row?.b?.organisationId, uuid(1002));
      assert.equal(row?.match.outcomeA, null);

      // The walk stops at `scan` matches of the range, whatever passes the filters; when
      // fewer than `limit` passed and more matches follow, scannedTo is the last examined.
      const walk = async (q: Partial<FollowUpPageQuery>) =>
        s.read((tx) => tx.followUpPage({ ...base, ...q }));
      const three = await walk({ organisationType: 'police', scan: 3 });
      assert.deepEqual(
        three.rows.map((r) => r.match.id),
        [m(3)],
      );
      assert.deepEqual(three.scannedTo, { createdAt: 20, id: m(3) });
      const two = await walk({ organisationType: 'police', scan: 2 });
      assert.deepEqual(two, { rows: [], scannedTo: { createdAt: 20, id: m(2) } });
      // …and on from there, descending too; the last walk reaches the end: no position.
      const rest = await walk({ organisationType: 'police', scan: 2, after: two.scannedTo });
      assert.deepEqual(
        rest.rows.map((r) => r.match.id),
        [m(3)],
      );
      assert.deepEqual(rest.scannedTo, { createdAt: 30, id: m(4) });
      assert.deepEqual(await walk({ organisationType: 'police', scan: 2, after: rest.scannedTo }), {
        rows: [],
        scannedTo: null,
      });
      const down = await walk({ withoutOutcome: false, order: 'desc', scan: 2 });
      assert.deepEqual(
        down.rows.map((r) => r.match.id),
        [m(5)],
      );
      assert.deepEqual(down.scannedTo, { createdAt: 30, id: m(4) });
      // the range's bounds come first: 20..30 holds three matches, all examined
      assert.deepEqual(await walk({ createdFrom: 20, createdTo: 30, outcome: 'client_refused', scan: 3 }), {
        rows: [],
        scannedTo: null,
      });
      // a full page needs no position, even if the walk stopped there
      assert.deepEqual((await walk({ limit: 2, scan: 2 })).scannedTo, null);
    }),
  );
}
