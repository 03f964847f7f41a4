// The service as the operator runs it: the built `sluis-pseudonym-service` as a process
// (dist/, built by the test setup). A failed start names the system's error code; a file
// the operator breaks while it runs is logged with its code and path (never its contents);
// a new or retired OPRF key's directory entry is made durable (fsync of keys/, seen with
// strace).

import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey, base64url, signRequest } from '@sluis/client-sdk';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'sluis-pseudonym-service.js');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGTERM');
});

const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

function dataDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-proc-')), 'data');
  expect(run(['init', '--data-dir', dir]).status).toBe(0);
  expect(run(['add-epoch', '--epoch', '7', '--data-dir', dir]).status).toBe(0);
  return dir;
}

/** Starts the service; resolves with its URL and a reader of its stderr. */
async function start(dir: string) {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', () => reject(new Error(`exited: ${stderr}`)));
    child.stdout!.once('data', (d) =>
      resolve((JSON.parse(String(d).split('\n')[0]!) as { url: string }).url),
    );
  });
  return { url, stderr: () => stderr };
}

const hasStrace = spawnSync('strace', ['-V']).status === 0;

describe('pseudonym service process', () => {
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
    const org = SigningKey.generate();
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
    expect(JSON.parse(await res.text()).code).toBe('internal');
    await expect.poll(service.stderr).toContain('data_dir_error');
    expect(JSON.parse(service.stderr().trim().split('\n').at(-1)!)).toEqual({
      level: 'error',
      event: 'data_dir_error',
      code: 'key_file_invalid',
      file: admission,
    });
    expect(service.stderr()).not.toContain(secretLooking);
  });

  it.skipIf(!hasStrace)('fsyncs keys/ after creating and after destroying an epoch key (strace)', () => {
    const dir = dataDir();
    const trace = join(dir, '..', 'trace');
    const keys = join(dir, 'keys');
    for (const command of ['add-epoch', 'retire-epoch']) {
      rmSync(trace, { force: true });
      execFileSync('strace', [
        '-f',
        '-qq',
        '-e',
        'trace=openat,fsync',
        '-o',
        trace,
        process.execPath,
        BIN,
        command,
        '--epoch',
        '8',
        '--data-dir',
        dir,
      ]);
      const calls = readFileSync(trace, 'utf8').split('\n');
      // keys/ itself opened, and that process's next call an fsync of the fd it got.
      const open = new RegExp(`^(\\d+) +openat\\(AT_FDCWD, "${keys}", O_RDONLY[^)]*\\) = (\\d+)$`);
      const synced = calls.some((l, i) => {
        const m = open.exec(l);
        if (m === null) return false;
        const next = calls.slice(i + 1).find((c) => c.startsWith(`${m[1]} `));
        return next !== undefined && new RegExp(`^${m[1]} +fsync\\(${m[2]}\\) += 0$`).test(next);
      });
      expect(synced, command).toBe(true);
    }
  });
});
