// Key lifecycle (docs/keys.md): covenant epoch overlap, migration progress and
// retirement (refused, forced, nothing left in file and WAL); server-secret rotation
// (rows at both generations match, placements during it, crash and resume, every value
// at the new generation afterwards, old values gone from file and WAL, retries across
// it); organisation key review; the last admin key.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255 } from '@noble/curves/ed25519.js';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { Engine } from '../api.js';
import { createEngine } from '../engine.js';
import { ServerSecrets } from '../protocol/stored-pseudonym.js';
import { openPostgresStore } from '../store/postgres/pg-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { freshPostgresSchema } from '../testing/pg-databases.js';
import {
  admin,
  admitOrganisation,
  caseSecrets,
  type Harness,
  harness,
  newKeyPair,
  person,
  placement,
  pseudonymBytes,
  SERVER_SECRET,
  seededRandom,
  TEST_STORE,
} from '../testing/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SECRET_2 = Buffer.alloc(32, 0x6b);

function scan(dir: string, needles: readonly Buffer[]): number {
  let hits = 0;
  for (const f of ['sluis.db', 'sluis.db-wal']) {
    const p = join(dir, f);
    if (!existsSync(p)) continue;
    const bytes = readFileSync(p);
    for (const n of needles) if (bytes.includes(n)) hits++;
  }
  return hits;
}

/** The first 8 bytes of each value, which a signal row keeps to find its values (`pfx`). */
const prefixes = (values: readonly Buffer[]) => values.map((v) => v.subarray(0, 8));

/** The distinct generations of the stored values, read from the file (read-only). */
function generations(dir: string): number[] {
  const db = new Database(join(dir, 'sluis.db'), { readonly: true });
  try {
    return (
      db.prepare('SELECT DISTINCT generation AS g FROM signal_pseudonyms ORDER BY g').all() as { g: number }[]
    ).map((r) => r.g);
  } finally {
    db.close();
  }
}

async function drain(x: Harness): Promise<number> {
  let batches = 0;
  while (!(await x.engine.rekeyBatch(2)).done) batches++;
  return batches;
}

/**
 * An engine a case opens itself on `store`, closed once the case has finished at the latest
 * (close is idempotent); if it does not open, the store is closed instead.
 */
async function closedAtEnd(store: Store, opening: Promise<Engine>): Promise<Engine> {
  let engine: Engine | undefined;
  onTestFinished(() => (engine === undefined ? store.close() : engine.close()));
  engine = await opening;
  return engine;
}

