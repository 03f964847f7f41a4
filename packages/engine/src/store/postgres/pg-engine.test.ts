// Two engines on one PostgreSQL database are one service (docs/engine.md "Storage
// contract"): placements for one person through both give exactly the pairwise matches,
// a day budget holds across both, the logbook verifies as one chain, a request replayed
// on the other engine is nonce_reused, a revocation on one is refused by the other at the
// next request, and an epoch retired through both is retired and logged once. Real cluster
// (test/support/postgres.ts); skipped without binaries.

import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { Engine } from '../../api.js';
import { createEngine } from '../../engine.js';
import { ServerSecrets } from '../../protocol/stored-pseudonym.js';
import {
  admin,
  admitOrganisation,
  type OrgHandle,
  placement,
  SERVER_SECRET,
  seededRandom,
  signedRequest,
  TestClock,
} from '../../testing/harness.js';
import { testDatabases } from '../../testing/pg-databases.js';
import { openPostgresStore } from './pg-store.js';

const url = inject('postgresUrl');
const databases = testDatabases('sluis_e');
let open: Engine[] = [];
let secretsOpen: ServerSecrets[] = [];

afterEach(async () => {
  for (const e of open) await e.close();
  open = [];
  // After the engines that derive with them.
  for (const s of secretsOpen) s.destroy();
  secretsOpen = [];
});
afterAll(() => databases.dropAll());

/** Two engines (two stores, two pools) on one fresh database, sharing secrets and clock. */
async function twoInstances(): Promise<{ a: Engine; b: Engine; clock: TestClock }> {
  const db = await databases.create();
  const clock = new TestClock();
  const secrets = new ServerSecrets(new Map([[1, SERVER_SECRET]]));
  secretsOpen.push(secrets);
  const engine = async (seed: string) =>
    createEngine({
      store: await openPostgresStore({ url: db, clock: clock.fn }),
      serverSecrets: secrets,
      clock: clock.fn,
      random: seededRandom(seed),
    });
  const a = await engine('instance-a');
  const b = await engine('instance-b');
  open.push(a, b);
  return { a, b, clock };
}

const admit = (e: Engine, i: number, budget?: number) =>
  admitOrganisation(e, `Organisation ${i}`, { budget });

describe.skipIf(url === '')('two engines on one PostgreSQL', () => {
  it('placements for one person through both give exactly the pairwise matches; one logbook chain', async () => {
    const { a, b } = await twoInstances();
    const orgs: OrgHandle[] = [];
    for (let i = 0; i < 8; i++) orgs.push(await admit(i % 2 === 0 ? a : b, i));
    const results = await Promise.all(
      orgs.map((o, i) => (i % 2 === 0 ? a : b).placeSignal(o.actor, placement(7))),
    );
    expect(results.map((r) => r.outcome)).toEqual(Array(8).fill('created'));
    expect((await a.statistics()).matches.active).toBe(28);
    expect((await b.statistics()).matches.active).toBe(28);
    const verified = await b.verifyLogbook();
    expect(verified.ok).toBe(true);
    // 8 admissions, 8 placements, 28 matches at least: one chain, whoever appended
    expect(verified.entries).toBeGreaterThanOrEqual(8 + 8 + 28);
    expect((await a.verifyLogbook()).headHash).toBe(verified.headHash);
  });

  it('concurrent batches about overlapping people through both all succeed: no item refused for contention', async () => {
    const { a, b } = await twoInstances();
    const orgs: OrgHandle[] = [];
    for (let i = 0; i < 4; i++) orgs.push(await admit(i % 2 === 0 ? a : b, i));
    // Organisation i places people 10i … 10i + 29: every person is in one to three batches.
    const people = (i: number) => Array.from({ length: 30 }, (_, k) => 1000 + 10 * i + k);
    const answers = await Promise.all(
      orgs.map((o, i) =>
        (i % 2 === 0 ? a : b).placeSignals(
          o.actor,
          people(i).map((p) => placement(p)),
        ),
      ),
    );
    for (const items of answers) {
      expect(items.map((r) => (r.ok ? r.outcome : r.code))).toEqual(Array(30).fill('created'));
    }
    // Exactly the pairwise matches: a person in k batches gives k(k-1)/2.
    const inBatches = new Map<number, number>();
    for (let i = 0; i < 4; i++) for (const p of people(i)) inBatches.set(p, (inBatches.get(p) ?? 0) + 1);
    const pairs = [...inBatches.values()].reduce((acc, k) => acc + (k * (k - 1)) / 2, 0);
    expect((await a.statistics()).matches.active).toBe(pairs);
    expect((await b.verifyLogbook()).ok).toBe(true);
  });

  it('a day budget holds across both instances', async () => {
    const { a, b } = await twoInstances();
    const o = await admit(a, 1, 5);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).placeSignal(o.actor, placement(100 + i))),
    );
    const created = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter(
      (r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'budget_exceeded',
    ).length;
    expect([created, refused]).toEqual([5, 7]);
  });

  it('a request replayed on the other instance is nonce_reused; a revocation on one holds on the other', async () => {
    const { a, b, clock } = await twoInstances();
    const o = await admit(a, 1);
    const req = signedRequest(o, { created: Math.floor(clock.fn() / 1000) });
    await a.authenticate(req);
    await expect(b.authenticate(req)).rejects.toMatchObject({ code: 'nonce_reused' });
    // b has authenticated this key before the revocation (no cache may keep it alive)
    await b.authenticate(signedRequest(o, { created: Math.floor(clock.fn() / 1000) }));
    await a.revokeKey(admin, o.keyId);
    await expect(
      b.authenticate(signedRequest(o, { created: Math.floor(clock.fn() / 1000) })),
    ).rejects.toMatchObject({ code: 'key_revoked' });
    // a suspension likewise, with a second key of another organisation
    const p = await admit(b, 2);
    await b.authenticate(signedRequest(p, { created: Math.floor(clock.fn() / 1000) }));
    await a.suspendOrganisation(admin, p.org.id);
    await expect(
      b.authenticate(signedRequest(p, { created: Math.floor(clock.fn() / 1000) })),
    ).rejects.toMatchObject({ code: 'organisation_suspended' });
  });

  it('an epoch retirement run on both instances, one after the other or at once, is logged once', async () => {
    const { a, b } = await twoInstances();
    const retiredEntries = async () =>
      (await a.logbook(1, 5000)).filter((e) => e.action === 'epoch.retired').map((e) => e.details.epoch);
    // One after the other: the second instance finds it retired and changes nothing.
    await a.registerEpoch(admin, 2);
    expect((await a.retireEpoch(admin, 1)).epoch.status).toBe('retired');
    const again = await b.retireEpoch(admin, 1);
    expect(again).toMatchObject({ storedPseudonymsDeleted: 0, signalsEnded: 0, archivedUnlinked: 0 });
    expect(await retiredEntries()).toEqual([1]);
    // At once, round after round: each epoch is retired, and logged, exactly once.
    for (let epoch = 2; epoch < 12; epoch++) {
      await b.registerEpoch(admin, epoch + 1);
      const both = await Promise.all([a.retireEpoch(admin, epoch), b.retireEpoch(admin, epoch)]);
      expect(both.map((r) => r.epoch.status)).toEqual(['retired', 'retired']);
    }
    expect(await retiredEntries()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect((await b.verifyLogbook()).ok).toBe(true);
  });
});
