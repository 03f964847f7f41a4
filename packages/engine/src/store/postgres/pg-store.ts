// Opens the PostgreSQL store (docs/engine.md "Storage contract"): two connection pools with
// the settings of pg-connect.ts (statement timeout, TLS), forward migrations on open, each
// write operation in its own READ COMMITTED transaction on a pooled connection, repeated
// after a serialization failure or deadlock (clause 3), the critical sections as advisory
// and row locks (clause 4, pg-core.ts), nonces and job locks shared by every instance
// (clause 5). A lost connection or a server that is down answers `database_unavailable`
// (HTTP 503) and the pool reconnects by itself; the credentials are never logged or put
// into an error.

import { EngineError } from '../../errors.js';
import type { Readiness, SchemaMigration, Store, StoreReader, StoreStats, StoreWriter } from '../store.js';
import { connectPostgres, type PostgresStoreOptions } from './pg-connect.js';
import { isConnectionLoss, isRetryable, mapPgError, RetryWrite } from './pg-errors.js';
import { jobLockKey, LOCK_JOB } from './pg-locks.js';
import { migratePostgres } from './pg-migrations.js';
import { pingPool, probePool } from './pg-readiness.js';
import type { Row, SharedReads, Sql } from './pg-core.js';
import { keyStatement } from './pg-organisations.js';
import { SharedStatement } from './pg-shared-statements.js';
import { PgTx } from './pg-tx.js';

export interface PostgresStore extends Store {
  /** The schema steps this open ran on an existing database (another instance may have run them). */
  readonly schemaMigration: SchemaMigration | undefined;
  /** Runs one statement outside any write (tests and tools: VACUUM, counts). */
  unsafe(query: string): Promise<unknown[]>;
}

/** Runs of one write operation before its race is reported as `database_busy`. */
const MAX_RUNS = 5;

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const sql = await connectPostgres(options, {}, options.maxConnections ?? 10);
  // Nonce claims commit without waiting for the WAL flush (docs/engine.md "Nonces").
  const nonceSql = await connectPostgres(options, { synchronous_commit: 'off' }, 2);
  let migration: SchemaMigration | undefined;
  try {
    migration = await migratePostgres(sql, (options.clock ?? Date.now)());
    // A half-copied installation must not serve (docs/operations.md "Moving to PostgreSQL").
    const [marker] = await sql`SELECT to_regclass('sluis_import') IS NOT NULL AS present`;
    if (marker?.present === true) {
      throw new EngineError(
        'import_unfinished',
        'a migrate-store import into this database has not finished',
      );
    }
  } catch (e) {
    await Promise.allSettled([sql.end({ timeout: 1 }), nonceSql.end({ timeout: 1 })]);
    throw mapPgError(e);
  }
  const store = new PgStore(sql, nonceSql, options.maxConnections ?? 10, options.statementTimeoutMs ?? 5000);
  store.schemaMigration = migration;
  return store;
}

interface NonceClaim {
  readonly keyId: string;
  readonly nonce: string;
  readonly expiresAt: number;
  readonly now: number;
}

class PgStore implements PostgresStore {
  schemaMigration: SchemaMigration | undefined;
  readonly #sql: Sql;
  readonly #nonceSql: Sql;
  readonly #stats = { commits: 0, operations: 0, failedOperations: 0, retries: 0 };
  /** Statements concurrent requests share (pg-shared-statements.ts). */
  readonly #shared: SharedReads;
  readonly #nonces: SharedStatement<NonceClaim, boolean>;
  #closed = false;
  /** The pool's size (Store `writeConnections`). */
  readonly writeConnections: number;
  /** How recent an answer on the pool must be for ready() at the connection limit: the statement timeout. */
  readonly #servingWindowMs: number;
  /** performance.now() of the last read, write or statement on the pool that completed; -Infinity before the first. */
  #answeredAt = Number.NEGATIVE_INFINITY;
  /** The same for the nonce-claim pool: the last claim or readiness probe it answered. */
  #noncesAnsweredAt = Number.NEGATIVE_INFINITY;