describe('covenant key epochs: overlap, migration, retirement', () => {
  it('an epoch has a kind: hmac by default, oprf with a valid public key; each refusal changes nothing', async () => {
    h = await harness();
    const oprfKey = ristretto255.Point.BASE.multiply(7n).toBytes();
    const bad = [
      { kind: 'oprf' as const },
      { kind: 'oprf' as const, publicKey: new Uint8Array(32) }, // the identity
      { kind: 'oprf' as const, publicKey: new Uint8Array(32).fill(0xff) }, // not canonical
      { kind: 'hmac' as const, publicKey: oprfKey },
      { kind: 'pbkdf' as unknown as 'hmac' },
    ];
    for (const r of bad) {
      await expect(h.engine.registerEpoch(admin, 3, r)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    expect((await h.engine.listEpochs()).map((e) => e.epoch)).toEqual([1]);
    await h.engine.registerEpoch(admin, 2);
    await h.engine.registerEpoch(admin, 3, { kind: 'oprf', publicKey: oprfKey });
    const listed = await h.engine.listEpochs();
    expect(listed.map((e) => [e.epoch, e.kind])).toEqual([
      [1, 'hmac'],
      [2, 'hmac'],
      [3, 'oprf'],
    ]);
    expect(Buffer.from(listed[2]!.publicKey!).equals(Buffer.from(oprfKey))).toBe(true);
    // Storage and matching do not depend on the kind: a pseudonym under epoch 3 matches as any other.
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.placeSignal(a.actor, placement(1, { subject: person(1, [3]) }));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [3]) }));
    expect((await h.engine.statistics()).matches.active).toBe(1);
  });

  it('two organisations on different epochs match through the overlap; progress per organisation', async () => {
    h = await harness();
    const [a, b, c] = [await h.org('A'), await h.org('B'), await h.org('C')];
    await h.engine.registerEpoch(admin, 2);
    // A has not upgraded: epoch 1 only. B has: both pseudonyms on placement.
    const sa = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [1, 2]) }));
    expect((await h.engine.statistics()).matches.active).toBe(1);
    // C sends only the new epoch: no match with A's epoch-1-only signal yet…
    await h.engine.placeSignal(c.actor, placement(1, { subject: person(1, [2]) }));
    expect((await h.engine.statistics()).matches.active).toBe(2);
    let p = await h.engine.epochProgress();
    const ofA = p.organisations.find((o) => o.organisationId === a.org.id)!;
    expect(ofA).toMatchObject({ activeSignals: 1, byEpoch: [{ epoch: 1, activeSignals: 1 }] });
    expect(ofA.stranded).toEqual([
      { epoch: 1, activeSignals: 1 },
      { epoch: 2, activeSignals: 0 },
    ]);
    // …until A migrates: the catch-up finds C under epoch 2.
    const [m] = await h.engine.migrateSignals(a.actor, [{ signalId: sa.signal.id, subject: person(1, [2]) }]);
    expect(m).toMatchObject({ ok: true, outcome: 'created', signal: { epochs: [1, 2] } });
    expect((await h.engine.statistics()).matches.active).toBe(3);
    p = await h.engine.epochProgress();
    for (const o of p.organisations) expect(o.stranded.find((x) => x.epoch === 1)?.activeSignals).toBe(0);
  });

  it('retirement is refused while signals are not migrated; forced, it ends them and reports them', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.registerEpoch(admin, 2);
    const old = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [1, 2]) }));
    const archived = await h.engine.placeSignal(a.actor, placement(2));
    await h.engine.withdrawSignal(a.actor, archived.signal.id, 'ended');
    await expect(h.engine.retireEpoch(admin, 1)).rejects.toMatchObject({ code: 'epoch_in_use' });
    expect((await h.engine.listEpochs()).find((e) => e.epoch === 1)?.status).toBe('active');
    const r = await h.engine.retireEpoch(admin, 1, { force: true });
    expect(r).toMatchObject({ epoch: { epoch: 1, status: 'retired' }, signalsEnded: 1, archivedUnlinked: 1 });
    expect(r.organisations).toEqual([{ organisationId: a.org.id, signalsEnded: 1, archivedUnlinked: 1 }]);
    const s = await h.engine.getSignal(a.actor, old.signal.id);
    expect(s).toMatchObject({ status: 'inactive', endReason: 'key_retired', epochs: [] });
    // B's counterpart learns the match ended; B still has epoch 2.
    const inbox = await h.engine.inbox(b.actor, undefined, 10);
    expect(inbox.items.map((e) => e.type)).toEqual(['match.created', 'match.ended']);
    await expect(h.engine.placeSignal(a.actor, placement(1))).rejects.toMatchObject({
      code: 'epoch_retired',
    });
    const log = await h.engine.logbook(1, 1000);
    expect(log.filter((e) => e.action === 'epoch.retired')[0]?.details).toMatchObject({
      forced: true,
      signalsEnded: 1,
    });
    expect(await h.engine.retireEpoch(admin, 1)).toMatchObject({ signalsEnded: 0 });
  });

  it('after retirement no stored value under the old epoch remains in the file or the WAL', async () => {
    h = await harness({ file: true });
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.registerEpoch(admin, 2);
    const people = [1, 2, 3];
    const placed = [];
    for (const n of people)
      placed.push(await h.engine.placeSignal(a.actor, placement(n, { parents: [person(90)] })));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [1, 2]) }));
    const oldValues = [...people, 90].map((n) => h!.secrets.derive(1, pseudonymBytes(n, 1))[0]!);
    expect(scan(h.dir!, oldValues)).toBeGreaterThan(0);
    await h.engine.migrateSignals(
      a.actor,
      placed.map((p, i) => ({
        signalId: p.signal.id,
        subject: person(people[i]!, [2]),
        parents: [person(90, [2])],
      })),
    );
    const r = await h.engine.retireEpoch(admin, 1);
    expect(r.signalsEnded).toBe(0);
    expect(r.storedPseudonymsDeleted).toBe(3 * 2 + 1);
    expect(scan(h.dir!, oldValues)).toBe(0);
    // Nor their first 8 bytes, which each signal row kept to find its values (`pfx`).
    expect(scan(h.dir!, prefixes(oldValues))).toBe(0);
    // Matching goes on under epoch 2 alone.
    const c = await h.org('C');
    await h.engine.placeSignal(c.actor, placement(2, { subject: person(2, [2]) }));
    expect((await h.engine.statistics()).matches.active).toBe(2);
  });
});

