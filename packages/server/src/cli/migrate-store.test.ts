// `sluis-server migrate-store` in-process through main() against a real PostgreSQL
// (test/support/postgres.ts) and a real SQLite file: usage errors, a copy stopped by Ctrl-C
// that no instance will serve and that a rerun resumes, the verified summary (never the
// URL), a refused non-empty target, and `start` on the moved database — with the
// installation's keys; a data directory with keys of its own is refused. And as a real process
// (the built CLI): the downgrade refusal of either side — an SQLite file or a PostgreSQL database
// a newer version wrote — naming its store and both schema numbers (docs/operations.md "Upgrade").

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createEngine, type Engine, openSqliteStore, SCHEMA_VERSION, ServerSecrets } from '@sluis/engine';
import { PG_SCHEMA_VERSION } from '@sluis/engine/postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, psql, psqlValue } from '../../../../test/support/postgres.js';
import { SERVER_CLI } from '../../../../test/support/server-process.js';
import { main } from './main.js';
import { captureCliIo } from '../testing/cli-io.js';

const url = inject('postgresUrl');
let dir: string | undefined;
let dbName: string | undefined;
const moreDbs: string[] = [];

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  for (const name of [dbName, ...moreDbs])
    if (name !== undefined) psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

/** The SQLite installation's server secret (its data directory's keys/server-secret-1.key). */
const SECRET = Buffer.alloc(32, 7);

/** An SQLite installation with matches, written through the engine. */
async function populate(file: string): Promise<void> {
  const serverSecrets = new ServerSecrets(new Map([[1, SECRET]]));
  const store = openSqliteStore({ path: file });
  let engine: Engine | undefined;
  try {
    engine = await createEngine({ store, serverSecrets });
    const actors = [];
    for (let i = 0; i < 3; i++) {
      const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string };
      const org = await engine.admitOrganisation(
        { kind: 'admin', keyId: 'admin-key' },
        { name: `Org ${i}`, type: 'youth_care', publicKeys: [jwk.x] },
      );
      const keyId = (await engine.listKeys(org.id))[0]!.keyId;
      actors.push({ kind: 'organisation' as const, organisationId: org.id, keyId });
    }
    for (let p = 0; p < 20; p++) {
      for (const actor of actors) {
        await engine.placeSignal(actor, {
          requestId: crypto.randomUUID(),
          subject: [{ epoch: 1, value: Buffer.alloc(32, p + 1).toString('base64url') }],
          contact: { name: 'J. de Vries', role: 'jeugdconsulent', email: 'j.devries@example.nl' },
          informed: { status: 'citizen', date: '2026-01-10' },
        });
      }
    }
  } finally {
    // Zeroed after the engine that derives with them is closed, on every path (as the harnesses do:
    // the store alone when the engine did not open).
    await (engine === undefined ? store.close() : engine.close());
    serverSecrets.destroy();
  }
}

