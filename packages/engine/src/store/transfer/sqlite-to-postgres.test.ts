// migrate-store against a real PostgreSQL (test/support/postgres.ts) and a real SQLite file
// populated through the engine: the copy verifies and the PostgreSQL engine then serves the
// same installation (statistics, one logbook chain, new matches against moved signals); a
// non-empty target is refused; an interrupted copy resumes and no instance serves it
// meanwhile, also among the nonces (copied in SQLite's order, a nonce held twice as one row);
// no table's batch read sorts or scans the table; a source written during the copy is not
// declared finished; a schema step on one side only is refused before any row is copied.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import type { Engine } from '../../api.js';
import { createEngine } from '../../engine.js';
import {
  admin,
  DAY,
  harness,
  type OrgHandle,
  person,
  placement,
  seededRandom,
  signedRequest,
  type TestClock,
} from '../../testing/harness.js';
import { ServerSecrets } from '../../protocol/stored-pseudonym.js';
import { openPostgresStore } from '../postgres/pg-store.js';
import { openSqliteStore } from '../sqlite/sqlite-store.js';
import { migratePostgres } from '../postgres/pg-migrations.js';
import { connectPostgres } from '../postgres/pg-connect.js';
import { batchReads, transferSqliteToPostgres } from './sqlite-to-postgres.js';
import { planTransfer } from './transfer-plan.js';
import { SERVER_SECRET } from '../../testing/harness.js';
import { testDatabases } from '../../testing/pg-databases.js';

const url = inject('postgresUrl');
const databases = testDatabases('sluis_m');
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await databases.dropAll();
});

/**
 * An installation with something in every table: organisations (one suspended, one with a
 * webhook), keys (one revoked), two epochs, people, person and family matches, consents,
 * agreements, follow-up, withdrawals, an erasure, an access request, inbox events, deliveries,
 * nonces, a logbook.
 */
async function populated(): Promise<{ file: string; clock: TestClock }> {
  const h = await harness({ file: true, config: { archiveTermDays: 30 } });
  dirs.push(h.dir!);
  try {
    await h.engine.registerEpoch(admin, 2);
    const orgs: OrgHandle[] = [];
    for (let i = 0; i < 5; i++) {
      orgs.push(
        await h.org(`Organisation ${i}`, i === 0 ? { webhookUrl: 'https://hooks.example.nl/sluis' } : {}),
      );
    }
    for (const o of orgs) {
      await h.engine.addPerson(admin, {
        organisationId: o.org.id,
        displayName: 'P. Jansen',
        roles: ['professional'],
      });
    }
    const signals: string[][] = orgs.map(() => []);
    for (let p = 1; p <= 40; p++) {
      for (let i = 0; i < orgs.length; i++) {
        if ((p + i) % 3 === 0) continue;
        const parents = p % 7 === 0 ? { parents: [person(1000 + (p % 3))] } : {};
        const r = await h.engine.placeSignal(orgs[i]!.actor, placement(p, parents));
        signals[i]!.push(r.signal.id);
      }
      h.clock.advance(60_000);
    }
    const [a, b] = [orgs[0]!, orgs[1]!];
    const inbox = await h.engine.inbox(a.actor, undefined, 50);
    for (const item of inbox.items.slice(0, 5)) {
      await h.engine.recordContactMade(a.actor, item.matchId);
      await h.engine.addAgreement(a.actor, item.matchId, {
        owner: 'me',
        actionKind: 'home_visit',
        informationCategory: 'housing',
        purpose: 'prevent_eviction',
        dueDate: '2026-02-01',
      });
    }
    await h.engine.recordConsent(a.actor, signals[0]![0]!, { date: '2026-01-14', scopes: ['team_meeting'] });
    await h.engine.withdrawSignal(b.actor, signals[1]![0]!, 'ended');
    await h.engine.withdrawSignal(b.actor, signals[1]![1]!, 'error');
    await h.engine.gdprErase(admin, person(5, [1, 2]));
    // An access request: one access_requests row per signal of person 2 (docs/leakage.md §3.5).
    await h.engine.gdprAccess(admin, person(2, [1, 2]));
    await h.engine.authenticate(signedRequest(a, { created: Math.floor(h.clock.fn() / 1000) }));
    await h.engine.revokeKey(admin, orgs[4]!.keyId);
    await h.engine.suspendOrganisation(admin, orgs[3]!.org.id);
    h.clock.advance(DAY);
    await h.engine.runRetention(admin);
  } finally {
    // Not h.close(): the file stays (dirs, afterAll); the secrets are zeroed as it would, on every path.
    await h.engine.close();
    h.secrets.destroy();
  }
  return { file: join(h.dir!, 'sluis.db'), clock: h.clock };
}

