// Matching: pairwise person matches, family matches, same-organisation rule, the
// eligibility rules (expired, withdrawn, suspended, restricted never match) as example
// tests and as fast-check properties, and concurrency (N placements at once).

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine, InboxEvent } from '../api.js';
import {
  admin,
  DAY,
  type Harness,
  harness,
  type OrgHandle,
  person,
  placement,
  TEST_STORE,
} from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function allEvents(engine: Engine, o: OrgHandle): Promise<InboxEvent[]> {
  const out: InboxEvent[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await engine.inbox(o.actor, cursor, 500);
    out.push(...page.items);
    if (page.nextCursor === undefined) return out;
    cursor = page.nextCursor;
  }
}

async function created(engine: Engine, o: OrgHandle) {
  return (await allEvents(engine, o)).filter((e) => e.type === 'match.created');
}

describe('person matches', () => {
  it('A, B, C on one person give exactly the 3 pairwise matches, each seen by both sides', async () => {
    h = await harness();
    const [a, b, c] = [await h.org('A'), await h.org('B'), await h.org('C')];
    for (const o of [a, b, c]) await h.engine.placeSignal(o.actor, placement(1));
    const stats = await h.engine.statistics();
    expect(stats.matches.active).toBe(3);
    for (const o of [a, b, c]) {
      const ev = await created(h.engine, o);
      expect(ev).toHaveLength(2);
      const names = ev.map((e) => e.match?.counterpart.organisationName).sort();
      expect(names).toEqual(['A', 'B', 'C'].filter((n) => n !== o.org.name));
    }
  });

  it('reveals only the counterpart organisation name and contact, never its dates', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.placeSignal(a.actor, placement(1));
    const bs = await h.engine.placeSignal(
      b.actor,
      placement(1, { contact: { name: 'B. Prof', role: 'wijkcoach', email: 'b@example.nl' } }),
    );
    const [ev] = await created(h.engine, a);
    expect(ev?.match?.counterpart).toEqual({
      organisationName: 'B',
      contact: { name: 'B. Prof', role: 'wijkcoach', email: 'b@example.nl' },
    });
    expect(Object.keys(ev!.match!).sort()).toEqual(
      // coordination: consent scopes only (docs/engine.md "What a match reveals"); underObjection
      // and restricted: bare flags (docs/engine.md "Objections", "What a match reveals"); nothing
      // else about the counterpart's signal
      [
        'coordination',
        'counterpart',
        'createdAt',
        'followUp',
        'id',
        'kind',
        'ownSignalId',
        'regie',
        'restricted',
        'status',
        'underObjection',
      ].sort(),
    );
    expect(ev!.match!.underObjection).toBe(false);
    expect(ev!.match!.restricted).toBe(false);
    const text = JSON.stringify(ev);
    expect(text).not.toContain(bs.signal.id);
    expect(text).not.toContain(String(bs.signal.expiresAt));
  });

  it('different people do not match; one organisation does not match itself by default', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(2));
    await h.engine.placeSignal(a.actor, placement(2));
    expect((await h.engine.statistics()).matches.active).toBe(1);
  });

  it('with same-organisation matching on, a second signal of the same organisation is created and matches', async () => {
    h = await harness({ config: { sameOrganisationMatching: true } });
    const a = await h.org();
    const r1 = await h.engine.placeSignal(a.actor, placement(1));
    const r2 = await h.engine.placeSignal(a.actor, placement(1));
    expect(r2.outcome).toBe('created');
    expect(r2.signal.id).not.toBe(r1.signal.id);
    expect((await h.engine.statistics()).matches.active).toBe(1);
    // one inbox, one created event
    expect(await created(h.engine, a)).toHaveLength(1);
  });

  it('matches across covenant key epochs when the signal carries both', async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const [a, b] = [await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(1, { subject: person(1, [1]) }));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [2]) }));
    expect((await h.engine.statistics()).matches.active).toBe(0);
    const c = await h.org();
    await h.engine.placeSignal(c.actor, placement(1, { subject: person(1, [1, 2]) }));
    expect((await h.engine.statistics()).matches.active).toBe(2);
  });
});

