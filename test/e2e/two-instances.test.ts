// Two real server processes on one PostgreSQL database are one service (docs/engine.md
// "Storage contract"): placements for one person sent concurrently through both give
// exactly the pairwise matches, a key revoked or an organisation suspended on one is refused
// by the other at its next request, and a request replayed on the other instance is refused.
// A property test sends random interleavings of placements (organisation, person, instance,
// delay) through both at once and checks that the outcomes and the matches are exactly those
// of the placements in any one order.
// A throwaway cluster (test/support/postgres.ts); skipped without server binaries.

import { createClient, isSluisError, type SluisClient } from '@sluis/client-sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Org, World } from '../support/e2e-world.js';
import type { ServerProcess } from '../support/server-process.js';
import { clientVia, startTwoInstances, stopTwoInstances } from '../support/two-instances.js';

const url = inject('postgresUrl');
const name = `sluis_two_${process.pid}`;
let w: World;
let b: ServerProcess;

describe.skipIf(url === '')('two server processes on one PostgreSQL database', () => {
  beforeAll(async () => {
    // (each organisation is admitted through the admin CLI, a process of its own)
    ({ w, b } = await startTwoInstances(url, name));
  });

  afterAll(async () => stopTwoInstances(url, name, w, b));

  it('placements for one person through both instances at once give exactly the pairwise matches', async () => {
    const orgs: Org[] = [];
    for (let i = 0; i < 6; i++) orgs.push(await w.organisation(`Organisation ${i}`));
    const viaB = (o: Org) => clientVia(w, b, o);
    const bsn = w.bsn();
    const placed = await Promise.all(
      orgs.map((o, i) =>
        (i % 2 === 0 ? o.client : viaB(o)).placeSignal({
          bsn,
          contact: w.contact('mentor'),
          informed: { status: 'not_yet' },
        }),
      ),
    );
    expect(placed.map((p) => p.outcome)).toEqual(Array(6).fill('created'));
    for (const [i, o] of orgs.entries()) {
      const inbox = await (i % 2 === 0 ? viaB(o) : o.client).matches();
      expect(inbox.items.length).toBe(5);
    }
  }, 180_000);

  it('random interleavings through both instances: one signal per organisation and person, every pairwise match once', async () => {
    const orgs: Org[] = [];
    for (let i = 0; i < 4; i++) orgs.push(await w.organisation(`Interleaved ${i}`));
    const via: SluisClient[][] = orgs.map((o) => [o.client, clientVia(w, b, o)]);
    // Each organisation's inbox is read on from where the previous run left it.
    const cursors: (string | undefined)[] = orgs.map(() => undefined);
    const newMatchIds = async (i: number) => {
      const ids: string[] = [];
      for await (const e of via[i]![1]!.inbox(cursors[i] === undefined ? {} : { from: cursors[i] })) {
        ids.push(e.matchId);
        cursors[i] = e.cursor;
      }
      return ids;
    };
    const placement = fc.record({
      org: fc.nat({ max: 3 }),
      person: fc.nat({ max: 2 }),
      instance: fc.nat({ max: 1 }),
      delayMs: fc.nat({ max: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(placement, { minLength: 2, maxLength: 12 }), async (schedule) => {
        const people = [w.bsn(), w.bsn(), w.bsn()];
        const outcomes = await Promise.all(
          schedule.map(async (p) => {
            await new Promise((r) => setTimeout(r, p.delayMs));
            const r = await via[p.org]![p.instance]!.placeSignal({
              bsn: people[p.person]!,
              contact: w.contact('mentor'),
              informed: { status: 'not_yet' },
            });
            return r.outcome;
          }),
        );
        // Per organisation and person: the first placement to arrive creates the signal,
        // every other one finds it (one active signal per person per organisation).
        const pairs = new Set(schedule.map((p) => `${p.org}/${p.person}`));
        expect(outcomes.filter((o) => o === 'created').length).toBe(pairs.size);
        expect(outcomes.filter((o) => o !== 'created').every((o) => o === 'existing')).toBe(true);
        // Matches: every two organisations that placed about one person share one match.
        const placedBy = people.map(
          (_, person) => new Set(schedule.filter((p) => p.person === person).map((p) => p.org)),
        );
        const all = new Set<string>();
        for (let i = 0; i < orgs.length; i++) {
          const ids = await newMatchIds(i);
          const expected = placedBy.reduce((n, s) => n + (s.has(i) ? s.size - 1 : 0), 0);
          expect(ids.length).toBe(expected);
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of ids) all.add(id);
        }
        expect(all.size).toBe(placedBy.reduce((n, s) => n + (s.size * (s.size - 1)) / 2, 0));
      }),
      { numRuns: 8, seed: 20261202 },
    );
  }, 300_000);

  it('a key revoked or an organisation suspended through one instance is refused by the other at its next request', async () => {
    const viaB = (o: Org) => clientVia(w, b, o, { retries: 0 });
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: unknown) => (isSluisError(e) ? e.details.problemCode : 'other'),
      );
    const revoked = await w.organisation('Revoked on A');
    expect(await refusal(viaB(revoked).whoami())).toBe('accepted');
    const r = await w.admin(['revoke-key', '--key-id', revoked.signingKey.keyId]);
    expect(r.code, r.stderr).toBe(0);
    expect(await refusal(viaB(revoked).whoami())).toBe('key_revoked');

    const suspended = await w.organisation('Suspended on A');
    expect(await refusal(viaB(suspended).whoami())).toBe('accepted');
    const s = await w.admin(['suspend', '--id', suspended.id]);
    expect(s.code, s.stderr).toBe(0);
    expect(await refusal(viaB(suspended).whoami())).toBe('organisation_suspended');
    // Reinstated on A: served by B again at once.
    expect((await w.admin(['reinstate', '--id', suspended.id])).code).toBe(0);
    expect(await refusal(viaB(suspended).whoami())).toBe('accepted');
  });

  it('the same signed request sent to both instances is accepted once', async () => {
    const o = await w.organisation('Replay');
    const signed: { method: string; headers: Record<string, string> }[] = [];
    // A fetch that records the signed request it sends, so it can be replayed byte for byte.
    const recording: typeof fetch = async (input, init) => {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => {
        headers[k] = v;
      });
      signed.push({ method: init?.method ?? 'GET', headers });
      return fetch(input, init);
    };
    const client = createClient({
      serverUrl: w.server.url,
      signingKey: o.signingKey,
      pseudonymKeys: [w.pseudonymKey],
      clock: w.clock,
      fetch: recording,
    });
    await client.whoami();
    const first = signed[0]!;
    const replay = await fetch(`${b.url}/v1/whoami`, { method: first.method, headers: first.headers });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code?: string }).code).toBe('nonce_reused');
  });
});
