// The service as the operator runs it, its life as a process: one service per data directory
// (service.lock: a second start exits 4, a stale lock is replaced; a second signal during the
// stop ends the process at once, its lock left stale); admission edits of many
// processes at once all land (admission.json.lock); a failed start names the system's error
// code; a file the operator breaks while it runs is logged with its code and path (never its
// contents). The built `sluis-pseudonym-service` as a process (testing/process.ts).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { base64url, signRequest } from '@sluis/client-sdk';
import { isSupportedNode, SUPPORTED_NODE_LINES } from '@sluis/client-sdk/node';
import { describe, expect, it, onTestFinished } from 'vitest';
import { SERVER_WAIT } from '../../../test/support/server-wait.js';
import { BIN, dataDir, limits, run, start } from './testing/process.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

describe('pseudonym service process: lock, admission edits, start and run-time errors', () => {
  it('on an unsupported Node.js line the start warns once (node_unsupported) and serves all the same', async () => {
    const service = await start(dataDir());
    const lines = service
      .stdout()
      .split('\n')
      .filter((l) => l.includes('"event":"node_unsupported"'))
      .map((l) => JSON.parse(l) as unknown);
    // CI's first run is on Node.js 20 (unsupported); the other runs on supported lines.
    expect(lines).toEqual(
      isSupportedNode(process.version)
        ? []
        : [
            {
              level: 'warn',
              event: 'node_unsupported',
              version: process.version,
              supported: SUPPORTED_NODE_LINES,
            },
          ],
    );
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });

  it('one service per data directory: a second start exits 4 naming the lock and its pid', async () => {
    const dir = dataDir();
    const lock = join(dir, 'service.lock');
    const first = await start(dir);
    const second = run(['start', '--port', '0', '--data-dir', dir]);
    expect([second.status, second.stderr]).toEqual([
      4,
      `sluis-pseudonym-service: could not start: data directory in use: ${lock} is held by process ${first.child.pid}; stop that service first\n`,
    ]);
    // Killed without a clean stop, its lock is stale: the next start replaces it and says so.
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(existsSync(lock)).toBe(true);
    const next = await start(dir);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(next.child.pid);
    await expect.poll(next.stderr).toContain('service_lock_stale');
    expect(JSON.parse(next.stderr().trim())).toEqual({
      level: 'warn',
      event: 'service_lock_stale',
      file: lock,
    });
    // A clean stop removes the lock.
    next.child.kill('SIGTERM');
    await new Promise((r) => next.child.once('exit', r));
    expect(existsSync(lock)).toBe(false);
  });

  it('a second signal of the other kind during the stop ends the process at once, its lock left stale', async () => {
    const dir = dataDir();
    const lock = join(dir, 'service.lock');
    const service = await start(dir);
    // A request held in flight: its headers sent, its body not, so the stop waits for it
    // (up to --shutdown-timeout, 10 s) rather than ending by itself.
    const { hostname, port } = new URL(service.url);
    const held = connect(Number(port), hostname);
    held.on('error', () => undefined);
    onTestFinished(() => {
      held.destroy();
    });
    const head = [
      'POST /v1/evaluate HTTP/1.1',
      `host: ${hostname}:${port}`,
      'content-length: 100',
      '',
      '',
    ].join('\r\n');
    await new Promise<void>((r) => held.write(`${head}{"epoch":`, () => r()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      service.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    service.child.kill('SIGTERM');
    // The stop has begun once the listener takes no new connection.
    await expect
      .poll(
        () =>
          fetch(`${service.url}/healthz`).then(
            () => 'open',
            () => 'refused',
          ),
        { timeout: SERVER_WAIT },
      )
      .toBe('refused');
    const sent = Date.now();
    service.child.kill('SIGINT');
    // Ended by the signal itself, well before the stop's time limit would have ended it (exit 0).
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(existsSync(lock)).toBe(true);
    const next = await start(dir);
    await expect.poll(next.stderr).toContain('service_lock_stale');
  });

  it('admission edits of many processes at once all land, one after another (admission.json.lock)', {
    timeout: 120_000,
  }, async () => {
    const dir = dataDir();
    const names = Array.from({ length: 16 }, (_, i) => `Org ${i}`);
    const codes = await Promise.all(
      names.map(
        (name) =>
          new Promise<number | null>((resolve) => {
            const key = base64url.encode(caseSigningKey().publicKey);
            const args = [BIN, 'admit', '--name', name, `--public-key=${key}`, '--data-dir', dir];
            // Sixteen Node.js starts at once: on a loaded two-core machine they need more
            // than one command's 20 s, and a kill would read as a lost edit.
            const child = spawn(process.execPath, args, { stdio: 'ignore', ...limits, timeout: 90_000 });
            child.once('exit', (code) => resolve(code));
          }),
      ),
    );
    expect(codes).toEqual(names.map(() => 0));
    const admission = JSON.parse(readFileSync(join(dir, 'admission.json'), 'utf8')) as {
      organisations: { name: string }[];
    };
    expect(admission.organisations.map((o) => o.name).sort()).toEqual([...names].sort());
    expect(readFileSync(join(dir, 'logbook.jsonl'), 'utf8').match(/organisation\.admitted/g)).toHaveLength(
      16,
    );
    expect(existsSync(join(dir, 'admission.json.lock'))).toBe(false);
  });

  it('a failed start prints the system error code and exits 3', async () => {
    const dir = dataDir();
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = String((taken.address() as { port: number }).port);
    try {
      const r = run(['start', '--port', port, '--data-dir', dir]);
      expect([r.status, r.stderr]).toEqual([3, 'sluis-pseudonym-service: could not start: EADDRINUSE\n']);
    } finally {
      taken.close();
    }
  });

  it('logs a data-directory error at run time with its code and file, never the contents', async () => {
    const dir = dataDir();
    const org = caseSigningKey();
    expect(
      run(['admit', '--name', 'Org A', `--public-key=${base64url.encode(org.publicKey)}`, '--data-dir', dir])
        .status,
    ).toBe(0);
    const service = await start(dir);
    const admission = join(dir, 'admission.json');
    const secretLooking = 'not-json-but-something-an-operator-typed';
    writeFileSync(admission, `${secretLooking}\n`, { mode: 0o600 });
    const bytes = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: ['x'] }));
    const headers = signRequest(org, { method: 'POST', path: '/v1/evaluate', query: '' }, bytes);
    const res = await fetch(`${service.url}/v1/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: bytes,
    });
    expect(res.status).toBe(500);
    const answer = JSON.parse(await res.text());
    expect(answer.code).toBe('internal');
    await expect.poll(service.stderr).toContain('data_dir_error');
    expect(JSON.parse(service.stderr().trim().split('\n').at(-1)!)).toEqual({
      level: 'error',
      event: 'data_dir_error',
      correlationId: answer.correlationId,
      code: 'key_file_invalid',
      file: admission,
    });
    expect(service.stderr()).not.toContain(secretLooking);
  });
});