describe('family matches', () => {
  it('signals about different children sharing a parent give one family match', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(10, { parents: [person(99)] }));
    await h.engine.placeSignal(b.actor, placement(11, { parents: [person(98), person(99)] }));
    const [ev] = await created(h.engine, a);
    expect(ev?.match?.kind).toBe('family');
    expect((await h.engine.statistics()).matches.family).toBe(1);
  });

  it('a pair with a person match does not also get a family match', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(10, { parents: [person(99)] }));
    await h.engine.placeSignal(b.actor, placement(10, { parents: [person(99)] }));
    const stats = await h.engine.statistics();
    expect(stats.matches.active).toBe(1);
    expect(stats.matches.family).toBe(0);
  });

  it('refuses a parent equal to the subject or a parent twice', async () => {
    h = await harness();
    const a = await h.org();
    await expect(
      h.engine.placeSignal(a.actor, placement(10, { parents: [person(10)] })),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: ['parents'],
    });
    await expect(
      h.engine.placeSignal(a.actor, placement(10, { parents: [person(9), person(9)] })),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('eligibility', () => {
  it('withdrawn and expired signals never match', async () => {
    h = await harness();
    const [a, b, c] = [await h.org(), await h.org(), await h.org()];
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.withdrawSignal(a.actor, s.signal.id, 'ended');
    await h.engine.placeSignal(b.actor, placement(2, { endDate: '2026-01-20' }));
    h.clock.advance(10 * DAY);
    await h.engine.runRetention(admin);
    await h.engine.placeSignal(c.actor, placement(1));
    await h.engine.placeSignal(c.actor, placement(2));
    expect((await h.engine.statistics()).matches).toEqual({ active: 0, ended: 0, family: 0 });
  });

  it('a suspended organisation gets no new matches; reinstatement catches up; existing matches stay', async () => {
    h = await harness();
    const [a, b, c] = [await h.org('A'), await h.org('B'), await h.org('C')];
    await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.suspendOrganisation(admin, a.org.id);
    await h.engine.placeSignal(c.actor, placement(1));
    expect((await h.engine.statistics()).matches.active).toBe(2); // A–B kept, B–C new, A–C not
    const bEvents = await created(h.engine, b);
    expect(bEvents.map((e) => e.match?.counterpart.organisationName).sort()).toEqual(['A', 'C']);
    await h.engine.reinstateOrganisation(admin, a.org.id);
    expect((await h.engine.statistics()).matches.active).toBe(3);
    expect((await created(h.engine, c)).map((e) => e.match?.counterpart.organisationName).sort()).toEqual([
      'A',
      'B',
    ]);
  });

  it('a restricted person gets no new matches; lifting catches up', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    await h.engine.placeSignal(a.actor, placement(1));
    expect(await h.engine.gdprRestrict(admin, person(1), true)).toEqual({ signals: 1, parentLinks: 0 });
    await h.engine.placeSignal(b.actor, placement(1));
    expect((await h.engine.statistics()).matches.active).toBe(0);
    await h.engine.gdprRestrict(admin, person(1), false);
    expect((await h.engine.statistics()).matches.active).toBe(1);
  });
});

describe('properties', () => {
  type Op =
    | { k: 'place'; org: number; person: number }
    | { k: 'withdraw'; org: number; person: number }
    | { k: 'suspend'; org: number }
    | { k: 'reinstate'; org: number }
    | { k: 'restrict'; person: number; on: boolean }
    | { k: 'age'; days: number };

  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ k: fc.constant('place' as const), org: fc.nat(3), person: fc.nat(3) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ k: fc.constant('withdraw' as const), org: fc.nat(3), person: fc.nat(3) }),
    },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('suspend' as const), org: fc.nat(3) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('reinstate' as const), org: fc.nat(3) }) },
    {
      weight: 1,
      arbitrary: fc.record({ k: fc.constant('restrict' as const), person: fc.nat(3), on: fc.boolean() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ k: fc.constant('age' as const), days: fc.integer({ min: 1, max: 400 }) }),
    },
  );

  it('matches are symmetric, never self, never duplicated, and only between eligible signals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        h = await harness();
        try {
          const orgs = [await h.org('O0'), await h.org('O1'), await h.org('O2'), await h.org('O3')];
          const signalOf = new Map<string, string>(); // org:person → active signal id
          const personOf = new Map<string, number>(); // signal id → person
          const suspended = new Set<number>();
          const restricted = new Set<number>();
          for (const o of ops) {
            if (o.k === 'place') {
              if (suspended.has(o.org)) continue;
              const r = await h.engine.placeSignal(orgs[o.org]!.actor, placement(o.person));
              signalOf.set(`${o.org}:${o.person}`, r.signal.id);
              personOf.set(r.signal.id, o.person);
            } else if (o.k === 'withdraw') {
              const id = signalOf.get(`${o.org}:${o.person}`);
              if (id === undefined || suspended.has(o.org)) continue;
              const s = await h.engine.getSignal(orgs[o.org]!.actor, id);
              if (s.status === 'active') await h.engine.withdrawSignal(orgs[o.org]!.actor, id, 'ended');
            } else if (o.k === 'suspend') {
              await h.engine.suspendOrganisation(admin, orgs[o.org]!.org.id);
              suspended.add(o.org);
            } else if (o.k === 'reinstate') {
              await h.engine.reinstateOrganisation(admin, orgs[o.org]!.org.id);
              suspended.delete(o.org);
            } else if (o.k === 'restrict') {
              await h.engine.gdprRestrict(admin, person(o.person), o.on);
              if (o.on) restricted.add(o.person);
              else restricted.delete(o.person);
            } else {
              h.clock.advance(o.days * DAY);
              await h.engine.runRetention(admin);
            }
          }
          // Collect every match from every inbox.
          const seenBy = new Map<string, { org: number; own: string }[]>();
          for (let i = 0; i < orgs.length; i++) {
            if (suspended.has(i)) await h.engine.reinstateOrganisation(admin, orgs[i]!.org.id);
          }
          // Reinstating may create catch-up matches: recompute the expected set from final state.
          for (let i = 0; i < orgs.length; i++) {
            for (const e of await allEvents(h.engine, orgs[i]!)) {
              if (e.type !== 'match.created' || e.match === null) continue;
              const list = seenBy.get(e.matchId) ?? [];
              if (!list.some((x) => x.org === i)) list.push({ org: i, own: e.match.ownSignalId });
              seenBy.set(e.matchId, list);
            }
          }
          const pairs = new Set<string>();
          for (const [, sides] of seenBy) {
            expect(sides).toHaveLength(2); // symmetric: both parties see it
            const [x, y] = sides as [{ org: number; own: string }, { org: number; own: string }];
            expect(x.org).not.toBe(y.org); // never same organisation (default config)
            expect(x.own).not.toBe(y.own); // never a self-match
            expect(personOf.get(x.own)).toBe(personOf.get(y.own));
            const key = [x.own, y.own].sort().join('|');
            expect(pairs.has(key)).toBe(false); // no duplicates
            pairs.add(key);
          }
          // Every pair of active, unrestricted signals of different organisations for one
          // person is matched (after the final reinstatement catch-up).
          const active: { id: string; org: number; p: number }[] = [];
          for (let i = 0; i < orgs.length; i++) {
            const page = await h.engine.listSignals(orgs[i]!.actor, { status: 'active', limit: 500 });
            for (const s of page.items) active.push({ id: s.id, org: i, p: personOf.get(s.id)! });
          }
          for (const x of active) {
            for (const y of active) {
              if (x.id >= y.id || x.org === y.org || x.p !== y.p || restricted.has(x.p)) continue;
              expect(pairs.has([x.id, y.id].sort().join('|'))).toBe(true);
            }
          }
        } finally {
          await h.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('N placements for one person issued concurrently give exactly the pairwise set', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 8 }), async (n) => {
        h = await harness();
        try {
          const orgs: OrgHandle[] = [];
          for (let i = 0; i < n; i++) orgs.push(await h.org());
          const before = h.store.stats().commits;
          const results = await Promise.all(orgs.map((o) => h.engine.placeSignal(o.actor, placement(7))));
          expect(results.every((r) => r.outcome === 'created')).toBe(true);
          // They shared commits: SQLite's group commit, a trait of that store (store/traits.ts);
          // on PostgreSQL each placement commits on its own connection.
          if (TEST_STORE === 'sqlite') expect(h.store.stats().commits - before).toBeLessThan(n);
          expect((await h.engine.statistics()).matches.active).toBe((n * (n - 1)) / 2);
          for (const o of orgs) expect(await created(h.engine, o)).toHaveLength(n - 1);
        } finally {
          await h.close();
        }
      }),
      { numRuns: 8 },
    );
  });
});
