// Disk and database faults (docs/reliability.md §6) on the real server process. Disk full is simulated
// with a file-size resource limit (RLIMIT_FSIZE, set on the running process with
// `prlimit`): SQLite's writes past the limit fail with EFBIG, exactly as on a full disk,
// and raising the limit again is the space coming back. A read-only database is a file
// of mode 0444 (as root, the server runs without CAP_DAC_OVERRIDE — `setpriv` — so the mode
// binds it; it keeps its user, so it can still read the checkout wherever that is, even in a
// private 0700 directory, and its own key files). A newer schema is the header's user_version (offset 60) bumped; a corrupt file
// has its header overwritten. Each must give a clear answer or a one-line refusal to
// start, never a corruption.

import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, openSync, readSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_CLI, type ServerProcess, startServer, tempDir } from '../support/server-process.js';
import {
  admit,
  adminClient,
  destroyKeys,
  type Org,
  placementBody,
  randomPerson,
  sleep,
  summary,
} from './support.js';

const running: ServerProcess[] = [];

/**
 * The command that runs `file args` so that file modes bind it. Root ignores them (the
 * CAP_DAC_OVERRIDE capability): it drops that one capability and keeps its user, so the
 * process still reads whatever the test process can — the checkout, its own key files.
 */
function withoutDacOverride(file: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [file, [...args]];
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
  if (setpriv === undefined)
    throw new Error('running as root needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE');
  return [setpriv, ['--inh-caps=-dac_override', '--bounding-set=-dac_override', '--', file, ...args]];
}
afterAll(async () => {
  try {
    for (const p of running) if (p.process.exitCode === null && p.process.signalCode === null) await p.kill();
  } finally {
    destroyKeys();
  }
});

const ARGS = ['--rate-limit', '0', '--retention-interval', '0', '--default-placement-budget', '1000000'];

async function setup(): Promise<{ server: ServerProcess; org: Org; dataDir: string }> {
  const dataDir = tempDir('sluis-faults-');
  const server = await startServer({ dataDir, args: ARGS });
  running.push(server);
  const admin = adminClient(server.adminKeyFile, () => server.url);
  const org = await admit(admin, 'Jeugdzorg', () => server.url);
  return { server, org, dataDir };
}

/** `file args` as a process of its own (NODE_ENV=test); `output` is its stdout and stderr so far. */
function spawnGathering(file: string, args: readonly string[]) {
  const child = spawn(file, args, {
    env: { ...process.env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { child, output: () => out };
}

function startRaw(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const { child, output } = spawnGathering(process.execPath, [SERVER_CLI, ...args]);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out: output() });
    });
  });
}

/** The start's output without the `node_unsupported` warning (docs/operations.md "Logs"), which an
 * unsupported Node.js line (CI's first run is on Node.js 20) writes before any refusal. */
function withoutNodeWarning(out: string): string[] {
  return out
    .trim()
    .split('\n')
    .filter((l) => !l.includes('"event":"node_unsupported"'));
}

function patchFile(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

describe('disk full', () => {
  it('gives 503 unavailable, keeps reads and acknowledged data, and recovers when space returns', async () => {
    const { server, org, dataDir } = await setup();
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) {
      const a = await org.client.call('POST', '/v1/signals', placementBody(randomUUID(), randomPerson()));
      expect(a.status).toBe(201);
      acked.push(a.json<{ signal: { id: string } }>().signal.id);
    }
    const db = join(dataDir, 'sluis.db');
    const sizes = [db, `${db}-wal`].filter(existsSync).map((f) => statSync(f).size);
    const limit = Math.max(...sizes) + 16 * 1024;
    execFileSync('prlimit', ['--pid', String(server.process.pid), `--fsize=${limit}:unlimited`]);

    let full: { status: number; code: string } | undefined;
    const failed: unknown[] = [];
    let attempts = 0;
    for (; attempts < 2_000 && full === undefined; attempts++) {
      const body = placementBody(randomUUID(), randomPerson());
      const a = await org.client.call('POST', '/v1/signals', body);
      if (a.status === 201) acked.push(a.json<{ signal: { id: string } }>().signal.id);
      else {
        full = { status: a.status, code: a.json<{ code: string }>().code };
        failed.push(body);
      }
    }
    expect(full).toEqual({ status: 503, code: 'unavailable' });
    // Reads still work while the disk is full.
    expect((await org.client.call('GET', '/v1/signals?status=active&limit=500')).status).toBe(200);

    // Space returns: the refused placement goes through on retry (same requestId).
    execFileSync('prlimit', ['--pid', String(server.process.pid), '--fsize=unlimited:unlimited']);
    for (const body of failed) {
      const a = await org.client.call('POST', '/v1/signals', body);
      expect(a.status).toBe(201);
      acked.push(a.json<{ signal: { id: string } }>().signal.id);
    }
    const listed = await org.client.all<{ id: string }>('/v1/signals?status=active&limit=500');
    expect(listed.map((s) => s.id).sort()).toEqual([...acked].sort());

    // No corruption: restart on the same file; the logbook verifies and everything is there.
    expect(await server.stop()).toBe(0);
    const again = await startServer({ dataDir, args: ARGS });
    running.push(again);
    const admin = adminClient(again.adminKeyFile, () => again.url);
    const verify = (await admin.call('GET', '/v1/admin/logbook/verify')).json<{ ok: boolean }>();
    expect(verify.ok).toBe(true);
    const stats = (await admin.call('GET', '/v1/admin/statistics')).json<{ signals: { active: number } }>();
    expect(stats.signals.active).toBe(acked.length);
    await again.stop();
    summary('disk-full', {
      method: 'RLIMIT_FSIZE via prlimit',
      fileSizeLimitBytes: limit,
      placementsBeforeFull: attempts - 1,
      refusal: `${full!.status} ${full!.code}`,
      acknowledged: acked.length,
      presentAfterRestart: stats.signals.active,
      logbookOk: verify.ok,
    });
  });
});

