// The service as the operator runs it, what it makes durable before it answers: a new or
// retired OPRF key's directory entry (fsync of keys/, seen with strace); an answered request's
// nonce on disk before the answer leaves (fdatasync of nonces.log, seen with strace), so a
// process killed right after answering refuses the replay once restarted; concurrent requests
// sharing one fdatasync of the logbook, no answer leaving before its line is on disk (strace);
// a full disk refused with its system code, the nonce written once there is room. The built
// `sluis-pseudonym-service` as a process (testing/process.ts).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { base64url, signRequest } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { DAY_MS, waitOverBoundary } from '../../../test/support/clock-boundary.js';
import { SERVER_WAIT } from '../../../test/support/server-wait.js';
import { admitted, BIN, canMount, dataDir, limits, run, start } from './testing/process.js';
import { hasStrace } from './testing/strace.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

describe('pseudonym service process: durable before it answers', () => {
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
    // strace writes the answer's line once it has the write's result: another process, which a
    // loaded machine may run later than the answer arrives here.
    await expect.poll(() => readFileSync(trace, 'utf8'), { timeout: SERVER_WAIT }).toContain('HTTP/1.1 200');
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
      const org = caseSigningKey();
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
      // The running service rotates its logbook at the UTC day change (a new file, a new
      // descriptor): the walk below reads one file, so the start and the 16 requests keep
      // within one day (10 s of room in the 30 s case).
      await waitOverBoundary(Date.now, DAY_MS, 10_000);
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
      await expect
        .poll(() => readFileSync(trace, 'utf8').match(/HTTP\/1\.1 200/g)?.length, { timeout: SERVER_WAIT })
        .toBe(16);
      const calls = readFileSync(trace, 'utf8').split('\n');
      process.kill(Number(calls[0]!.split(' ')[0]), 'SIGKILL');
      const logbook = join(dir, 'logbook.jsonl');
      const openRe = new RegExp(
        `openat\\(AT_FDCWD, "${logbook}", O_WRONLY\\|O_CREAT\\|O_APPEND[^)]*\\) = (\\d+)$`,
      );
      const opened = calls.findLastIndex((l) => openRe.test(l));
      const fd = openRe.exec(calls[opened]!)![1];
      // Walk the trace from the logbook's open on (before it, the same descriptor number may
      // have been another file's, a JSON file's too): lines written to the logbook, the lines an
      // fdatasync of it covers (those written before it began) once it returned 0, and the
      // answers sent meanwhile.
      let written = 0;
      let durable = 0;
      let answers = 0;
      let syncs = 0;
      const started = new Map<string, number>();
      for (const l of calls.slice(opened)) {
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
      const org = caseSigningKey();
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
