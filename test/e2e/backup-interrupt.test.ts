// A stopped `sluis-server backup`, in the real process (docs/operations.md "Back up and
// restore"): the built CLI backs up an SQLite database of about 100 MB and gets SIGTERM (a
// cron job's timeout, systemd) as soon as its copy has started writing — a file in the backup
// folder growing — while the copy still runs. Nothing may then be left under the backup's
// name: it stops, removes its partial copy, says so in one line and exits 3; the same command
// run again writes the backup. A copy ended at once (SIGKILL: no handler runs) leaves only its
// hidden `.<name>.partial-…` file, which the next backup to that name removes and names.

import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { openSqliteStore } from '@sluis/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliRun, spawnServerCli, tempDir } from '../support/server-process.js';

/** The engine's own better-sqlite3 (a dependency of @sluis/engine, not of test/). */
const Database = createRequire(new URL('../../packages/engine/package.json', import.meta.url))(
  'better-sqlite3',
) as new (
  file: string,
) => { exec(sql: string): void; close(): void };

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A sluis database (made by the store) with ~100 MB of pages: a copy of it takes a while. */
async function bigDatabase(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'sluis.db');
  await openSqliteStore({ path: file }).close();
  const db = new Database(file);
  db.exec('CREATE TABLE backup_test_filler (b BLOB)');
  db.exec(
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1600) INSERT INTO backup_test_filler SELECT randomblob(65536) FROM n',
  );
  db.close();
}

/** A working directory with `data/` (the big database) and an empty `backups/` folder. */
async function installation(): Promise<{ dir: string; folder: string }> {
  const dir = tempDir('sluis-backup-int-');
  dirs.push(dir);
  await bigDatabase(join(dir, 'data'));
  const folder = join(dir, 'backups');
  mkdirSync(folder);
  return { dir, folder };
}

/** `sluis-server backup` as the operator runs it: the built CLI in its own process. */
function backup(cwd: string, to: string): CliRun {
  return spawnServerCli(cwd, ['backup', '--data-dir', 'data', '--to', to]);
}

/** Resolves once a file in `folder` has grown past its first bytes: the copy is writing pages. */
async function copyWriting(folder: string, run: CliRun): Promise<void> {
  let exited = false;
  void run.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`the backup ended before the test saw it write:\n${run.stderr()}`);
    for (const name of readdirSync(folder)) {
      try {
        if (statSync(join(folder, name)).size > 0) return;
      } catch {
        // removed between readdir and stat
      }
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('a stopped sluis-server backup (a real process)', () => {
  it('SIGTERM mid-copy leaves nothing at --to (exit 3, one line); the rerun writes the backup', async () => {
    const { dir, folder } = await installation();
    const target = join(folder, 'sluis.db');

    const stopped = backup(dir, 'backups/sluis.db');
    await copyWriting(folder, stopped);
    stopped.child.kill('SIGTERM');
    const end = await stopped.exited;
    // Nothing under the backup's name, and no partial copy beside it.
    expect(readdirSync(folder)).toEqual([]);
    expect(end).toEqual({ code: 3, signal: null });
    expect(stopped.stdout()).toBe('');
    expect(stopped.stderr()).toBe(`sluis-server: backup stopped; nothing was written at ${target}\n`);

    // Not refused as backup_target_exists: the same command writes the whole backup.
    const again = backup(dir, 'backups/sluis.db');
    expect(await again.exited).toEqual({ code: 0, signal: null });
    expect(again.stderr()).toBe('');
    expect(again.stdout()).toMatch(/^backup written to .* \(\d+ pages, integrity ok\)/);
    expect(readdirSync(folder)).toEqual(['sluis.db']);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(target).size).toBe(statSync(join(dir, 'data', 'sluis.db')).size);
  }, 120_000);

  it('a copy ended at once leaves only its hidden partial file; the next backup to that name removes it', async () => {
    const { dir, folder } = await installation();

    const killed = backup(dir, 'backups/sluis.db');
    await copyWriting(folder, killed);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const left = readdirSync(folder);
    expect(left).not.toContain('sluis.db');
    expect(left.some((f) => /^\.sluis\.db\.partial-[0-9a-f]{12}$/.test(f))).toBe(true);
    for (const f of left) expect(statSync(join(folder, f)).mode & 0o777).toBe(0o600);

    const next = backup(dir, 'backups/sluis.db');
    expect(await next.exited).toEqual({ code: 0, signal: null });
    expect(next.stderr()).toBe(
      `sluis-server: removed the partial copy an earlier backup to ${join(folder, 'sluis.db')} left when it was ended at once\n`,
    );
    expect(readdirSync(folder)).toEqual(['sluis.db']);
  }, 120_000);
});
