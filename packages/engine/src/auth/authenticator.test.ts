// Authentication through the engine: the shared request-signature vectors (both keys
// admitted, clock at the vectors' `now`), then every refusal code with live signing:
// replayed nonce, revoked key (effective on the next request), suspended organisation,
// admin keys, and nonces surviving a restart.

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import type { SignedRequest } from '../api.js';
import { createEngine } from '../engine.js';
import { PublicKeyVerifier } from '../protocol/request-signature.js';
import { admin, type Harness, harness, newKeyPair, signedRequest } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const v = vectors.requestSignatures();

function fromVector(c: (typeof v.valid)[number]): SignedRequest {
  return {
    method: c.method,
    path: c.path,
    query: c.query,
    body: Buffer.from(c.body, 'utf8'),
    signatureInput: c.signatureInput ?? undefined,
    signature: c.signature ?? undefined,
    contentDigest: c.contentDigest,
    onBehalfOf: c.onBehalfOf ?? undefined,
  };
}

describe('shared vectors', () => {
  it('accepts every valid vector and refuses every invalid one with its code', async () => {
    h = await harness();
    h.clock.now = v.now * 1000;
    const a = await h.engine.admitOrganisation(admin, {
      name: 'Vector org',
      type: 'youth_care',
      publicKeys: [v.organisation.publicKey],
    });
    await h.engine.admitOrganisation(admin, {
      name: 'Other org',
      type: 'school',
      publicKeys: [v.otherOrganisation.publicKey],
    });
    // The on-behalf vector names a person of the organisation (docs/protocol.md §5.6);
    // refusals of other persons are tested with live signing in domain/people.test.ts.
    const onBehalf = v.valid.find((c) => c.onBehalfOf !== null)!;
    await h.store.write(async (tx) => {
      const o = await tx.getOrganisation(a.id);
      await tx.insertPerson({
        id: onBehalf.onBehalfOf!,
        organisationRid: o!.rid,
        displayName: 'P. Vector',
        email: null,
        roles: ['professional'],
        status: 'active',
        createdAt: h.clock.now,
        removedAt: null,
      });
    });
    for (const c of v.valid) {
      const p = await h.engine.authenticate(fromVector(c));
      expect(p).toMatchObject({ kind: 'organisation', organisationId: a.id, keyId: c.keyId });
      if (c.onBehalfOf !== null) {
        expect(p).toMatchObject({ onBehalfOf: { personId: c.onBehalfOf, roles: ['professional'] } });
      } else expect(p).not.toHaveProperty('onBehalfOf');
    }
    for (const c of v.invalid) {
      await expect(h.engine.authenticate(fromVector(c)), c.name).rejects.toMatchObject({ code: c.error });
    }
  });
});

// The verification is held open (a spy on the verifier) so the race is deterministic.
async function held() {
  let release: (ok: boolean) => void = () => {};
  const spy = vi
    .spyOn(PublicKeyVerifier.prototype, 'verifyAsync')
    .mockImplementation(() => new Promise<boolean>((r) => (release = r)));
  return {
    release: async (ok: boolean) => {
      // let the pending authenticate reach the verifier first
      await new Promise((r) => setImmediate(r));
      release(ok);
      spy.mockRestore();
    },
  };
}

