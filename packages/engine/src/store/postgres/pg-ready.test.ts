// The PostgreSQL store's readiness (docs/operations.md "Database and role") at the database's
// connection limit, on a real throwaway cluster with a small max_connections
// (test/support/postgres.ts): while every connection of the pool is busy answering
// statements and the database refuses a new one (53300), the store is ready; a pool with no
// connection of its own and no recent answer is not; with a connection free again it is. The
// same holds for the separate pool of replay-nonce claims: with its backend ended and its slot
// taken, every signed request would fail, so the store is not ready, and says which pool.
// Skipped, and said so, when the machine has no PostgreSQL server binaries.

import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findPostgresBinaries,
  type PostgresCluster,
  startPostgres,
} from '../../../../../test/support/postgres.js';
import { SERVER_WAIT } from '../../../../../test/support/server-wait.js';
import { openPostgresStore, type PostgresStore } from './pg-store.js';

const bin = findPostgresBinaries();
if (bin === undefined) console.warn('skipped: no PostgreSQL server binaries on this machine');

const APP = 'sluis-ready-test';
/** The store's statement timeout, and so how recent an answer must be at the limit. */
const WINDOW_MS = 1500;

/**
 * Takes the `count` slots that ended backends free, then any other still free. A backend leaves
 * pg_stat_activity just before it frees its slot, so reserving until the first refusal could
 * stop a slot early: a refusal (53300) is retried until `count` were taken, within SERVER_WAIT.
 */