const secrets = () => new ServerSecrets(new Map([[1, SERVER_SECRET]]));

/** A copy in batches of 10, stopped (Ctrl-C) once `table` has `rows` copied. */
async function interruptedCopy(file: string, target: string, table: string, rows: number): Promise<void> {
  const stop = new AbortController();
  await expect(
    transferSqliteToPostgres({
      from: file,
      to: { url: target },
      batchRows: 10,
      signal: stop.signal,
      onProgress: (t, copied) => {
        if (t === table && copied >= rows) stop.abort();
      },
    }),
  ).rejects.toMatchObject({ name: 'AbortError' });
}

/** The sequence of an identity column of the target. */
async function sequenceOf(sql: postgres.Sql, table: string, column: string): Promise<string> {
  const [r] = await sql`SELECT pg_get_serial_sequence(${table}, ${column}) AS seq`;
  return r!.seq as string;
}

async function engineOn(
  store: Parameters<typeof createEngine>[0]['store'],
  clock: TestClock,
  serverSecrets: ServerSecrets,
): Promise<Engine> {
  return createEngine({
    store,
    serverSecrets,
    clock: clock.fn,
    random: seededRandom('after-move'),
  });
}

describe.skipIf(url === '')('migrate-store: SQLite → PostgreSQL', () => {
  it('moves a populated installation, verified; the PostgreSQL engine then serves the same data', async () => {
    const { file, clock } = await populated();
    const target = await databases.create();
    const tables: string[] = [];
    const report = await transferSqliteToPostgres({
      from: file,
      to: { url: target },
      batchRows: 7,
      onProgress: (t) => {
        if (!tables.includes(t)) tables.push(t);
      },
    });
    expect(report.verification.failures).toEqual([]);
    expect(report).toMatchObject({ start: 'fresh', finished: true, sourceChanged: false });
    expect(report.verification.sampledMatches).toBeGreaterThan(20);
    expect(report.verification.logHead?.seq).toBeGreaterThan(100);
    // parents before children: the foreign keys hold batch by batch
    expect(tables.indexOf('organisations')).toBeLessThan(tables.indexOf('signals'));
    expect(tables.indexOf('signals')).toBeLessThan(tables.indexOf('matches'));
    const sqliteRows = new Database(file, { readonly: true });
    for (const t of [
      'signals',
      'signal_pseudonyms',
      'matches',
      'events',
      'deliveries',
      'logbook',
      'people',
      'keys',
      'access_requests',
    ]) {
      const { c } = sqliteRows.prepare(`SELECT count(*) AS c FROM ${t}`).get() as { c: number };
      expect(c, t).toBeGreaterThan(0);
      expect(report.verification.rows[t], t).toBe(c);
    }
    sqliteRows.close();

    const serverSecrets = secrets();
    // Zeroed once the case has finished (after the finally below closed both engines), also when
    // an engine failed to open.
    onTestFinished(() => serverSecrets.destroy());
    const before = await engineOn(openSqliteStore({ path: file, clock: clock.fn }), clock, serverSecrets);
    const after = await engineOn(
      await openPostgresStore({ url: target, clock: clock.fn }),
      clock,
      serverSecrets,
    );
    try {
      expect(await after.statistics()).toEqual(await before.statistics());
      const [vb, va] = [await before.verifyLogbook(), await after.verifyLogbook()];
      expect(va).toEqual(vb);
      expect(va.ok).toBe(true);
      expect(await after.listKeys(null)).toEqual(await before.listKeys(null));
      // The moved access request is listed as on SQLite, and a new one is stored beside it: the
      // table's identity was moved past the copied rows.
      const requests = async (e: Engine) =>
        (await e.gdprAccess(admin, person(2, [1, 2]))).access.filter((x) => x.via === 'access_request');
      expect(await requests(after)).toEqual(await requests(before));
      expect(await requests(after)).toHaveLength(2);
      // A newcomer's signal about person 2 matches the moved signals exactly as it would have
      // on SQLite: stored pseudonyms, identities and cursors all came along.
      const results: number[] = [];
      for (const e of [before, after]) {
        const kp = (await import('../../testing/harness.js')).newKeyPair();
        const org = await e.admitOrganisation(admin, {
          name: 'Newcomer',
          type: 'school',
          publicKeys: [kp.publicKey],
        });
        const keyId = (await e.listKeys(org.id))[0]!.keyId;
        const actor = { kind: 'organisation' as const, organisationId: org.id, keyId };
        await e.placeSignal(actor, placement(2));
        results.push((await e.inbox(actor, undefined, 50)).items.length);
      }
      expect(results[0]).toBeGreaterThan(0);
      expect(results[1]).toBe(results[0]);
      expect((await after.verifyLogbook()).ok).toBe(true);
    } finally {
      await before.close();
      await after.close();
    }
    // The target is no longer empty: a second run refuses it.
    await expect(transferSqliteToPostgres({ from: file, to: { url: target } })).rejects.toMatchObject({
      code: 'target_not_empty',
    });
  });

  it('an interrupted copy resumes where it stopped; no instance serves the database meanwhile', async () => {
    const { file, clock } = await populated();
    const target = await databases.create();
    await interruptedCopy(file, target, 'signals', 30);
    await expect(openPostgresStore({ url: target, clock: clock.fn })).rejects.toMatchObject({
      code: 'import_unfinished',
    });
    const resumed = await transferSqliteToPostgres({ from: file, to: { url: target }, batchRows: 10 });
    expect(resumed).toMatchObject({ start: 'resumed', finished: true });
    expect(resumed.verification.failures).toEqual([]);
    expect(resumed.copied.organisations).toBe(0);
    expect(resumed.copied.signals).toBe(resumed.verification.rows.signals! - 30);
    const store = await openPostgresStore({ url: target, clock: clock.fn });
    await store.close();
  });

  it('a stop after the last batch, before the verification, leaves the database unfinished; the rerun verifies it', async () => {
    const { file, clock } = await populated();
    const target = await databases.create();
    await interruptedCopy(file, target, 'signals', 30);
    // Another session holds the identity sequence of people: the copy runs to its end and then
    // waits at moving that sequence, after its last batch and before the verification.
    const holder = postgres(target, { max: 1, onnotice: () => undefined });
    const held = await holder.reserve();
    await held`BEGIN`;
    const sequence = await sequenceOf(held, 'people', 'rid');
    await held.unsafe(`ALTER SEQUENCE ${sequence} INCREMENT BY 1`);
    const stop = new AbortController();
    const copy = transferSqliteToPostgres({ from: file, to: { url: target }, signal: stop.signal });
    copy.catch(() => undefined);
    // The copy waits on this sequence's lock, in this database — not any lock of the cluster,
    // which the test files running beside this one share (a relation's oid is unique only
    // within its database).
    await expect
      .poll(
        async () =>
          (
            await held`SELECT count(*)::int AS n FROM pg_locks
              WHERE NOT granted AND relation = ${sequence}::regclass
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`
          )[0]!.n,
        { timeout: 4000, interval: 20 },
      )
      .toBe(1);
    stop.abort();
    await held`ROLLBACK`;
    held.release();
    await holder.end();
    await expect(copy).rejects.toMatchObject({ name: 'AbortError' });
    await expect(openPostgresStore({ url: target, clock: clock.fn })).rejects.toMatchObject({
      code: 'import_unfinished',
    });
    const resumed = await transferSqliteToPostgres({ from: file, to: { url: target } });
    expect(resumed).toMatchObject({ start: 'resumed', finished: true });
    expect(Object.values(resumed.copied).every((n) => n === 0)).toBe(true);
    await (await openPostgresStore({ url: target, clock: clock.fn })).close();
  });

  it('a source written during the copy is not declared finished; the next run starts over', async () => {
    const { file, clock } = await populated();
    const target = await databases.create();
    const live = new Database(file);
    let wrote = false;
    const first = await transferSqliteToPostgres({
      from: file,
      to: { url: target },
      onProgress: () => {
        if (wrote) return;
        wrote = true;
        // what a running server does: commit while the copy reads its snapshot
        live.prepare(`INSERT INTO nonces (key_id, nonce, expires_at) VALUES ('k', 'n', 4102444800000)`).run();
      },
    });
    live.close();
    expect(first).toMatchObject({ sourceChanged: true, finished: false });
    await expect(openPostgresStore({ url: target, clock: clock.fn })).rejects.toMatchObject({
      code: 'import_unfinished',
    });
    const second = await transferSqliteToPostgres({ from: file, to: { url: target } });
    expect(second).toMatchObject({ start: 'restarted', finished: true, sourceChanged: false });
    expect(second.verification.rows.nonces).toBe(first.verification.rows.nonces! + 1);
  });

  it('a copy that differs from its source fails verification and stays unfinished', async () => {
    const { file, clock } = await populated();
    const db = new Database(file);
    db.prepare(`INSERT INTO nonces (key_id, nonce, expires_at) VALUES ('k', 'n', 4102444800000)`).run();
    db.close();
    const target = await databases.create();
    const tamper = postgres(target, { max: 1, onnotice: () => undefined });
    const report = await transferSqliteToPostgres({
      from: file,
      to: { url: target },
      onProgress: async (t) => {
        // a row changed behind the copy's back (a bug, a disk, a hand in psql)
        if (t === 'matches') await tamper`UPDATE matches SET status = 1 WHERE status = 0`;
        // the merged table too: a nonce that lost its later expiry
        if (t === 'nonces') await tamper`UPDATE nonces SET expires_at = expires_at - 1`;
      },
    });
    await tamper.end({ timeout: 5 });
    expect(report.finished).toBe(false);
    expect(report.verification.failures).toContain('store counts');
    expect(report.verification.failures).toContain('merged values of nonces');
    expect(report.verification.failures.some((f) => f.startsWith('sampled match'))).toBe(true);
    await expect(openPostgresStore({ url: target, clock: clock.fn })).rejects.toMatchObject({
      code: 'import_unfinished',
    });
  });

  it('every table is read in batches that are ranges of a source index, never a sort of the table', async () => {
    const { file, clock } = await populated();
    const target = await databases.create();
    const sql = await connectPostgres({ url: target }, {}, 1);
    const source = new Database(file, { readonly: true });
    try {
      await migratePostgres(sql, clock.fn());
      const plan = await planTransfer(source, sql);
      expect(plan.find((t) => t.table === 'nonces')?.key.map((c) => c.name)).toEqual([
        'expires_at',
        'key_id',
        'nonce',
      ]);
      for (const t of plan) {
        const reads = batchReads(t);
        for (const [text, params] of [
          [reads.first, [10]],
          [reads.next, [...t.key.map(() => null), 10]],
        ] as const) {
          const steps = (
            source.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as { detail: string }[]
          ).map((s) => s.detail);
          // A sort of the whole table for every batch would make the copy quadratic in its rows.
          expect({ table: t.table, sorts: steps.filter((d) => /TEMP B-TREE/.test(d)) }).toEqual({
            table: t.table,
            sorts: [],
          });
          // And a batch after a key starts at that key: a search of the b-tree, not a scan from its start.
          if (text === reads.next) {
            expect({ table: t.table, searched: steps.some((d) => /^SEARCH .*>\(?\?/.test(d)) }).toEqual({
              table: t.table,
              searched: true,
            });
          }
        }
      }
    } finally {
      source.close();
      await sql.end({ timeout: 5 });
    }
  });

  it('nonces go in the SQLite table’s order (by expiry) and an interrupted copy resumes among them', async () => {
    const { file, clock } = await populated();
    const db = new Database(file);
    const insert = db.prepare('INSERT INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?)');
    // Expiries that do not follow the key ids or the nonces, several nonces sharing one expiry.
    const base = 4102444800000;
    for (let i = 0; i < 35; i++) {
      insert.run(`key-${i % 4}`, `nonce-${(i * 13) % 35}`, base + (i % 6));
    }
    // Two nonces held twice, as a nonce claimed again after its expiry can be when the clock
    // stepped back, until a later flush prunes its old row: one pair next to each other in copy order (rows 37 and 38 of
    // 39, so in one batch), one in the first and the last batch.
    insert.run('key-9', 'near', base + 5);
    insert.run('key-9', 'near', base + 6);
    insert.run('key-9', 'far', base - 1_000);
    insert.run('key-9', 'far', base + 1_000);
    const total = (db.prepare('SELECT count(*) AS n FROM nonces').get() as { n: number }).n;
    db.close();
    expect(total).toBe(39);
    const distinct = total - 2;
    const target = await databases.create();
    await interruptedCopy(file, target, 'nonces', 20);
    const resumed = await transferSqliteToPostgres({ from: file, to: { url: target }, batchRows: 10 });
    expect(resumed).toMatchObject({ start: 'resumed', finished: true });
    expect(resumed.verification.failures).toEqual([]);
    expect(resumed.verification.rows.nonces).toBe(distinct);
    // The first run wrote rows 1–20; the second the rest, the near pair as one row and the far
    // pair's later row over its earlier one.
    expect(resumed.copied.nonces).toBe(distinct - 20 + 1);
    const check = postgres(target, { max: 1, onnotice: () => undefined });
    const twice =
      await check`SELECT nonce, expires_at::text AS expires FROM nonces WHERE key_id = 'key-9' ORDER BY nonce`;
    await check.end({ timeout: 5 });
    expect(twice).toEqual([
      { nonce: 'far', expires: String(base + 1_000) },
      { nonce: 'near', expires: String(base + 6) },
    ]);
    // The PostgreSQL store then refuses every copied nonce as a replay.
    const store = await openPostgresStore({ url: target, clock: clock.fn });
    try {
      // i = 27: key-3, nonce-1.
      expect(await store.claimNonce('key-3', 'nonce-1', base + 5, clock.fn())).toBe(false);
      expect(await store.claimNonce('key-9', 'far', base + 5, clock.fn())).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('a schema step on one side only is refused before any row is copied', async () => {
    const { file } = await populated();
    const dir = mkdtempSync(join(tmpdir(), 'sluis-transfer-'));
    dirs.push(dir);
    const altered = join(dir, 'altered.db');
    copyFileSync(file, altered);
    const db = new Database(altered);
    db.exec('ALTER TABLE signals ADD COLUMN extra INTEGER');
    db.close();
    const target = await databases.create();
    await expect(transferSqliteToPostgres({ from: altered, to: { url: target } })).rejects.toMatchObject({
      code: 'schema_mismatch',
    });
    const check = postgres(target, { max: 1, onnotice: () => undefined });
    const [r] =
      await check`SELECT to_regclass('sluis_import') IS NULL AS unmarked, (SELECT count(*)::int FROM organisations) AS orgs`;
    await check.end({ timeout: 5 });
    expect(r).toEqual({ unmarked: true, orgs: 0 });
  });
});