describe('live signing', () => {
  const now = () => Math.floor(h.clock.now / 1000);

  it('refuses missing, malformed, digest, window, unknown key, bad signature and replays', async () => {
    h = await harness();
    const a = await h.org();
    const ok = signedRequest(a, { created: now(), body: '{"x":1}' });
    expect(await h.engine.authenticate(ok)).toMatchObject({ kind: 'organisation', organisationId: a.org.id });
    await expect(h.engine.authenticate(ok)).rejects.toMatchObject({ code: 'nonce_reused' });
    await expect(h.engine.authenticate({ ...ok, signature: undefined })).rejects.toMatchObject({
      code: 'auth_missing',
    });
    await expect(h.engine.authenticate({ ...ok, signatureInput: 'sluis=()' })).rejects.toMatchObject({
      code: 'auth_malformed',
    });
    const fresh = signedRequest(a, { created: now(), body: '{"x":1}' });
    await expect(h.engine.authenticate({ ...fresh, body: Buffer.from('{"x":2}') })).rejects.toMatchObject({
      code: 'digest_mismatch',
    });
    await expect(h.engine.authenticate(signedRequest(a, { created: now() - 301 }))).rejects.toMatchObject({
      code: 'timestamp_out_of_window',
    });
    await expect(h.engine.authenticate(signedRequest(a, { created: now() + 301 }))).rejects.toMatchObject({
      code: 'timestamp_out_of_window',
    });
    const stranger = { keyId: 'AAAAAAAAAAAAAAAAAAAAAA', privateKey: newKeyPair().privateKey };
    await expect(h.engine.authenticate(signedRequest(stranger, { created: now() }))).rejects.toMatchObject({
      code: 'key_unknown',
    });
    const forged = { keyId: a.keyId, privateKey: newKeyPair().privateKey };
    await expect(h.engine.authenticate(signedRequest(forged, { created: now() }))).rejects.toMatchObject({
      code: 'signature_invalid',
    });
    const swapped = signedRequest(a, { created: now(), path: '/v1/signals' });
    await expect(h.engine.authenticate({ ...swapped, path: '/v1/matches' })).rejects.toMatchObject({
      code: 'signature_invalid',
    });
  });

  // On a file the read connection caches key and organisation rows (docs/engine.md "Key state
  // cache"); in memory nothing is cached: both must refuse at the next request.
  describe.each([
    { store: 'in memory', file: false },
    { store: 'on a file (key state cache)', file: true },
  ])('a revocation or suspension, $store', ({ file }) => {
    it('revocation and suspension take effect on the next request; reinstatement restores access', async () => {
      h = await harness({ file });
      const a = await h.org();
      await h.engine.authenticate(signedRequest(a, { created: now() })); // warm the cache
      await h.engine.suspendOrganisation(admin, a.org.id);
      await expect(h.engine.authenticate(signedRequest(a, { created: now() }))).rejects.toMatchObject({
        code: 'organisation_suspended',
      });
      await h.engine.reinstateOrganisation(admin, a.org.id);
      await h.engine.authenticate(signedRequest(a, { created: now() }));
      await h.engine.revokeKey(admin, a.keyId);
      await expect(h.engine.authenticate(signedRequest(a, { created: now() }))).rejects.toMatchObject({
        code: 'key_revoked',
      });
    });

    it('every engine operation that changes a key or an organisation holds from the next request', async () => {
      h = await harness({ file });
      const a = await h.org();
      const b = await h.org();
      await h.engine.authenticate(signedRequest(a, { created: now() }));
      await h.engine.authenticate(signedRequest(b, { created: now() }));
      // addKey (a rotation): the new key authenticates at once, the old one still does.
      const kp = newKeyPair();
      const k2 = await h.engine.addKey(admin, a.org.id, kp.publicKey);
      const rotated = { ...a, keyId: k2.keyId, privateKey: kp.privateKey, publicKey: kp.publicKey };
      await h.engine.authenticate(signedRequest(rotated, { created: now() }));
      await h.engine.authenticate(signedRequest(a, { created: now() }));
      // revokeKey: the old key is refused, the new one is not.
      await h.engine.revokeKey(admin, a.keyId);
      await expect(h.engine.authenticate(signedRequest(a, { created: now() }))).rejects.toMatchObject({
        code: 'key_revoked',
      });
      await h.engine.authenticate(signedRequest(rotated, { created: now() }));
      // updateOrganisation: the name and status a request carries stay exact.
      await h.engine.updateOrganisation(admin, a.org.id, { placementBudgetPerDay: 7 });
      expect(await h.engine.authenticate(signedRequest(rotated, { created: now() }))).toMatchObject({
        organisationId: a.org.id,
        organisationName: a.org.name,
      });
      // suspend and reinstate: the other organisation is untouched throughout.
      await h.engine.suspendOrganisation(admin, a.org.id);
      await expect(h.engine.authenticate(signedRequest(rotated, { created: now() }))).rejects.toMatchObject({
        code: 'organisation_suspended',
      });
      await h.engine.authenticate(signedRequest(b, { created: now() }));
      await h.engine.reinstateOrganisation(admin, a.org.id);
      await h.engine.authenticate(signedRequest(rotated, { created: now() }));
      // admitOrganisation: a new organisation's key authenticates at once.
      const c = await h.org();
      await h.engine.authenticate(signedRequest(c, { created: now() }));
    });

    describe('while the signature is being verified on the thread pool', () => {
      it('a key revoked meanwhile refuses the request (key_revoked)', async () => {
        h = await harness({ file });
        const a = await h.org();
        await h.engine.authenticate(signedRequest(a, { created: now() })); // warm the cache
        const gate = await held();
        const pending = h.engine.authenticate(signedRequest(a, { created: now() }));
        await h.engine.revokeKey(admin, a.keyId);
        await gate.release(true);
        await expect(pending).rejects.toMatchObject({ code: 'key_revoked' });
      });

      it('an organisation suspended meanwhile is refused (organisation_suspended)', async () => {
        h = await harness({ file });
        const a = await h.org();
        await h.engine.authenticate(signedRequest(a, { created: now() }));
        const gate = await held();
        const pending = h.engine.authenticate(signedRequest(a, { created: now() }));
        await h.engine.suspendOrganisation(admin, a.org.id);
        await gate.release(true);
        await expect(pending).rejects.toMatchObject({ code: 'organisation_suspended' });
      });
    });
  });

  describe('while the signature is being verified on the thread pool', () => {
    it('a request whose window closed meanwhile is refused, so a late replay cannot outlive its nonce', async () => {
      h = await harness();
      const a = await h.org();
      const req = signedRequest(a, { created: now() });
      expect(await h.engine.authenticate(req)).toMatchObject({ kind: 'organisation' });
      const gate = await held();
      const replay = h.engine.authenticate(req);
      // The window (300 s) and the nonce's memory (window + 1 s) both pass while it waits.
      h.clock.advance(302_000);
      await gate.release(true);
      await expect(replay).rejects.toMatchObject({ code: 'timestamp_out_of_window' });
    });

    it('without any change meanwhile the request passes once and its replay is refused', async () => {
      h = await harness();
      const a = await h.org();
      const req = signedRequest(a, { created: now() });
      const gate = await held();
      const first = h.engine.authenticate(req);
      await gate.release(true);
      expect(await first).toMatchObject({ kind: 'organisation', organisationId: a.org.id });
      await expect(h.engine.authenticate(req)).rejects.toMatchObject({ code: 'nonce_reused' });
    });
  });

  it('admin keys authenticate as admin; an organisation may have at most two active keys', async () => {
    h = await harness();
    const kp = newKeyPair();
    const k = await h.engine.addKey({ kind: 'system' }, null, kp.publicKey);
    expect(k).toMatchObject({ role: 'admin', organisationId: null, status: 'active' });
    const p = await h.engine.authenticate(
      signedRequest(
        { keyId: k.keyId, privateKey: kp.privateKey },
        { created: now(), method: 'GET', body: '' },
      ),
    );
    expect(p).toEqual({ kind: 'admin', keyId: k.keyId });
    const a = await h.org();
    await h.engine.addKey(admin, a.org.id, newKeyPair().publicKey);
    await expect(h.engine.addKey(admin, a.org.id, newKeyPair().publicKey)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(h.engine.addKey(admin, a.org.id, 'AAAA')).rejects.toMatchObject({
      code: 'public_key_invalid',
    });
    await expect(h.engine.addKey(admin, a.org.id, a.publicKey)).rejects.toMatchObject({ code: 'conflict' });
  });

  describe('roles come from the stored key row alone (docs/threat-model.md §2)', () => {
    // A real SQLite file, damaged behind the engine's back with foreign keys off, then
    // opened again: nothing about the damage is mocked.
    async function damaged(sql: (db: Database.Database, keyId: string) => void) {
      h = await harness({ file: true });
      const a = await h.org();
      expect(await h.engine.authenticate(signedRequest(a, { created: now() }))).toMatchObject({
        kind: 'organisation',
      });
      await h.engine.close();
      const db = new Database(`${h.dir}/sluis.db`);
      db.pragma('foreign_keys = OFF');
      sql(db, a.keyId);
      db.close();
      const { openSqliteStore } = await import('../store/sqlite/sqlite-store.js');
      const store = openSqliteStore({ path: `${h.dir}/sluis.db`, clock: h.clock.fn });
      const engine = await createEngine({ store, serverSecrets: h.secrets, clock: h.clock.fn });
      return { engine, a };
    }

    it('an organisation key whose organisation row is missing is refused as database_corrupt, not admin', async () => {
      const { engine, a } = await damaged((db, keyId) => {
        const gone = db
          .prepare('DELETE FROM organisations WHERE rid = (SELECT org FROM keys WHERE key_id = ?)')
          .run(keyId);
        expect(gone.changes).toBe(1);
      });
      try {
        for (let i = 0; i < 2; i++) {
          // twice: a refusal is never cached as a usable key
          await expect(engine.authenticate(signedRequest(a, { created: now() }))).rejects.toMatchObject({
            code: 'database_corrupt',
          });
        }
      } finally {
        await engine.close();
      }
    });

    it('a key row whose role contradicts its organisation column is refused as database_corrupt', async () => {
      // an admin role with an organisation, and an organisation role without one
      for (const sql of [
        'UPDATE keys SET role = 1 WHERE key_id = ?',
        'UPDATE keys SET org = NULL WHERE key_id = ?',
      ]) {
        const { engine, a } = await damaged((db, keyId) => {
          expect(db.prepare(sql).run(keyId).changes).toBe(1);
        });
        try {
          await expect(engine.authenticate(signedRequest(a, { created: now() }))).rejects.toMatchObject({
            code: 'database_corrupt',
          });
        } finally {
          await engine.close();
          await h.close();
        }
      }
    });
  });

  describe("the caller's hooks (docs/protocol.md §5.4)", () => {
    it('beforeVerify runs for a known active key before any verification; a refusal there costs none', async () => {
      h = await harness();
      const a = await h.org();
      const verify = vi.spyOn(PublicKeyVerifier.prototype, 'verifyAsync');
      try {
        const seen: string[] = [];
        const refused = new Error('limited');
        const hooks = {
          beforeVerify: (keyId: string) => {
            seen.push(keyId);
            throw refused;
          },
        };
        await expect(h.engine.authenticate(signedRequest(a, { created: now() }), hooks)).rejects.toBe(
          refused,
        );
        expect(seen).toEqual([a.keyId]);
        expect(verify).not.toHaveBeenCalled();
        // an unknown key never reaches the hook
        const stranger = { keyId: 'AAAAAAAAAAAAAAAAAAAAAA', privateKey: newKeyPair().privateKey };
        await expect(
          h.engine.authenticate(signedRequest(stranger, { created: now() }), hooks),
        ).rejects.toMatchObject({ code: 'key_unknown' });
        expect(seen).toEqual([a.keyId]);
      } finally {
        verify.mockRestore();
      }
    });

    it('beforeNonce sees only verified keys, and a request it refuses keeps its nonce unused', async () => {
      h = await harness();
      const a = await h.org();
      const seen: string[] = [];
      const refused = new Error('limited');
      const limit = {
        beforeNonce: (keyId: string) => {
          seen.push(keyId);
          throw refused;
        },
      };
      const forged = { keyId: a.keyId, privateKey: newKeyPair().privateKey };
      await expect(
        h.engine.authenticate(signedRequest(forged, { created: now() }), limit),
      ).rejects.toMatchObject({
        code: 'signature_invalid',
      });
      expect(seen).toEqual([]);
      const req = signedRequest(a, { created: now() });
      await expect(h.engine.authenticate(req, limit)).rejects.toBe(refused);
      expect(seen).toEqual([a.keyId]);
      expect(await h.engine.authenticate(req)).toMatchObject({ kind: 'organisation', keyId: a.keyId });
      await expect(h.engine.authenticate(req)).rejects.toMatchObject({ code: 'nonce_reused' });
    });
  });

  it('remembers nonces across a restart (persisted lazily, loaded at start-up)', async () => {
    h = await harness({ file: true });
    const a = await h.org();
    const req = signedRequest(a, { created: now() });
    await h.engine.authenticate(req);
    await h.engine.close(); // flushes pending nonces
    const { openSqliteStore } = await import('../store/sqlite/sqlite-store.js');
    const store = openSqliteStore({ path: `${h.dir}/sluis.db`, clock: h.clock.fn });
    const engine2 = await createEngine({ store, serverSecrets: h.secrets, clock: h.clock.fn });
    await expect(engine2.authenticate(req)).rejects.toMatchObject({ code: 'nonce_reused' });
    await engine2.close();
  });

  // Speed is a benchmark property (bench/, docs/performance.md), never a timed unit test.
  it('accepts a thousand distinct requests under one key and refuses a replay of any of them', async () => {
    h = await harness();
    const a = await h.org();
    const reqs = Array.from({ length: 1000 }, () => signedRequest(a, { created: now(), body: '{"a":1}' }));
    for (const r of reqs)
      await expect(h.engine.authenticate(r)).resolves.toMatchObject({ kind: 'organisation' });
    await expect(h.engine.authenticate(reqs[500]!)).rejects.toMatchObject({ code: 'nonce_reused' });
  });
});
