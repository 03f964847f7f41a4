// Ctrl-C during `sluis-server migrate-store`, in the real process (docs/operations.md "Moving to
// PostgreSQL"): the built CLI copies an SQLite file of a few thousand signals into a throwaway
// PostgreSQL database and gets SIGINT the moment it reports its first copied batch — while the
// copy still runs. It stops between batches: exit 3, the "stopped … resume" line, no summary;
// the database stays marked unfinished, so an instance refuses to start on it; the same
// command run again resumes, verifies and finishes. A second signal ends it at once, as it does
// `start` (docs/operations.md "Shutdown"). Never the URL or host in any output.

import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  createEngine,
  type Engine,
  openSqliteStore,
  type PlaceSignalInput,
  ServerSecrets,
} from '@sluis/engine';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, psql, psqlSession, psqlValue } from '../support/postgres.js';
import { type CliRun, SERVER_CLI, spawnServerCli, tempDir } from '../support/server-process.js';

const url = inject('postgresUrl');
const dirs: string[] = [];
const databases: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const name of databases) psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

const PERSONS = 2000;
const ORGANISATIONS = 3;

/** An SQLite installation of PERSONS × ORGANISATIONS signals (each person a match), written through the engine. */
async function populate(file: string): Promise<void> {
  const serverSecrets = new ServerSecrets(new Map([[1, Buffer.alloc(32, 7)]]));
  const store = openSqliteStore({ path: file });
  let engine: Engine | undefined;
  try {
    engine = await createEngine({
      store,
      serverSecrets,
      config: { defaultPlacementBudgetPerDay: PERSONS },
    });
    for (let i = 0; i < ORGANISATIONS; i++) {
      const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string };
      const org = await engine.admitOrganisation(
        { kind: 'admin', keyId: 'admin-key' },
        { name: `Org ${i}`, type: 'youth_care', publicKeys: [jwk.x] },
      );
      const keyId = (await engine.listKeys(org.id))[0]!.keyId;
      const actor = { kind: 'organisation' as const, organisationId: org.id, keyId };
      for (let from = 0; from < PERSONS; from += 500) {
        const batch: PlaceSignalInput[] = [];
        for (let p = from; p < Math.min(PERSONS, from + 500); p++) {
          const value = Buffer.alloc(32, 0);
          value.writeUInt32BE(p + 1);
          batch.push({
            requestId: crypto.randomUUID(),
            subject: [{ epoch: 1, value: value.toString('base64url') }],
            contact: { name: 'J. de Vries', role: 'jeugdconsulent', email: 'j.devries@example.nl' },
            informed: { status: 'citizen', date: '2026-01-10' },
          });
        }
        await engine.placeSignals(actor, batch, { minimal: true });
      }
    }
  } finally {
    // Zeroed after the engine that derives with them is closed, on every path (as the harnesses do:
    // the store alone when the engine did not open).
    await (engine === undefined ? store.close() : engine.close());
    serverSecrets.destroy();
  }
}

interface Run extends CliRun {
  /** Resolves with the first progress line (`migrate-store: <table> <rows> rows`). */
  readonly progressed: Promise<string>;
}

/** `sluis-server migrate-store` as the operator runs it: the built CLI in its own process. */
function migrateStore(cwd: string, target: string): Run {
  let progressed: (line: string) => void = () => {};
  const progress = new Promise<string>((resolve) => {
    progressed = resolve;
  });
  const run = spawnServerCli(cwd, ['migrate-store', '--from', 'sluis.db', '--to', target], (stderr) => {
    const m = /^migrate-store: \S+ \d+ rows$/m.exec(stderr);
    if (m !== null) progressed(m[0]);
  });
  return { ...run, progressed: progress };
}

describe.skipIf(url === '')('Ctrl-C during sluis-server migrate-store (a real process)', () => {
  it('stops between batches (exit 3, the resume line), leaves the database unfinished; the rerun resumes and verifies', async () => {
    const dir = tempDir('sluis-migrate-int-');
    dirs.push(dir);
    await populate(join(dir, 'sluis.db'));
    const name = `sluis_msc${process.pid}`;
    databases.push(name);
    const target = createDatabase(url, name);
    const host = new URL(target).host;
    const outputs: string[] = [];

    // SIGINT, as Ctrl-C sends it, once the first batch is reported: the copy is under way.
    const stopped = migrateStore(dir, target);
    await stopped.progressed;
    stopped.child.kill('SIGINT');
    expect(await stopped.exited).toEqual({ code: 3, signal: null });
    expect(stopped.stdout()).toBe('');
    expect(stopped.stderr()).toMatch(
      /\nsluis-server: migrate-store stopping after the step in flight \(a second Ctrl-C or SIGTERM quits at once\)\n(migrate-store: \S+ \d+ rows\n)*sluis-server: migrate-store stopped; run the same command again to resume\n$/,
    );
    outputs.push(stopped.stdout(), stopped.stderr());
    // Marked unfinished, part of it copied.
    expect(psqlValue(target, `SELECT to_regclass('sluis_import') IS NOT NULL`)).toBe('t');
    expect(Number(psqlValue(target, 'SELECT count(*) FROM signals'))).toBeLessThan(PERSONS * ORGANISATIONS);

    // No instance serves it meanwhile.
    const refused = spawnSync(
      process.execPath,
      [SERVER_CLI, 'start', '--data-dir', 'data', '--database-url', target, '--port', '0'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' }, timeout: 60_000 },
    );
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('holds an unfinished migrate-store copy; run migrate-store again');
    outputs.push(refused.stdout, refused.stderr);

    // A second signal ends it at once. The copy waits on a lock held elsewhere, so the first
    // signal alone cannot end it; the second ends the process by the signal, the copy still
    // marked unfinished.
    const lock = psqlSession(target);
    lock.send('BEGIN; LOCK TABLE signals IN ACCESS EXCLUSIVE MODE; SELECT 1;');
    await lock.output('1');
    const hard = migrateStore(dir, target);
    await expect
      .poll(
        () =>
          psqlValue(
            target,
            `SELECT count(*) FROM pg_stat_activity WHERE datname = '${name}' AND wait_event_type = 'Lock'`,
          ),
        { timeout: 60_000, interval: 100 },
      )
      .toBe('1');
    hard.child.kill('SIGINT');
    await expect
      .poll(() => hard.stderr(), { timeout: 10_000 })
      .toContain('a second Ctrl-C or SIGTERM quits at once');
    hard.child.kill('SIGINT');
    expect(await hard.exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(hard.stderr()).not.toContain('migrate-store stopped');
    outputs.push(hard.stdout(), hard.stderr());
    await lock.end();
    expect(psqlValue(target, `SELECT to_regclass('sluis_import') IS NOT NULL`)).toBe('t');

    // The same command again: resumed, verified, finished, the marker gone.
    const done = migrateStore(dir, target);
    expect(await done.exited).toEqual({ code: 0, signal: null });
    expect(done.stdout()).toContain('migrate-store: resumed and copied');
    expect(done.stdout()).toMatch(new RegExp(`signals ${PERSONS * ORGANISATIONS}\\b`));
    expect(done.stdout()).toContain('sampled matches in full: equal');
    expect(done.stdout()).toContain('migrate-store: done;');
    expect(psqlValue(target, `SELECT to_regclass('sluis_import') IS NULL`)).toBe('t');
    outputs.push(done.stdout(), done.stderr());

    for (const text of outputs) {
      expect(text).not.toContain(host);
      expect(text).not.toContain('postgres://');
    }
  }, 300_000);
});
