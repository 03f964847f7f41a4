// A start on a database of an older schema logs `schema_migrated` {store, from, to} once, at info
// level, on SQLite and on PostgreSQL (docs/operations.md "Logs", "Upgrade"); a new database and a
// database already at this build's schema log none. A database of a newer schema is refused with
// both numbers: "database schema N+1, this build knows up to N" (the downgrade, exit 2).
// In-process through main(), on a real SQLite file and a real PostgreSQL database
// (test/support/postgres.ts), each made at an old schema by the real migration steps.

import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '@sluis/engine';
import { PG_SCHEMA_VERSION } from '@sluis/engine/postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PG_MIGRATIONS } from '../../../engine/src/store/postgres/pg-migrations.js';
import { databaseAt } from '../../../engine/src/store/sqlite/migrations.test-util.js';
import { createDatabase, psql } from '../../../../test/support/postgres.js';
import { main } from '../cli/main.js';
import { captureCliIo } from '../testing/cli-io.js';

const url = inject('postgresUrl');
const dir = mkdtempSync(join(tmpdir(), 'sluis-schema-migrated-'));
let dbName: string | undefined;
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (dbName !== undefined) psql(url, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

/** Starts the server on `args`, stops it once it listens; its schema_migrated lines. */
async function startAndStop(args: readonly string[]): Promise<Record<string, unknown>[]> {
  const c = captureCliIo(dir);
  const running = main(['start', ...args, '--port', '0'], {}, c.io);
  await c.waitStarted();
  c.stop();
  expect(await running).toBe(0);
  return c
    .out()
    .split('\n')
    .filter((l) => l.includes('"event":"schema_migrated"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A start refused: its exit code and its stderr. */
async function refusedStart(args: readonly string[]): Promise<{ code: number; err: string }> {
  const c = captureCliIo(dir);
  const code = await main(['start', ...args, '--port', '0'], {}, c.io);
  return { code, err: c.err() };
}

const TOO_NEW = (db: string, database: number, known: number) =>
  `sluis-server: ${db} was written by a newer sluis version (database schema ${database}, this build knows up to ${known}); refusing to start (run the version that wrote it, or restore the backup made before the upgrade: docs/operations.md "Upgrade")\n`;

describe('schema_migrated and the downgrade refusal', () => {
  it('SQLite: a start on a database at schema 24 logs schema_migrated once; a newer schema is refused with both numbers', async () => {
    const dataDir = join(dir, 'sqlite');
    const database = join(dataDir, 'sluis.db');
    rmSync(dataDir, { recursive: true, force: true });
    // the data directory of an installation whose database an older version wrote
    await startAndStop(['--data-dir', dataDir]);
    rmSync(database);
    databaseAt(database, 24).close();

    const migrated = await startAndStop(['--data-dir', dataDir]);
    expect(migrated).toHaveLength(1);
    expect(migrated[0]).toMatchObject({
      level: 'info',
      event: 'schema_migrated',
      store: 'sqlite',
      from: 24,
      to: SCHEMA_VERSION,
    });
    expect(await startAndStop(['--data-dir', dataDir])).toEqual([]);

    // user_version (header bytes 60–63) one past this build's: what a newer version leaves
    const fd = openSync(database, 'r+');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(SCHEMA_VERSION + 1);
    writeSync(fd, header, 0, 4, 60);
    closeSync(fd);
    const refused = await refusedStart(['--data-dir', dataDir]);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(TOO_NEW(database, SCHEMA_VERSION + 1, SCHEMA_VERSION));
  });

  it.skipIf(url === '')(
    'PostgreSQL: a start on a database at schema 2 logs schema_migrated once; a newer schema is refused with both numbers',
    async () => {
      dbName = `sluis_schema_log${process.pid}`;
      const target = createDatabase(url, dbName);
      // Schema 2, built as migratePostgres built it (as pg-store.test.ts does).
      psql(target, PG_MIGRATIONS[0]!);
      psql(
        target,
        `CREATE TABLE sluis_schema (version integer NOT NULL); INSERT INTO sluis_schema (version) VALUES (2); INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, 1)`,
      );
      psql(target, PG_MIGRATIONS[1]!);
      const args = ['--data-dir', join(dir, 'pg'), '--database-url', target];

      const migrated = await startAndStop(args);
      expect(migrated).toHaveLength(1);
      expect(migrated[0]).toMatchObject({
        level: 'info',
        event: 'schema_migrated',
        store: 'postgres',
        from: 2,
        to: PG_SCHEMA_VERSION,
      });
      expect(await startAndStop(args)).toEqual([]);

      psql(target, `UPDATE sluis_schema SET version = ${PG_SCHEMA_VERSION + 1}`);
      const refused = await refusedStart(args);
      expect(refused.code).toBe(2);
      expect(refused.err).toBe(TOO_NEW('the PostgreSQL database', PG_SCHEMA_VERSION + 1, PG_SCHEMA_VERSION));
    },
  );
});