describe('read-only database', () => {
  it('answers writes with 503 unavailable (or refuses to start), and works again once writable', async () => {
    const { server, org, dataDir } = await setup();
    expect(
      (await org.client.call('POST', '/v1/signals', placementBody(randomUUID(), randomPerson()))).status,
    ).toBe(201);
    expect(await server.stop()).toBe(0);
    const db = join(dataDir, 'sluis.db');
    chmodSync(db, 0o444);
    const cli = [SERVER_CLI, 'start', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', ...ARGS];
    const { child, output } = spawnGathering(...withoutDacOverride(process.execPath, cli));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    let url: string | undefined;
    let exitCode: number | null | undefined;
    for (let i = 0; i < 200 && url === undefined && exitCode === undefined; i++) {
      await sleep(100);
      url = /listening on (http:\/\/\S+)/.exec(output())?.[1];
      if (child.exitCode !== null) exitCode = child.exitCode;
    }
    let outcome: string;
    if (url !== undefined) {
      const base = url;
      const c = org.client;
      const ro = new (c.constructor as typeof import('./support.js').SignedClient)(c.key, () => base);
      const w = await ro.call('POST', '/v1/signals', placementBody(randomUUID(), randomPerson()));
      expect({ status: w.status, code: w.json<{ code: string }>().code }).toEqual({
        status: 503,
        code: 'unavailable',
      });
      expect((await ro.call('GET', '/v1/signals')).status).toBe(200);
      outcome = 'served reads, writes 503 unavailable';
      child.kill('SIGTERM');
      await exited;
    } else {
      expect(exitCode).not.toBe(0);
      const out = output();
      const lines = out.trim().split('\n');
      expect(lines.length).toBe(1);
      expect(out).toMatch(/read-only|cannot be opened for writing|not writable/i);
      outcome = `refused to start: ${lines[0]}`;
    }
    // The fault clears: writable again.
    chmodSync(db, 0o600);
    const again = await startServer({ dataDir, args: ARGS });
    running.push(again);
    const ok = new (org.client.constructor as typeof import('./support.js').SignedClient)(
      org.client.key,
      () => again.url,
    );
    expect((await ok.call('POST', '/v1/signals', placementBody(randomUUID(), randomPerson()))).status).toBe(
      201,
    );
    await again.stop();
    summary('read-only', { outcome });
  });
});

describe('refusing to start', () => {
  it('on a database written by a newer schema version: one line, non-zero exit', async () => {
    const { server, dataDir } = await setup();
    expect(await server.stop()).toBe(0);
    const db = join(dataDir, 'sluis.db');
    const header = Buffer.alloc(4);
    const fd = openSync(db, 'r');
    readSync(fd, header, 0, 4, 60);
    closeSync(fd);
    const version = header.readUInt32BE(0);
    expect(version).toBeGreaterThan(0);
    const bumped = Buffer.alloc(4);
    bumped.writeUInt32BE(version + 1);
    patchFile(db, 60, bumped);
    const r = await startRaw(['start', '--data-dir', dataDir, '--port', '0']);
    expect(r.code).toBe(2);
    expect(withoutNodeWarning(r.out)).toHaveLength(1);
    expect(r.out).toMatch(/newer sluis version/);
    expect(r.out).toContain(`(database schema ${version + 1}, this build knows up to ${version})`);
    summary('schema-too-new', { userVersion: version + 1, exitCode: r.code!, message: r.out.trim() });
  });

  it('on a corrupt database file: one line, non-zero exit', async () => {
    const { server, dataDir } = await setup();
    expect(await server.stop()).toBe(0);
    const db = join(dataDir, 'sluis.db');
    patchFile(db, 0, Buffer.from('this is not a database file, sluis!'));
    const r = await startRaw(['start', '--data-dir', dataDir, '--port', '0']);
    expect(r.code).toBe(2);
    expect(withoutNodeWarning(r.out)).toHaveLength(1);
    expect(r.out).toMatch(/corrupt|not a sluis/i);
    summary('corrupt-file', { exitCode: r.code!, message: r.out.trim() });
  });
});