describe('server-secret rotation', () => {
  it('matches across generations during the rotation, re-keys every row, and the old values leave file and WAL', async () => {
    h = await harness({ file: true });
    const [a, b, c] = [await h.org('A'), await h.org('B'), await h.org('C')];
    for (let n = 1; n <= 7; n++)
      await h.engine.placeSignal(a.actor, placement(n, { parents: [person(90 + n)] }));
    const gen1 = [1, 2, 3, 4, 5, 6, 7].map((n) => h!.secrets.derive(1, pseudonymBytes(n))[0]!);
    const s = await h.engine.beginSecretRotation(admin, SECRET_2);
    expect(s).toMatchObject({
      generation: 2,
      rotation: { generation: 2, status: 'running', signalsDone: 0 },
    });
    await expect(h.engine.beginSecretRotation(admin, SECRET_2)).rejects.toMatchObject({
      code: 'rotation_in_progress',
    });
    // One batch: signals 1–2 at generation 2, the rest still at 1.
    expect(await h.engine.rekeyBatch(2)).toEqual({
      done: false,
      completed: false,
      step: 'signals',
      generation: 2,
    });
    // New placements match rows at either generation; same for a retry of an old placement.
    await h.engine.placeSignal(b.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(6));
    expect((await h.engine.statistics()).matches.active).toBe(2);
    // A placement during the rotation is written at generation 2, and found by one later.
    await h.engine.placeSignal(b.actor, placement(8));
    await h.engine.placeSignal(c.actor, placement(8));
    expect((await h.engine.statistics()).matches.active).toBe(3);
    // GDPR access mid-rotation finds the person whatever generation the rows are at.
    expect((await h.engine.gdprAccess(admin, person(6))).signals).toHaveLength(2);
    await drain(h);
    const done = await h.engine.secretRotationStatus();
    expect(done.rotation).toMatchObject({ status: 'completed', signalsDone: done.rotation!.signalsTotal });
    expect(generations(h.dir!)).toEqual([2]);
    expect(scan(h.dir!, gen1)).toBe(0);
    expect(scan(h.dir!, prefixes(gen1))).toBe(0);
    // After completion every value is reachable at generation 2.
    await h.engine.placeSignal(c.actor, placement(3));
    expect((await h.engine.statistics()).matches.active).toBe(4);
    const actions = (await h.engine.logbook(1, 1000)).map((e) => e.action);
    expect(actions).toContain('server_secret.rotation_started');
    expect(actions).toContain('server_secret.rotation_completed');
  });

  it('a catch-up during the rotation that missed a row at the old generation is repeated at its end', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    await h.engine.placeSignal(b.actor, placement(1)); // S, the lower row id
    await h.engine.suspendOrganisation(admin, b.org.id);
    await h.engine.placeSignal(a.actor, placement(1)); // T: no match while B is suspended
    expect((await h.engine.statistics()).matches.active).toBe(0);
    await h.engine.beginSecretRotation(admin, SECRET_2);
    await h.engine.rekeyBatch(1); // S now at generation 2, T still at 1
    // Reinstatement catches S up from its stored rows: at generation 2 they cannot find T.
    await h.engine.reinstateOrganisation(admin, b.org.id);
    expect((await h.engine.statistics()).matches.active).toBe(0);
    expect((await h.engine.secretRotationStatus()).rotation?.pendingCatchUps).toBe(1);
    await drain(h);
    expect((await h.engine.statistics()).matches.active).toBe(1);
    expect((await h.engine.secretRotationStatus()).rotation).toMatchObject({
      status: 'completed',
      pendingCatchUps: 0,
    });
  });

  it('an interrupted rotation resumes after a restart; a key file missing is refused at start', async () => {
    h = await harness({ file: true });
    const a = await h.org('A');
    const b = await h.org('B');
    const retry = placement(5);
    for (let n = 1; n <= 6; n++) await h.engine.placeSignal(a.actor, n === 5 ? retry : placement(n));
    await h.engine.beginSecretRotation(admin, SECRET_2);
    await h.engine.rekeyBatch(2);
    const dir = h.dir!;
    await h.engine.close();
    // Restart without generation 2: refused, nothing becomes unreachable silently.
    const store1 = openSqliteStore({ path: join(dir, 'sluis.db') });
    try {
      await expect(
        createEngine({ store: store1, serverSecrets: caseSecrets([[1, SERVER_SECRET]]) }),
      ).rejects.toMatchObject({ code: 'secret_generation_missing', generation: 2 });
    } finally {
      await store1.close();
    }
    // Restart with both generations: the rotation continues where it stopped.
    const store = openSqliteStore({ path: join(dir, 'sluis.db'), clock: h.clock.fn });
    const engine = await closedAtEnd(
      store,
      createEngine({
        store,
        serverSecrets: caseSecrets([
          [1, SERVER_SECRET],
          [2, SECRET_2],
        ]),
        clock: h.clock.fn,
        random: seededRandom('restart'),
      }),
    );
    expect((await engine.secretRotationStatus()).rotation).toMatchObject({
      status: 'running',
      signalsDone: 2,
    });
    while (!(await engine.rekeyBatch(2)).done) {
      // drain
    }
    expect(generations(dir)).toEqual([2]);
    await engine.placeSignal(b.actor, placement(2));
    expect((await engine.statistics()).matches.active).toBe(1);
    // A retry of a placement from before the rotation is still recognised as the same one.
    expect((await engine.placeSignal(a.actor, retry)).outcome).toBe('replayed');
    // Closed before afterEach closes h (its engine closed already; its secrets zeroed, its file removed).
    await engine.close();
  });

  it('a crash between writing the key file and recording the rotation starts the rotation at the next start', async () => {
    h = await harness({ file: true });
    const a = await h.org('A');
    const input = placement(1);
    await h.engine.placeSignal(a.actor, input);
    const dir = h.dir!;
    await h.engine.close();
    const store = openSqliteStore({ path: join(dir, 'sluis.db') });
    const engine = await closedAtEnd(
      store,
      createEngine({
        store,
        serverSecrets: caseSecrets([
          [1, SERVER_SECRET],
          [2, SECRET_2],
        ]),
      }),
    );
    expect((await engine.secretRotationStatus()).rotation).toMatchObject({
      generation: 2,
      status: 'running',
    });
    while (!(await engine.rekeyBatch()).done) {
      // drain
    }
    // The placement's idempotency hash was re-keyed too: its exact retry is 'replayed'.
    expect((await engine.placeSignal(a.actor, input)).outcome).toBe('replayed');
    await engine.close();
  });

  it('keys two generations ahead of the store (a restore) re-key one generation after the other', async () => {
    // docs/operations.md "High availability" (restore from pg_dump): the dump at generation 1,
    // keys/ at 3. The start records the rotation to 2, then the job the one to 3. On the test
    // store (SQLite file, or PostgreSQL with SLUIS_TEST_STORE=postgres).
    const pg = TEST_STORE === 'postgres' ? await freshPostgresSchema(Date.now()) : undefined;
    const dir = pg === undefined ? mkdtempSync(join(tmpdir(), 'sluis-restore-gens-')) : undefined;
    const engines: Engine[] = [];
    const open = async (secrets: [number, Buffer][]) => {
      const engine = await createEngine({
        store:
          pg === undefined
            ? openSqliteStore({ path: join(dir!, 'sluis.db') })
            : await openPostgresStore({ url: pg.url, schema: pg.schema, maxConnections: 4 }),
        serverSecrets: caseSecrets(secrets),
      });
      engines.push(engine);
      return engine;
    };
    try {
      const first = await open([[1, SERVER_SECRET]]);
      const a = await admitOrganisation(first, 'A');
      const b = await admitOrganisation(first, 'B');
      const input = placement(1);
      await first.placeSignal(a.actor, input);
      await first.placeSignal(a.actor, placement(2));
      await first.placeSignal(a.actor, placement(4));
      await first.gdprRestrict(admin, person(2), true);
      await first.close();
      const engine = await open([
        [1, SERVER_SECRET],
        [2, SECRET_2],
        [3, Buffer.alloc(32, 0x3c)],
      ]);
      try {
        // The start re-keyed every row to generation 2 before it served (a lookup reaches the
        // instance's generation and the one before); the rotation to 3 follows in the background.
        expect((await engine.secretRotationStatus()).rotation).toMatchObject({
          generation: 2,
          status: 'completed',
        });
        // What the operator re-applies right after a restore finds the rows (operations.md).
        expect((await engine.gdprAccess(admin, person(1))).signals).toHaveLength(1);
        expect((await engine.gdprRestrict(admin, person(2), true)).signals).toBe(1);
        // B's signal for the restricted person inherits the restriction: no match.
        expect((await engine.placeSignal(b.actor, placement(2))).outcome).toBe('created');
        expect((await engine.statistics()).matches.active).toBe(0);
        expect((await engine.gdprErase(admin, person(4))).signals).toBe(1);
        while (!(await engine.rekeyBatch()).done) {
          // drain both rotations
        }
        expect((await engine.secretRotationStatus()).rotation).toMatchObject({
          generation: 3,
          status: 'completed',
        });
        if (dir !== undefined) expect(generations(dir)).toEqual([3]);
        const rotations = (await engine.logbook(1, 1000))
          .filter((e) => /^server_secret\.rotation_(started|completed)$/.test(e.action))
          .map((e) => `${e.action}:${e.details.generation}`);
        expect(rotations).toEqual([
          'server_secret.rotation_started:2',
          'server_secret.rotation_completed:2',
          'server_secret.rotation_started:3',
          'server_secret.rotation_completed:3',
        ]);
        expect((await engine.verifyLogbook()).ok).toBe(true);
        expect((await engine.placeSignal(a.actor, input)).outcome).toBe('replayed');
        await engine.placeSignal(b.actor, placement(1));
        expect((await engine.statistics()).matches.active).toBe(1);
      } finally {
        await engine.close();
      }
    } finally {
      // Every engine closed before its file or schema goes (close is idempotent).
      for (const e of engines) await e.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      pg?.release();
    }
  });

  it('a retry with the same request id across a rotation is replayed, not refused', async () => {
    h = await harness();
    const a = await h.org('A');
    const input = placement(1);
    await h.engine.placeSignal(a.actor, input);
    await h.engine.beginSecretRotation(admin, SECRET_2);
    expect((await h.engine.placeSignal(a.actor, input)).outcome).toBe('replayed');
    await drain(h);
    expect((await h.engine.placeSignal(a.actor, input)).outcome).toBe('replayed');
    await expect(
      h.engine.placeSignal(a.actor, { ...input, contact: { ...input.contact, name: 'X' } }),
    ).rejects.toMatchObject({
      code: 'request_id_reused',
    });
  });

  it('a signal written with a 16-byte request hash (before schema step 6) keeps it through a rotation; its retry is replayed', async () => {
    // The code before step 6 wrote 16-byte hashes: the same HMAC, cut at 16. Injected as
    // the first engine's secrets; the engine reopened on the file has today's.
    class SixteenByteHashes extends ServerSecrets {
      override requestHashGen1(body: string): Buffer {
        return super.requestHashGen1(body, 16);
      }
    }
    h = await harness({ file: true, secrets: new SixteenByteHashes(new Map([[1, SERVER_SECRET]])) });
    const a = await h.org('A');
    const input = placement(1);
    await h.engine.placeSignal(a.actor, input);
    const dir = h.dir!;
    await h.engine.close();
    const hashLengths = () => {
      const db = new Database(join(dir, 'sluis.db'), { readonly: true });
      try {
        return (
          db.prepare('SELECT length(request_hash) AS n FROM signals ORDER BY rid').all() as { n: number }[]
        ).map((r) => r.n);
      } finally {
        db.close();
      }
    };
    expect(hashLengths()).toEqual([16]);
    const engine = await createEngine({
      store: openSqliteStore({ path: join(dir, 'sluis.db') }),
      serverSecrets: caseSecrets([[1, SERVER_SECRET]]),
    });
    try {
      expect((await engine.placeSignal(a.actor, input)).outcome).toBe('replayed');
      await engine.beginSecretRotation(admin, SECRET_2);
      while (!(await engine.rekeyBatch(2)).done) {
        // drain
      }
      expect(hashLengths()).toEqual([16]);
      expect((await engine.placeSignal(a.actor, input)).outcome).toBe('replayed');
      await expect(
        engine.placeSignal(a.actor, { ...input, contact: { ...input.contact, name: 'X' } }),
      ).rejects.toMatchObject({ code: 'request_id_reused' });
      // A new placement is written with the short hash.
      await engine.placeSignal(a.actor, placement(2));
      expect(hashLengths()).toEqual([16, 8]);
    } finally {
      // Then afterEach closes h: its SixteenByteHashes zeroed, the file removed.
      await engine.close();
    }
  });

  it('concurrent placements during the rotation all end at the new generation and match', async () => {
    h = await harness({ file: true });
    const [a, b] = [await h.org('A'), await h.org('B')];
    for (let n = 1; n <= 40; n++) await h.engine.placeSignal(a.actor, placement(n));
    await h.engine.beginSecretRotation(admin, SECRET_2);
    const jobs: Promise<unknown>[] = [drain(h)];
    for (let n = 1; n <= 40; n++) jobs.push(h.engine.placeSignal(b.actor, placement(n)));
    await Promise.all(jobs);
    await drain(h);
    expect((await h.engine.statistics()).matches.active).toBe(40);
    expect(generations(h.dir!)).toEqual([2]);
  });
});

