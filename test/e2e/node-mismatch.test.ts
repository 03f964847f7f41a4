// The match server started by another Node.js major version than the one its node_modules were
// installed with (docs/operations.md "Upgrade", a new Node.js major version): better-sqlite3's
// compiled binding does not load (ERR_DLOPEN_FAILED, NODE_MODULE_VERSION). The start is refused
// with one line, `native_binding_unloadable` and what to do, exit code 2, before it writes
// anything — so the start after the fix is a first start, not a data directory whose keys
// outlived a database that never existed (`database_lost`). `retention` and `backup` are refused
// the same way (backup before it begins a copy).
//
// A real mismatched binding: this checkout's build, run by a Node.js of another major version
// than the one running the tests (whose install built the binding). That Node is
// SLUIS_OTHER_NODE, else the first `node` on PATH of another major version. CI's second run
// (.ci/test-on-node 24) has one: the copy's node_modules are built for Node.js 24, and the
// machine's own Node.js is on PATH behind it. CI's first run has none, and skips this file with
// a notice.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_CLI, startServer } from '../support/server-process.js';

/** A Node.js binary of another major version than this process's, or undefined. */
function otherNode(): string | undefined {
  const mine = process.versions.node.split('.')[0];
  const self = realpathSync(process.execPath);
  const candidates = [
    process.env.SLUIS_OTHER_NODE,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node')),
  ];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '' || !existsSync(candidate)) continue;
    if (realpathSync(candidate) === self) continue;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout ?? '';
    const major = /^v(\d+)\./.exec(version)?.[1];
    if (major !== undefined && major !== mine) return candidate;
  }
  return undefined;
}

const other = otherNode();
if (other === undefined) {
  console.warn(
    `node-mismatch test skipped: no Node.js of another major version than ${process.version} (set SLUIS_OTHER_NODE; CI's run on Node.js 24 has one)`,
  );
}

const work = mkdtempSync(join(tmpdir(), 'sluis-node-mismatch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.runIf(other !== undefined)('a start on another Node.js than the install', () => {
  it('is refused with native_binding_unloadable and what to do, exit 2, and writes nothing: the start after the fix is a first start', async () => {
    const dataDir = join(work, 'data');
    const refused = spawnSync(other!, [SERVER_CLI, 'start', '--data-dir', dataDir, '--port', '0'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
      timeout: 60_000,
    });
    expect(refused.status).toBe(2);
    const lines = refused.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^sluis-server: native_binding_unloadable: better-sqlite3's native binding does not load under Node\.js v\d+\.\d+\.\d+ \(ERR_DLOPEN_FAILED\): /,
    );
    expect(lines[0]).toContain('run deploy/install.sh again with the Node.js the service runs');
    expect(lines[0]).toContain('nothing was written');
    // no path of the host, and no message of the loader (it names the binding's path)
    expect(lines[0]).not.toContain(work);
    expect(lines[0]).not.toContain('NODE_MODULE_VERSION');
    // Nothing written: no data directory, so no keys/ a later start would take for a lost database.
    expect(existsSync(dataDir)).toBe(false);

    // After the fix (the Node.js the install was built with): a first start, keys made.
    const server = await startServer({ dataDir });
    try {
      expect(server.output()).toContain('first start');
      expect(server.output()).not.toContain('database_lost');
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(existsSync(join(dataDir, 'keys', 'admin.key'))).toBe(true);

    // The other commands that open the SQLite file are refused the same way: cron's retention,
    // and backup (before it opens the database, so no copy is begun).
    const backupFile = join(work, 'backup.db');
    for (const args of [
      ['retention', '--data-dir', dataDir],
      ['backup', '--data-dir', dataDir, '--to', backupFile],
    ]) {
      const refusal = spawnSync(other!, [SERVER_CLI, ...args], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'production' },
        timeout: 60_000,
      });
      expect(refusal.status, args[0]).toBe(2);
      expect(refusal.stderr, args[0]).toMatch(/^sluis-server: native_binding_unloadable: [^\n]*\n$/);
    }
    expect(existsSync(backupFile)).toBe(false);
  }, 120_000);
});
