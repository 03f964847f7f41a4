// The admin commands against the server's own config file (docs/operations.md "The admin CLI"):
// the built `sluis-server` started with --config only, then `admin … --config` (and
// SLUIS_CONFIG) finds the server at the file's host and port and the admin key under its
// dataDir, with no --server, --data-dir or --admin-key-file. Real processes, a real listening
// server, a real SQLite file.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPort, startOnFreshPort } from '../../../../test/support/ports.js';
import { runCli, SERVER_CLI } from '../../../../test/support/server-process.js';

let dir: string;
let configFile: string;
let server: ChildProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-admin-config-'));
  configFile = join(dir, 'sluis.json');
  // The port is the file's, so the server is told it: a fresh one, another when it was taken
  // meanwhile (test/support/ports.ts).
  await startOnFreshPort(async (p) => {
    // dataDir relative to the file, as an operator writes it: the admin must resolve it the same way.
    writeFileSync(
      configFile,
      JSON.stringify({ dataDir: 'data', host: '127.0.0.1', port: p, portalDir: 'off' }),
    );
    const child = spawn(process.execPath, [SERVER_CLI, 'start', '--config', configFile], {
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    });
    server = child;
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start: ${err}`)), 20_000);
      child.stderr!.on('data', (d) => {
        err += d;
        if (err.includes('listening on')) {
          clearTimeout(t);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`exited ${code}: ${err}`));
      });
    });
  });
});

afterAll(async () => {
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((r) => server!.on('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The built CLI, run from a folder that is not the config file's. */
const admin = (args: readonly string[], env: Record<string, string> = {}) =>
  runCli(SERVER_CLI, ['admin', ...args], { env });

describe('sluis-server admin with the server’s config file', () => {
  it('--config: the server at the file’s host and port, the admin key under its dataDir', async () => {
    const r = await admin(['statistics', '--json', '--config', configFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('followUp');
  });

  it('SLUIS_CONFIG works as --config does; a flag still wins over the file', async () => {
    const r = await admin(['organisations', '--json'], { SLUIS_CONFIG: configFile });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ items: [] });
    // --server given: the file's address is not used (a port nothing listens on: unreachable, exit 3)
    const elsewhere = await admin([
      'organisations',
      '--config',
      configFile,
      '--server',
      `http://127.0.0.1:${await freshPort()}`,
    ]);
    expect(elsewhere.code).toBe(3);
  });

  it('a config file that cannot be read, or listens on port 0, is one line and exit 2', async () => {
    const missing = await admin(['organisations', '--config', join(dir, 'no-such.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no-such.json');
    const anyPort = join(dir, 'any-port.json');
    writeFileSync(anyPort, JSON.stringify({ dataDir: 'data', port: 0 }));
    const zero = await admin(['organisations', '--config', anyPort]);
    expect(zero.code).toBe(2);
    expect(zero.stderr.trim()).toBe(
      'sluis-server admin: the configuration listens on port 0 (any free port): give --server or SLUIS_SERVER_URL',
    );
  });
});