  constructor(sql: Sql, nonceSql: Sql, poolSize: number, statementTimeoutMs: number) {
    this.writeConnections = poolSize;
    this.#servingWindowMs = statementTimeoutMs;
    this.#sql = sql;
    this.#nonceSql = nonceSql;
    this.#shared = {
      key: new SharedStatement(async (ids) => {
        const rows = await keyStatement(sql, [...new Set(ids)]);
        const byId = new Map<string, Row>(rows.map((r: Row) => [r.key_id as string, r]));
        return ids.map((id) => (byId.has(id) ? [byId.get(id)] : []));
      }),
    };
    this.#nonces = new SharedStatement((claims) => claimNonces(nonceSql, claims));
  }

  #open(): void {
    if (this.#closed) throw new EngineError('store_closed', 'the store is closed');
  }

  async read<T>(op: (tx: StoreReader) => Promise<T>): Promise<T> {
    this.#open();
    for (let run = 1; ; run++) {
      try {
        const value = await op(new PgTx(this.#sql, false, this.#shared));
        this.#answeredAt = performance.now();
        return value;
      } catch (e) {
        // A read changes nothing: after a lost connection it runs again, like a write
        // that had not reached COMMIT.
        if (isConnectionLoss(e) && run < MAX_RUNS) {
          await new Promise((r) => setTimeout(r, 50 * 2 ** (run - 1)));
          continue;
        }
        throw mapPgError(e);
      }
    }
  }

  async write<T>(op: (tx: StoreWriter) => Promise<T>): Promise<T> {
    this.#open();
    for (let run = 1; ; run++) {
      // Set once the operation has finished and COMMIT is on its way: a connection lost
      // after that leaves the outcome unknown, so the write is not repeated (clause 3).
      let committing = false;
      try {
        const value = (await this.#sql.begin(async (t) => {
          const tx = new PgTx(t as unknown as Sql, true);
          const v = await op(tx);
          // The logbook append and statistics of the operation, as late as possible (pg-tail.ts).
          await tx.flushTail();
          committing = true;
          return v;
        })) as T;
        this.#stats.commits++;
        this.#stats.operations++;
        this.#answeredAt = performance.now();
        return value;
      } catch (e) {
        // Closed while it ran (its statement cut off or timed out during `close`): what
        // its caller meets is the closed store, not a fault to retry (docs/engine.md
        // "Coalesced placements": a lane waiting for a section at close).
        if (this.#closed && !committing) {
          this.#stats.failedOperations++;
          throw new EngineError('store_closed', 'the store was closed during the write');
        }
        const lostRace = e instanceof RetryWrite || isRetryable(e);
        if (lostRace && run < MAX_RUNS) {
          this.#stats.retries++;
          // A little random wait, so the two losers of a deadlock do not meet again at once.
          await new Promise((r) => setTimeout(r, Math.random() * 5 * run));
          continue;
        }
        // A pooled connection that the database closed (a restart, a failover, an idle
        // timeout) fails the first statement sent on it. Before COMMIT nothing was
        // committed — the server rolls back a transaction whose connection is gone — so the
        // operation runs again on a fresh connection (docs/engine.md "Storage contract",
        // clause 3); after COMMIT was sent the outcome is unknown and the caller gets 503.
        // The run given up here may still be going (begin rejects at the close); what it
        // sends through `t` from now on is refused, so it cannot reach the transaction that
        // the reconnected connection carries next (patches/postgres@3.4.9.patch, change 9).
        if (!lostRace && !committing && isConnectionLoss(e) && run < MAX_RUNS) {
          this.#stats.retries++;
          await new Promise((r) => setTimeout(r, 50 * 2 ** (run - 1)));
          continue;
        }
        this.#stats.failedOperations++;
        if (lostRace) throw new EngineError('database_busy', 'the write kept losing races; retry later');
        throw mapPgError(e);
      }
    }
  }

  async claimNonce(keyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    this.#open();
    try {
      const fresh = await this.#nonces.call({ keyId, nonce, expiresAt, now });
      this.#noncesAnsweredAt = performance.now();
      return fresh;
    } catch (e) {
      throw mapPgError(e);
    }
  }

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.#open();
    const key = jobLockKey(name);
    let conn: Awaited<ReturnType<Sql['reserve']>>;
    try {
      conn = await this.#sql.reserve();
    } catch (e) {
      throw mapPgError(e);
    }
    try {
      const [r] = await conn`SELECT pg_try_advisory_lock(${LOCK_JOB}, ${key}) AS got`.catch((e: unknown) => {
        throw mapPgError(e);
      });
      if (r?.got !== true) return undefined;
      try {
        return await fn();
      } finally {
        // A lost connection released the lock already; nothing to undo then.
        await conn`SELECT pg_advisory_unlock(${LOCK_JOB}, ${key})`.catch(() => undefined);
      }
    } finally {
      conn.release();
    }
  }

  async compact(): Promise<void> {
    this.#open();
    // Dead row versions of deleted content become free space, in every table of the schema
    // (so a table added later is covered too) and in every index even below the threshold at
    // which VACUUM would skip index cleanup; the bytes can stay in the pages' free space and
    // in the WAL until overwritten (docs/leakage.md §3.7 "PostgreSQL").
    try {
      const tables = await this.#sql<{ name: string }[]>`
        SELECT quote_ident(tablename) AS name FROM pg_tables
        WHERE schemaname = current_schema() ORDER BY tablename`;
      if (tables.length > 0) {
        await this.#sql.unsafe(`VACUUM (INDEX_CLEANUP ON) ${tables.map((t) => t.name).join(', ')}`);
      }
    } catch (e) {
      throw mapPgError(e);
    }
  }

  /**
   * One read on the pool and one statement on the nonce-claim pool, at once (docs/operations.md
   * "Database and role"): every signed request claims a nonce there, so an instance whose
   * nonce pool cannot reach the database serves nothing but the unsigned routes. postgres.js
   * sends each on an idle connection of its pool, or opens a new one while the pool is below
   * its size, or else queues it behind a busy one. At the database's connection limit that new
   * connection is refused (53300, the server's max_connections or the role's CONNECTION
   * LIMIT): the database is up, and if that pool's own connections answered within the
   * statement timeout — any statement on them finishes or is cancelled within it — they are
   * serving, so that pool is ready. Any other failure, or no recent answer, is not ready,
   * with the pool that failed as the reason (the main pool's first).
   */
  async ready(): Promise<Readiness> {
    if (this.#closed) return { ready: false, reason: 'closed' };
    const window = this.#servingWindowMs;
    const [pool, nonces] = await Promise.all([
      probePool(
        'database',
        () => this.read((tx) => tx.listEpochs()),
        () => this.#answeredAt,
        window,
      ),
      probePool(
        'nonce_pool',
        async () => {
          await pingPool(this.#nonceSql);
          this.#noncesAnsweredAt = performance.now();
        },
        () => this.#noncesAnsweredAt,
        window,
      ),
    ]);
    return pool ?? nonces ?? { ready: true };
  }

  stats(): StoreStats {
    const { commits, operations, failedOperations } = this.#stats;
    return { commits, operations, failedOperations };
  }

  async unsafe(query: string): Promise<unknown[]> {
    this.#open();
    try {
      const rows = [...(await this.#sql.unsafe(query))];
      this.#answeredAt = performance.now();
      return rows;
    } catch (e) {
      throw mapPgError(e);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([this.#sql.end({ timeout: 5 }), this.#nonceSql.end({ timeout: 5 })]);
  }
}

/**
 * Claims nonces in one statement: each claim inserts its row, or takes over a row that
 * expired by ITS OWN `now`; a live row is a replay (no row back). A nonce named twice
 * among the claims is claimed by the first of them only, as two statements one after the
 * other would decide (one statement cannot change a row twice). Rows are inserted in one
 * order (key id, nonce) on every instance: two claims that share nonces lock them in the
 * same order and wait for each other instead of deadlocking.
 */
async function claimNonces(sql: Sql, claims: readonly NonceClaim[]): Promise<boolean[]> {
  const first = new Map<string, number>();
  for (const [i, c] of claims.entries()) {
    const k = JSON.stringify([c.keyId, c.nonce]);
    if (!first.has(k)) first.set(k, i);
  }
  const go = [...first.values()].map((i) => claims[i]!);
  const rows = await sql`
    WITH c AS (SELECT * FROM unnest(${go.map((c) => c.keyId)}::text[], ${go.map((c) => c.nonce)}::text[],
      ${go.map((c) => c.expiresAt)}::int8[], ${go.map((c) => c.now)}::int8[]) AS c(key_id, nonce, expires_at, now))
    INSERT INTO nonces AS n (key_id, nonce, expires_at) SELECT key_id, nonce, expires_at FROM c
      ORDER BY key_id COLLATE "C", nonce COLLATE "C"
    ON CONFLICT (key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
      WHERE n.expires_at <= (SELECT c.now FROM c WHERE c.key_id = excluded.key_id AND c.nonce = excluded.nonce)
    RETURNING key_id, nonce`;
  const claimed = new Set(rows.map((r: Row) => JSON.stringify([r.key_id, r.nonce])));
  return claims.map((c, i) => {
    const k = JSON.stringify([c.keyId, c.nonce]);
    return first.get(k) === i && claimed.has(k);
  });
}
