// The service as the operator runs it: the built `sluis-pseudonym-service` as a process
// (dist/, built by the test setup). A failed start names the system's error code; a file
// the operator breaks while it runs is logged with its code and path (never its contents);
// a new or retired OPRF key's directory entry is made durable (fsync of keys/, seen with
// strace); an answered request's nonce is on disk before the answer leaves (fdatasync of
// nonces.log, seen with strace), so a process killed right after answering refuses the
// replay once restarted; concurrent requests share one fdatasync of the logbook and no
// answer leaves before its line is on disk (strace); one service per data directory
// (service.lock); admission edits of many processes at once all land (admission.json.lock).

import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { SigningKey, base64url, signRequest } from '@sluis/client-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { hasStrace } from './testing/strace.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'sluis-pseudonym-service.js');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGTERM');
});

/**
 * Every process this suite starts is killed (SIGKILL) after a time limit, so a wrong behaviour
 * (a second start that runs instead of exiting 4, a service that never answers) fails the test
 * instead of hanging it: spawnSync blocks the event loop, so vitest's own timeout cannot fire.
 * A command gets 20 s; a service the test's own 30 s, so it outlives no test.
 */
const limits = { timeout: 20_000, killSignal: 'SIGKILL' } as const;
const serviceLimits = { timeout: 30_000, killSignal: 'SIGKILL' } as const;

const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...limits });

function dataDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-proc-')), 'data');
  mkdirSync(dir, { mode: 0o700 }); // as the install makes it: init as root does not
  expect(run(['init', '--data-dir', dir]).status).toBe(0);
  expect(run(['add-epoch', '--epoch', '7', '--data-dir', dir]).status).toBe(0);
  return dir;
}

/**
 * Starts the service (the command as `wrap` makes it, e.g. under strace); resolves with its
 * URL, its process and a reader of its stderr.
 */
async function start(dir: string, wrap: (command: string[]) => string[] = (c) => c) {
  const [command, ...args] = wrap([process.execPath, BIN, 'start', '--port', '0', '--data-dir', dir]);
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'], ...serviceLimits });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', () => reject(new Error(`exited: ${stderr}`)));
    child.stdout!.once('data', (d) =>
      resolve((JSON.parse(String(d).split('\n')[0]!) as { url: string }).url),
    );
  });
  return { url, child, stderr: () => stderr };
}

/** A mount namespace of our own can be made (root, unshare): for a small, really full disk. */
const canMount = spawnSync('unshare', ['-m', 'true'], limits).status === 0;

