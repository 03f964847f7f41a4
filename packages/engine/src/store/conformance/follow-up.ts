// Store conformance, the municipality's follow-up reads (docs/engine.md "Follow-up
// outcomes"): the counts per outcome over the matches of one status.

import assert from 'node:assert/strict';
import type { NewMatch } from '../store.js';
import { type ConformanceContext, newSignal, org, uuid } from './fixtures.js';

/** A match between signal rids `a` < `b`, with no follow-up and no regie. */
export function newMatch(n: number, a: number, b: number, over: Partial<NewMatch> = {}): NewMatch {
  return {
    id: uuid(70_000 + n),
    kind: 'person',
    status: 'active',
    a,
    b,
    createdAt: 1,
    endedAt: null,
    contactMadeA: null,
    contactMadeB: null,
    outcomeA: null,
    outcomeB: null,
    regieHolder: null,
    regieSince: null,
    proposalBy: null,
    proposalFor: null,
    proposalAt: null,
    ...over,
  };
}

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