async function takeFreedSlots(
  filler: postgres.Sql,
  held: postgres.ReservedSql[],
  count: number,
): Promise<void> {
  const until = Date.now() + SERVER_WAIT;
  for (let taken = 0; taken < count; ) {
    try {
      held.push(await filler.reserve());
      taken++;
    } catch (e) {
      if ((e as { code?: string }).code !== '53300' || Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  for (;;) {
    try {
      held.push(await filler.reserve());
    } catch {
      return;
    }
  }
}

let cluster: PostgresCluster | undefined;
beforeAll(async () => {
  if (bin === undefined) return;
  // Superusers (the tests connect as one) may use every slot: the limit is max_connections.
  cluster = await startPostgres(bin, ['max_connections=8', 'superuser_reserved_connections=0']);
});
afterAll(() => cluster?.stop());

describe.skipIf(bin === undefined)('PostgreSQL store ready() at the connection limit', () => {
  it('busy answering: ready; no connection of its own and no recent answer: not ready; a slot free: ready', async () => {
    const url = cluster!.url;
    const admin = postgres(url, { max: 1, onnotice: () => undefined });
    const filler = postgres(url, { max: 20, onnotice: () => undefined, connect_timeout: 5 });
    const held: Awaited<ReturnType<typeof filler.reserve>>[] = [];
    let store: PostgresStore | undefined;
    let running = true;
    const loops: Promise<void>[] = [];
    try {
      store = await openPostgresStore({ url, applicationName: APP, statementTimeoutMs: WINDOW_MS });
      await store.unsafe('SELECT 1');
      // A signed request's nonce claim: the nonce pool has its connection too.
      expect(await store.claimNonce('key-1', 'nonce-1', Date.now() + 60_000, Date.now())).toBe(true);
      const own = async () =>
        Number(
          (await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${APP}`)[0]!
            .n,
        );
      const n = await own();
      expect(n).toBeGreaterThan(0);
      // Every connection of the pool busy, each answering a statement every 0.2 s.
      for (let i = 0; i < n; i++) {
        loops.push(
          (async () => {
            while (running) await store!.unsafe('SELECT pg_sleep(0.2)');
          })(),
        );
      }
      await new Promise((r) => setTimeout(r, 100));
      // Every other slot taken, until the database refuses one more.
      for (;;) {
        try {
          held.push(await filler.reserve());
        } catch (e) {
          expect((e as { code?: string }).code).toBe('53300');
          break;
        }
      }
      // The probe finds no idle connection and cannot open one: the pool answers, so ready.
      for (let i = 0; i < 5; i++) {
        expect(await store.ready()).toEqual({ ready: true });
        await new Promise((r) => setTimeout(r, 70));
      }

      // The pool's connections gone (ended by the database), their slots taken by others:
      // nothing of this pool answers any more.
      running = false;
      await Promise.allSettled(loops);
      const ended =
        await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${APP}`;
      // pg_terminate_backend only signals: each backend exits, freeing its slot, in its own time.
      await expect.poll(own, { timeout: SERVER_WAIT }).toBe(0);
      await takeFreedSlots(filler, held, ended.length);
      expect(await own()).toBe(0);
      await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
      expect(await store.ready()).toMatchObject({ ready: false, reason: 'database', dbCode: '53300' });

      // The other connections closed: the probe opens one and is answered.
      for (const c of held.splice(0)) c.release();
      await filler.end({ timeout: 1 });
      expect(await store.ready()).toEqual({ ready: true });
    } finally {
      running = false;
      await Promise.allSettled(loops);
      for (const c of held) c.release();
      await store?.close();
      await Promise.allSettled([filler.end({ timeout: 1 }), admin.end({ timeout: 1 })]);
    }
  });

  it('the nonce-claim pool cut off while the main pool serves: not ready, reason nonce_pool; reconnected: ready', async () => {
    const url = cluster!.url;
    const app = 'sluis-ready-nonces';
    const admin = postgres(url, { max: 1, onnotice: () => undefined });
    const filler = postgres(url, { max: 20, onnotice: () => undefined, connect_timeout: 5 });
    const held: Awaited<ReturnType<typeof filler.reserve>>[] = [];
    let store: PostgresStore | undefined;
    const fill = async () => {
      for (;;) {
        try {
          held.push(await filler.reserve());
        } catch (e) {
          expect((e as { code?: string }).code).toBe('53300');
          return;
        }
      }
    };
    try {
      await admin`SELECT 1`;
      store = await openPostgresStore({ url, applicationName: app, statementTimeoutMs: WINDOW_MS });
      expect(await store.ready()).toEqual({ ready: true });
      // A signed request's claim: the nonce pool's connection, whose last statement names nonces.
      expect(await store.claimNonce('key-2', 'nonce-1', Date.now() + 60_000, Date.now())).toBe(true);
      await fill();
      const ended = await admin`
        SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE application_name = ${app} AND query LIKE '%nonces%'`;
      expect(ended.map((r) => r.ended)).toEqual([true]);
      // Its slot taken by another client once the backend has freed it (in its own time, not
      // within a fixed pause on a loaded machine): the nonce pool cannot reconnect.
      await expect
        .poll(
          async () =>
            (
              await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${app}
              AND query LIKE '%nonces%'`
            )[0]!.n,
          { timeout: SERVER_WAIT },
        )
        .toBe(0);
      await takeFreedSlots(filler, held, ended.length);
      await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
      // What every signed request meets now.
      await expect(
        store.claimNonce('key-2', 'nonce-2', Date.now() + 60_000, Date.now()),
      ).rejects.toMatchObject({
        code: 'database_unavailable',
        dbCode: '53300',
      });
      // The main pool's connection still answers its read; the store is not ready all the same.
      expect(await store.read((tx) => tx.listEpochs())).toBeDefined();
      expect(await store.ready()).toEqual({
        ready: false,
        reason: 'nonce_pool',
        code: 'database_unavailable',
        dbCode: '53300',
      });

      // A slot free again: the nonce pool reconnects, claims go through, the store is ready.
      for (const c of held.splice(0)) c.release();
      await filler.end({ timeout: 1 });
      expect(await store.ready()).toEqual({ ready: true });
      expect(await store.claimNonce('key-2', 'nonce-3', Date.now() + 60_000, Date.now())).toBe(true);
    } finally {
      for (const c of held) c.release();
      await store?.close();
      await Promise.allSettled([filler.end({ timeout: 1 }), admin.end({ timeout: 1 })]);
    }
  });
});