/** An admitted organisation's key, and one signed evaluate request of it (its nonce fixed). */
function admitted(dir: string) {
  const org = SigningKey.generate();
  expect(
    run(['admit', '--name', 'Org A', `--public-key=${base64url.encode(org.publicKey)}`, '--data-dir', dir])
      .status,
  ).toBe(0);
  const element = base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([1, 2, 3])).blinded);
  const body = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: [element] }));
  const headers = signRequest(org, { method: 'POST', path: '/v1/evaluate', query: '' }, body);
  const send = async (url: string) => {
    const res = await fetch(`${url}/v1/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as { code?: string } };
  };
  return { send };
}

describe('pseudonym service process', () => {
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

  it('admission edits of many processes at once all land, one after another (admission.json.lock)', {
    timeout: 120_000,
  }, async () => {
    const dir = dataDir();
    const names = Array.from({ length: 16 }, (_, i) => `Org ${i}`);
    const codes = await Promise.all(
      names.map(
        (name) =>
          new Promise<number | null>((resolve) => {
            const key = base64url.encode(SigningKey.generate().publicKey);
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

  it.skipIf(!hasStrace)('fsyncs keys/ after creating and after destroying an epoch key (strace)', () => {
    const dir = dataDir();
    const trace = join(dir, '..', 'trace');
    const keys = join(dir, 'keys');
    for (const command of ['add-epoch', 'retire-epoch']) {
      rmSync(trace, { force: true });
      execFileSync(
        'strace',
        [
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
        ],
        limits,
      );
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

  it('refuses the replay of a request answered just before the process was killed (SIGKILL)', async () => {
    const dir = dataDir();
    const request = admitted(dir);
    const first = await start(dir);
    expect((await request.send(first.url)).status).toBe(200);
    const killed = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await killed;
    const again = await start(dir);
    expect(await request.send(again.url)).toMatchObject({ status: 401, body: { code: 'nonce_reused' } });
    expect(readFileSync(join(dir, 'logbook.jsonl'), 'utf8').match(/"event":"evaluated"/g)).toHaveLength(1);
  });

  it.skipIf(!hasStrace)('fdatasyncs the nonce before the answer leaves (strace)', async () => {
    const dir = dataDir();
    const request = admitted(dir);
    const trace = join(dir, '..', 'trace');
    const strace = ['strace', '-f', '-qq', '-e', 'trace=openat,write,writev,fdatasync', '-o', trace];
    const service = await start(dir, (c) => [...strace, ...c]);
    expect((await request.send(service.url)).status).toBe(200);
    await expect.poll(() => readFileSync(trace, 'utf8')).toContain('HTTP/1.1 200');
    const calls = readFileSync(trace, 'utf8').split('\n');
    process.kill(Number(calls[0]!.split(' ')[0]), 'SIGKILL');
    // The last nonces.log opened for appending, the append of the request's line to it, an
    // fdatasync of it that returned 0 after that append, and only then the answer.
    const nonces = join(dir, 'nonces.log');
    const openRe = new RegExp(`openat\\(AT_FDCWD, "${nonces}", O_WRONLY\\|O_APPEND[^)]*\\) = (\\d+)$`);
    const opened = calls.findLastIndex((l) => openRe.test(l));
    const fd = openRe.exec(calls[opened]!)![1];
    const appended = calls.findIndex((l, i) => i > opened && new RegExp(` write\\(${fd}, "\\d+ `).test(l));
    const synced = calls.findIndex(
      (l, i) =>
        i > appended &&
        (new RegExp(` fdatasync\\(${fd}\\) += 0$`).test(l) ||
          (/<\.\.\. fdatasync resumed>\) += 0$/.test(l) &&
            calls.slice(appended, i).some((c) => c.includes(` fdatasync(${fd} <unfinished`)))),
    );
    const answered = calls.findIndex((l) => l.includes('HTTP/1.1 200'));
    expect(appended).toBeGreaterThan(opened);
    expect(synced).toBeGreaterThan(appended);
    expect(answered).toBeGreaterThan(synced);
  });

  it.skipIf(!hasStrace)(
    'concurrent requests share the logbook fdatasync, and each answer waits for its line (strace)',
    async () => {
      const dir = dataDir();
      const org = SigningKey.generate();
      expect(
        run([
          'admit',
          '--name',
          'Org A',
          `--public-key=${base64url.encode(org.publicKey)}`,
          '--data-dir',
          dir,
        ]).status,
      ).toBe(0);
      const trace = join(dir, '..', 'trace');
      // Each fdatasync held 100 ms, so requests that arrive while one runs wait for the next: on a
      // busy machine the 16 could otherwise be answered one sync each. strace marks them "(DELAYED)".
      const strace = [
        'strace',
        '-f',
        '-qq',
        '-e',
        'trace=openat,write,writev,fdatasync',
        '-e',
        'inject=fdatasync:delay_exit=100000',
        '-o',
        trace,
      ];
      const service = await start(dir, (c) => [...strace, ...c]);
      const element = base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([5])).blinded);
      const body = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: [element] }));
      const statuses = await Promise.all(
        Array.from({ length: 16 }, async () => {
          const headers = signRequest(org, { method: 'POST', path: '/v1/evaluate', query: '' }, body);
          const res = await fetch(`${service.url}/v1/evaluate`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
          });
          await res.arrayBuffer();
          return res.status;
        }),
      );
      expect(statuses).toEqual(Array(16).fill(200));
      await expect.poll(() => readFileSync(trace, 'utf8').match(/HTTP\/1\.1 200/g)?.length).toBe(16);
      const calls = readFileSync(trace, 'utf8').split('\n');
      process.kill(Number(calls[0]!.split(' ')[0]), 'SIGKILL');
      const logbook = join(dir, 'logbook.jsonl');
      const openRe = new RegExp(
        `openat\\(AT_FDCWD, "${logbook}", O_WRONLY\\|O_CREAT\\|O_APPEND[^)]*\\) = (\\d+)$`,
      );
      const fd = openRe.exec(calls.findLast((l) => openRe.test(l))!)![1];
      // Walk the trace: lines written to the logbook, the lines an fdatasync of it covers (those
      // written before it began) once it returned 0, and the answers sent meanwhile.
      let written = 0;
      let durable = 0;
      let answers = 0;
      let syncs = 0;
      const started = new Map<string, number>();
      for (const l of calls) {
        const pid = l.split(' ')[0]!;
        if (new RegExp(` write\\(${fd}, "\\{`).test(l)) written++;
        else if (new RegExp(` fdatasync\\(${fd}\\) += 0( \\(DELAYED\\))?$`).test(l)) {
          syncs++;
          durable = Math.max(durable, written);
        } else if (l.includes(` fdatasync(${fd} <unfinished`)) started.set(pid, written);
        else if (/<\.\.\. fdatasync resumed>\) += 0( \(DELAYED\))?$/.test(l) && started.has(pid)) {
          syncs++;
          durable = Math.max(durable, started.get(pid)!);
          started.delete(pid);
        } else if (l.includes('HTTP/1.1 200')) {
          answers++;
          // The k-th answer needs k lines on disk: its own among them.
          expect(durable).toBeGreaterThanOrEqual(answers);
        }
      }
      expect(answers).toBe(16);
      expect(written).toBe(16);
      expect(syncs).toBeGreaterThan(0);
      expect(syncs).toBeLessThan(16);
    },
  );

  it.skipIf(!canMount)(
    'a full disk: refused 500 with its system code logged, nothing evaluated; the nonce written once there is room',
    async () => {
      // The service in a mount namespace of its own, its data directory on a 256 KiB tmpfs that
      // a filler file has used up; the test reaches that file through /proc/<pid>/root.
      const mount = mkdtempSync(join(tmpdir(), 'sluis-ps-full-'));
      const dir = join(mount, 'data');
      const org = SigningKey.generate();
      const cli = `"${process.execPath}" "${BIN}"`;
      const setup = [
        `mount -t tmpfs -o size=256k,mode=0700 tmpfs "${mount}"`,
        `mkdir -m 0700 "${dir}"`,
        `${cli} init --data-dir "${dir}"`,
        `${cli} add-epoch --epoch 7 --data-dir "${dir}"`,
        `${cli} admit --name "Org A" --public-key=${base64url.encode(org.publicKey)} --data-dir "${dir}"`,
      ].join(' && ');
      // One page left for the service's lock file (service-lock.ts), then none.
      const fill = `head -c 4096 /dev/zero > "${mount}/spare" && head -c 1048576 /dev/zero > "${mount}/fill" 2> /dev/null; rm "${mount}/spare"`;
      const script = `{ ${setup}; } > /dev/null && { ${fill}; exec ${cli} start --port 0 --data-dir "${dir}"; }`;
      const service = await start(dir, () => ['unshare', '-m', 'sh', '-c', script]);
      const inside = (path: string) => `/proc/${service.child.pid}/root${path}`;
      const element = base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([4])).blinded);
      const body = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: [element] }));
      const signed = () => signRequest(org, { method: 'POST', path: '/v1/evaluate', query: '' }, body);
      const send = async (headers: ReturnType<typeof signRequest>) => {
        const res = await fetch(`${service.url}/v1/evaluate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
        return { status: res.status, body: (await res.json()) as { code?: string; correlationId?: string } };
      };
      const first = signed();
      const full = await send(first);
      expect([full.status, full.body.code]).toEqual([500, 'internal']);
      await expect.poll(service.stderr).toContain('internal_error');
      expect(JSON.parse(service.stderr().trim().split('\n').at(-1)!)).toEqual({
        level: 'error',
        event: 'internal_error',
        correlationId: full.body.correlationId,
        code: 'ENOSPC',
      });
      expect(readFileSync(inside(join(dir, 'logbook.jsonl')), 'utf8')).not.toContain('"event":"evaluated"');
      // Room again: the next request writes its own nonce and the refused one's.
      rmSync(inside(join(mount, 'fill')));
      expect((await send(signed())).status).toBe(200);
      const nonceOf = (h: ReturnType<typeof signRequest>) =>
        /nonce="([^"]+)"/.exec(h['signature-input']!)![1]!;
      expect(readFileSync(inside(join(dir, 'nonces.log')), 'utf8')).toContain(nonceOf(first));
      expect(await send(first)).toMatchObject({ status: 401, body: { code: 'nonce_reused' } });
    },
  );
});