describe.skipIf(url === '')('sluis-server migrate-store', () => {
  it('stops on Ctrl-C, resumes, verifies, refuses a second run; start then serves the moved database', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluis-migrate-'));
    const file = join(dir, 'sluis.db');
    await populate(file);
    dbName = `sluis_cli${process.pid}`;
    const target = createDatabase(url, dbName);
    const host = new URL(target).host;

    const usage = captureCliIo(dir);
    expect(await main(['migrate-store', '--from', 'sluis.db'], {}, usage.io)).toBe(2);
    expect(usage.err()).toContain('needs --from');

    // Ctrl-C before the first batch: nothing verified, the database marked unfinished
    const stopped = captureCliIo(dir);
    const running = main(['migrate-store', '--from', 'sluis.db', '--to', target], {}, stopped.io);
    stopped.stop();
    expect(await running).toBe(3);
    expect(stopped.err()).toContain('run the same command again to resume');

    const refusedStart = captureCliIo(dir);
    expect(
      await main(
        ['start', '--data-dir', 'data', '--database-url', target, '--port', '0'],
        {},
        refusedStart.io,
      ),
    ).toBe(3);
    expect(refusedStart.err()).toContain('unfinished migrate-store copy');

    const done = captureCliIo(dir);
    expect(await main(['migrate-store', '--from', 'sluis.db', '--to', target], {}, done.io)).toBe(0);
    expect(done.out()).toMatch(/resumed and copied/);
    expect(done.out()).toMatch(/signals 60\b/);
    expect(done.out()).toMatch(/sampled matches in full: equal/);
    for (const text of [done.out(), done.err(), stopped.err(), refusedStart.err()]) {
      expect(text).not.toContain(host);
      expect(text).not.toContain('postgres://');
    }

    const again = captureCliIo(dir);
    expect(await main(['migrate-store', '--from', 'sluis.db', '--to', target], {}, again.io)).toBe(1);
    expect(again.err()).toContain('already holds data');

    // The instances need the keys the SQLite installation wrote with (docs/operations.md
    // "Moving to PostgreSQL"): a data directory that made its own is refused.
    const ownKeys = captureCliIo(dir);
    expect(
      await main(['start', '--data-dir', 'own', '--database-url', target, '--port', '0'], {}, ownKeys.io),
    ).toBe(2);
    expect(ownKeys.err()).toContain('is not the server secret this database was written with');
    mkdirSync(join(dir, 'data', 'keys'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'data', 'keys', 'server-secret-1.key'), `${SECRET.toString('base64url')}\n`, {
      mode: 0o600,
    });
    const start = captureCliIo(dir);
    const server = main(
      ['start', '--data-dir', 'data', '--database-url', target, '--port', '0'],
      {},
      start.io,
    );
    const end = Date.now() + 15_000;
    while (!start.err().includes('listening on') && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    expect(start.err()).toContain('listening on');
    const base = /listening on (http:\/\/\S+)/.exec(start.err())![1]!;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    start.stop();
    expect(await server).toBe(0);
  });
});

/** `sluis-server migrate-store` as the operator runs it: the built CLI in its own process. */
function migrateStoreProcess(cwd: string, from: string, to: string) {
  return spawnSync(process.execPath, [SERVER_CLI, 'migrate-store', '--from', from, '--to', to], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
    timeout: 60_000,
  });
}

describe.skipIf(url === '')('sluis-server migrate-store refuses a newer schema on either side', () => {
  it('an SQLite file or a PostgreSQL database a newer version wrote: exit 1, its store and both numbers, nothing copied', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sluis-migrate-newer-'));
    try {
      const file = join(work, 'sluis.db');
      await openSqliteStore({ path: file }).close();
      const name = `sluis_newer${process.pid}`;
      moreDbs.push(name);
      const target = createDatabase(url, name);

      // PostgreSQL: a database a newer version made (its schema marker one past this build's)
      psql(
        target,
        `CREATE TABLE sluis_schema (version integer NOT NULL); INSERT INTO sluis_schema VALUES (${PG_SCHEMA_VERSION + 1})`,
      );
      const pg = migrateStoreProcess(work, 'sluis.db', target);
      expect(pg.status).toBe(1);
      expect(pg.stderr).toBe(
        `sluis-server: the PostgreSQL database was written by a newer sluis version (database schema ${PG_SCHEMA_VERSION + 1}, this build knows up to ${PG_SCHEMA_VERSION}): migrate-store only fills an empty database of its own version (docs/operations.md "Moving to PostgreSQL")\n`,
      );
      expect(
        psqlValue(target, `SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'`),
      ).toBe('sluis_schema');

      // SQLite: user_version (header bytes 60–63) one past this build's, what a newer version leaves
      psql(target, 'DROP TABLE sluis_schema');
      const fd = openSync(file, 'r+');
      const header = Buffer.alloc(4);
      header.writeUInt32BE(SCHEMA_VERSION + 1);
      writeSync(fd, header, 0, 4, 60);
      closeSync(fd);
      const sqlite = migrateStoreProcess(work, 'sluis.db', target);
      expect(sqlite.status).toBe(1);
      expect(sqlite.stderr).toBe(
        `sluis-server: the SQLite file was written by a newer sluis version (database schema ${SCHEMA_VERSION + 1}, this build knows up to ${SCHEMA_VERSION}): run migrate-store of that version (docs/operations.md "Upgrade")\n`,
      );
      expect(psqlValue(target, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`)).toBe('0');
      for (const out of [pg.stdout, pg.stderr, sqlite.stdout, sqlite.stderr]) {
        expect(out).not.toContain('postgres://');
        expect(out).not.toContain(new URL(target).host);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
