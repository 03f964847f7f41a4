// Store trait, the key state cache (SQLite's one writer, docs/engine.md "Key state cache"):
// the read connection keeps key and organisation rows in memory, and every write that
// changes one — each such StoreWriter method is enumerated here — makes the next read
// return the new row; a read during an open write still returns the committed one, and a
// write that rolls back leaves the committed one. Writes that change no key or
// organisation row keep the cache. PostgreSQL reads the committed rows on every request
// (several instances) and declares why not.

import assert from 'node:assert/strict';
import { org, uuid } from '../conformance/fixtures.js';
import type { Store, StoreWriter } from '../store.js';
import type { TraitContext } from './context.js';

const key = (keyId: string, organisationRid: number | null) => ({
  keyId,
  role: organisationRid === null ? ('admin' as const) : ('organisation' as const),
  organisationRid,
  publicKey: Buffer.alloc(32, 7),
  status: 'active' as const,
  addedAt: 1,
  revokedAt: null,
});

/** Every StoreWriter method that changes a key or an organisation row, with what the next read must show. */
const WRITES: readonly {
  readonly name: string;
  readonly write: (tx: StoreWriter, rid: number) => Promise<unknown>;
  readonly check: (s: Store, rid: number) => Promise<void>;
}[] = [
  {
    name: 'updateKey (revoke)',
    write: (tx) => tx.updateKey('k1', { status: 'revoked', revokedAt: 5 }),
    check: async (s) => assert.equal((await s.read((tx) => tx.getKey('k1')))?.status, 'revoked'),
  },
  {
    name: 'updateOrganisation (suspend)',
    write: (tx, rid) => tx.updateOrganisation(rid, { status: 'suspended' }),
    check: async (s, rid) =>
      assert.equal((await s.read((tx) => tx.getOrganisationByRid(rid)))?.status, 'suspended'),
  },
  {
    name: 'updateOrganisation (webhook, budget, e-mail)',
    write: (tx, rid) =>
      tx.updateOrganisation(rid, {
        webhookUrl: 'https://x.example.nl/h',
        placementBudgetPerDay: 3,
        matchEmail: true,
      }),
    check: async (s, rid) => {
      const o = await s.read((tx) => tx.getOrganisationByRid(rid));
      assert.deepEqual(
        [o?.webhookUrl, o?.placementBudgetPerDay, o?.matchEmail],
        ['https://x.example.nl/h', 3, true],
      );
    },
  },
  {
    name: 'insertKey (a rotation adds the new key)',
    write: (tx, rid) => tx.insertKey(key('k2', rid)),
    check: async (s) => assert.equal((await s.read((tx) => tx.getKey('k2')))?.status, 'active'),
  },
  {
    name: 'insertOrganisation',
    write: (tx) => org(tx, 9),
    check: async (s) => assert.equal((await s.read((tx) => tx.getOrganisation(uuid(1009))))?.name, 'Org 9'),
  },
];

/** Reads the key and its organisation twice, so both are cached where the store caches. */
async function warm(s: Store, rid: number): Promise<void> {
  for (let i = 0; i < 2; i++) {
    assert.equal((await s.read((tx) => tx.getKey('k1')))?.status, 'active');
    assert.equal((await s.read((tx) => tx.getOrganisationByRid(rid)))?.status, 'active');
  }
}

export function keyStateCacheCases({ test, skip, traits, withStore }: TraitContext): void {
  const names = [
    'every write that changes a key or an organisation is read at the next read',
    'a read during an open write that revokes reads the committed key; the next read the revoked one',
    'a revocation rolled back leaves the key active, and writes of other rows keep the cache',
  ];
  if ('skip' in traits.keyStateCache) {
    for (const n of names) skip(n, traits.keyStateCache.skip);
    return;
  }
  const { invalidations } = traits.keyStateCache;
  const setUp = (s: Store) =>
    s.write(async (tx) => {
      const rid = await org(tx, 1);
      await tx.insertKey(key('k1', rid));
      return rid;
    });

  test(
    names[0]!,
    withStore(async (s) => {
      const rid = await setUp(s);
      for (const w of WRITES) {
        // Read what the write will change, so it is cached where the store caches.
        for (let i = 0; i < 2; i++) {
          await s.read((tx) => tx.getKey('k1'));
          await s.read((tx) => tx.getOrganisationByRid(rid));
        }
        const before = invalidations(s);
        await s.write((tx) => w.write(tx, rid));
        assert.equal(invalidations(s), before + 1, `${w.name} empties the cache`);
        await w.check(s, rid);
      }
    }),
  );

  test(
    names[1]!,
    withStore(async (s) => {
      const rid = await setUp(s);
      await warm(s, rid);
      let during: string | undefined;
      await s.write(async (tx) => {
        await tx.updateKey('k1', { status: 'revoked', revokedAt: 5 });
        // Not yet committed: the read connection (and so the cache) holds the active key.
        during = (await s.read((r) => r.getKey('k1')))?.status;
      });
      assert.equal(during, 'active');
      assert.equal((await s.read((tx) => tx.getKey('k1')))?.status, 'revoked');
    }),
  );

  test(
    names[2]!,
    withStore(async (s) => {
      const rid = await setUp(s);
      await warm(s, rid);
      await assert.rejects(
        s.write(async (tx) => {
          await tx.updateKey('k1', { status: 'revoked', revokedAt: 5 });
          await tx.updateOrganisation(rid, { status: 'suspended' });
          throw new Error('refused after the revocation');
        }),
      );
      await warm(s, rid);
      const before = invalidations(s);
      await s.write(async (tx) => {
        await tx.appendEvent({ organisationRid: rid, type: 'match.created', matchId: uuid(1), at: 1 });
        await tx.setPlacementHour(rid, 1, { count: 1, alerted: false });
      });
      await warm(s, rid);
      assert.equal(
        invalidations(s),
        before,
        'a write of other rows (and of an inbox cursor) keeps the cache',
      );
    }),
  );
}
