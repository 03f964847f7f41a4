// The SQLite store: the shared conformance suite and the store traits on a file and in memory,
// and how a file is opened: pragmas, migrations (a newer schema and foreign files refused), a
// read-only file. Its writes beyond the contract are in sqlite-store-writes.test.ts.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { runStoreConformance } from '../conformance.js';
import { runStoreTraits, type StoreTraits } from '../traits.js';
import { SCHEMA_VERSION } from './migrations.js';
import { databaseAt } from './migrations.test-util.js';
import { BUSY_TIMEOUT_MS } from './sqlite-connection.js';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-store-'));
let n = 0;
const fresh = () => join(dir, `db-${n++}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What SQLite has beyond the contract, and what it has not (storage contract). */
const SQLITE_TRAITS = (files: StoreTraits['deletedContentLeavesFiles']): StoreTraits => ({
  groupCommit: true,
  instances: { skip: 'one process owns an SQLite file: a single instance by design' },
  deletedContentLeavesFiles: files,
  keyStateCache:
    'skip' in files
      ? { skip: 'in memory the reader is the writer’s own connection: nothing is cached' }
      : { invalidations: (s) => (s as SqliteStore).keyStateInvalidations()! },
});
const skip = (name: string, reason: string) => it.skip(`${name} — ${reason}`, () => undefined);
const fileOf = (s: unknown) => (s as SqliteStore).path;

describe('conformance: SQLite file', () => {
  runStoreConformance(() => openSqliteStore({ path: fresh() }), it);
});

describe('conformance: SQLite :memory:', () => {
  runStoreConformance(() => openSqliteStore({ path: ':memory:' }), it);
});

describe('traits: SQLite file', () => {
  const files = { files: (s: unknown) => ['', '-wal', '-shm'].map((x) => `${fileOf(s)}${x}`) };
  runStoreTraits(() => openSqliteStore({ path: fresh() }), it, SQLITE_TRAITS(files), skip);
});

describe('traits: SQLite :memory:', () => {
  const files = { skip: 'an in-memory store has no files' };
  runStoreTraits(() => openSqliteStore({ path: ':memory:' }), it, SQLITE_TRAITS(files), skip);
});

describe('SQLite specifics: opening a file', () => {
  it('sets WAL, synchronous=FULL, foreign keys, secure_delete and the schema version', async () => {
    const path = fresh();
    const s = openSqliteStore({ path });
    const promised = {
      journalMode: 'wal',
      synchronous: 2, // FULL
      foreignKeys: 1,
      secureDelete: 1,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
    };
    // The writer keeps its savepoint journals in memory (docs/engine.md "Storage"): no
    // page image of a rolled-back or overwritten row goes to a temporary file.
    const writer = { ...promised, tempStore: 2 };
    const reader = { ...promised, tempStore: 0 };
    // Per connection: read back on the store's own writer AND reader, not on a new one.
    const settings = s.connectionSettings();
    expect(settings.writer).toEqual(writer);
    expect(settings.reader).toEqual(reader);
    await s.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    // Reopened (no migration this time), the connections are configured the same way.
    const s2 = openSqliteStore({ path });
    expect(s2.connectionSettings()).toEqual({ writer, reader });
    await s2.close();
  });

  it('reopens an existing database without migrating it again', async () => {
    const path = fresh();
    const s = openSqliteStore({ path, clock: () => 123 });
    // a new database is created, not migrated (no schema_migrated line: docs/operations.md "Logs")
    expect(s.schemaMigration).toBeUndefined();
    await s.close();
    const s2 = openSqliteStore({ path, clock: () => 456 });
    expect(s2.schemaMigration).toBeUndefined();
    const epochs = await s2.read((tx) => tx.listEpochs());
    expect(epochs).toEqual([
      { epoch: 1, status: 'active', kind: 'hmac', publicKey: null, registeredAt: 123, retiredAt: null },
    ]);
    await s2.close();
  });

  it('refuses a database from a newer schema with schema_too_new, naming both schema numbers', async () => {
    const path = fresh();
    await openSqliteStore({ path }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStore({ path })).toThrowError(
      expect.objectContaining({
        code: 'schema_too_new',
        schema: { store: 'sqlite', database: SCHEMA_VERSION + 1, known: SCHEMA_VERSION },
        message: `the database was written by a newer sluis version (database schema ${SCHEMA_VERSION + 1}, this build knows up to ${SCHEMA_VERSION})`,
      }),
    );
  });

  it('reports the schema steps an open ran on an existing database: from its version to this build’s', async () => {
    const path = fresh();
    // a database an older version wrote, made by the real steps (migrations.test-util.ts)
    databaseAt(path, 24).close();
    const s = openSqliteStore({ path });
    expect(s.schemaMigration).toEqual({ from: 24, to: SCHEMA_VERSION });
    await s.close();
    const again = openSqliteStore({ path });
    expect(again.schemaMigration).toBeUndefined();
    await again.close();
  });

  it('refuses a file that is not SQLite, and a SQLite file of another application, with database_corrupt', () => {
    const junk = fresh();
    writeFileSync(junk, Buffer.alloc(8192, 0x42));
    expect(() => openSqliteStore({ path: junk })).toThrowError(
      expect.objectContaining({ code: 'database_corrupt' }),
    );
    const other = fresh();
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => openSqliteStore({ path: other })).toThrowError(
      expect.objectContaining({ code: 'database_corrupt' }),
    );
  });

  it('maps a read-only database file to database_read_only on write, and recovers when it clears', async () => {
    if (process.getuid?.() === 0) {
      // root ignores file permissions; simulate with a read-only SQLite error instead
      const s = openSqliteStore({ path: fresh() });
      await expect(
        s.write(async () => {
          throw Object.assign(new Error('x'), { code: 'SQLITE_READONLY' });
        }),
      ).rejects.toMatchObject({ code: 'database_read_only' });
      await s.close();
      return;
    }
    const path = fresh();
    await openSqliteStore({ path }).close();
    chmodSync(path, 0o444);
    expect(() => openSqliteStore({ path })).toThrowError(EngineError);
    chmodSync(path, 0o644);
    const s = openSqliteStore({ path });
    await s.close();
  });
});