describe('organisation and admin keys', () => {
  it('lists the placements of a key in a time window; the last admin key cannot be revoked', async () => {
    h = await harness();
    const a = await h.org('A');
    const kp2 = newKeyPair();
    const k2 = await h.engine.addKey(admin, a.org.id, kp2.publicKey);
    const actor2 = { kind: 'organisation' as const, organisationId: a.org.id, keyId: k2.keyId };
    const t0 = h.clock.now;
    const s1 = await h.engine.placeSignal(a.actor, placement(1));
    h.clock.advance(60_000);
    const s2 = await h.engine.placeSignal(actor2, placement(2));
    await h.engine.placeSignals(actor2, [placement(3), placement(4)]);
    await h.engine.withdrawSignal(actor2, s2.signal.id, 'error');
    h.clock.advance(60_000);
    await h.engine.placeSignal(actor2, placement(5));
    const act = await h.engine.keyActivity(admin, k2.keyId, t0 + 30_000, t0 + 90_000);
    expect(act.placements.map((p) => p.status)).toEqual(['deleted', 'active', 'active']);
    expect(act.placements.map((p) => p.signalId)).not.toContain(s1.signal.id);
    expect(act.entries.map((e) => e.action)).toEqual(['signal.placed', 'signals.placed', 'signal.withdrawn']);
    await expect(h.engine.keyActivity(admin, k2.keyId, 10, 5)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(h.engine.keyActivity(a.actor, k2.keyId, 0, 5)).rejects.toMatchObject({ code: 'forbidden' });
    // The admin keys: a second one is added, the first revoked, the last refused.
    const adminKeys = await h.engine.listKeys(null);
    const second = await h.engine.addKey(admin, null, newKeyPair().publicKey);
    for (const k of adminKeys) await h.engine.revokeKey(admin, k.keyId);
    await expect(h.engine.revokeKey(admin, second.keyId)).rejects.toMatchObject({ code: 'conflict' });
  });
});
