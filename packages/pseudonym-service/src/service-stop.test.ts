// The service's stop with requests in flight (docs/operations.md "Pseudonym service", Stopping):
// a request under way when the stop begins is answered (`Connection: close`) within the stop's
// time limit, its logbook line and its nonce on disk; one that outlasts the limit has its
// connection cut — one whose body has not arrived writes nothing, one already past its body has
// its handler end before the logbook and nonces.log are closed, the keys zeroed and the lock
// released: no write to a closed file, no refusal by zeroed keys, no descriptor of the data
// directory left open. A request is held honestly: its body
// sent in two parts over a raw socket, or libuv's thread pool (where the service verifies a
// signature and runs its fdatasyncs) held by FIFOs that block their reader's open(2).

import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { type SignatureHeaders, base64url, signRequest } from '@sluis/client-sdk';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { SERVER_WAIT } from '../../../test/support/server-wait.js';
import { Logbook } from './logbook.js';
import type { RunningService } from './service.js';
import { cli, startedServices } from './testing/cli.js';
import { openFilesUnder, secretOf, watchDecodes } from './testing/key-copies.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';
import { sendHalfBody } from '../../../test/support/raw-request.js';

const { start } = startedServices();

async function setup(extra: { shutdownTimeoutSeconds?: number } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'sluis-ps-stop-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 }); // as the install makes it: init as root does not
  expect((await cli(['init', '--data-dir', dataDir])).code).toBe(0);
  expect((await cli(['add-epoch', '--epoch', '7', '--data-dir', dataDir])).code).toBe(0);
  const org = caseSigningKey();
  onTestFinished(() => org.destroy());
  const admit = ['admit', '--name', 'Org A', `--public-key=${base64url.encode(org.publicKey)}`];
  expect((await cli([...admit, '--data-dir', dataDir])).code).toBe(0);
  const watch = watchDecodes();
  // Each test stops it itself; afterEach's close() (a no-op then) stops one a failed check left.
  const service = await start(dataDir, extra);
  watch.stop();
  const secret = secretOf(dataDir, 7);
  expect(watch.copiesOf(secret)).toEqual({ copies: 1, live: 1 });
  // What the service writes to stderr meanwhile (an internal_error line names EBADF, ENOSPC …).
  const stderr: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest) => {
    stderr.push(String(chunk));
    return write(chunk, ...(rest as []));
  });
  onTestFinished(() => spy.mockRestore());
  const body = new TextEncoder().encode(
    JSON.stringify({
      epoch: 7,
      blindedElements: [base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([1, 2, 3])).blinded)],
    }),
  );
  const headers = signRequest(org, { method: 'POST', path: '/v1/evaluate', query: '' }, body);
  const nonce = /nonce="([^"]+)"/.exec(headers['signature-input']!)![1]!;
  return {
    root,
    dataDir,
    service,
    body,
    headers,
    nonce,
    stderr,
    /** Every key copy the start made is zeroed now. */
    keysZeroed: () => watch.copiesOf(secret).live === 0,
  };
}

/** Resolves with the request once the service has its headers (its handler runs). */
const nextRequest = (service: RunningService) =>
  new Promise<IncomingMessage>((resolve) => service.server.once('request', resolve));

/** `close()` and whether it has resolved yet. */
function stopping(service: RunningService) {
  const state = { done: false };
  const stopped = service.close().then(() => {
    state.done = true;
  });
  return { stopped, state };
}

/** An evaluate request over a raw socket: its head and the first half of its body now, the rest on `rest()`. */
const slowUpload = (s: { service: RunningService; headers: SignatureHeaders; body: Uint8Array }) =>
  sendHalfBody(s.service.url, '/v1/evaluate', { 'content-type': 'application/json', ...s.headers }, s.body);

/**
 * Holds every thread of libuv's pool: each one opens a FIFO for reading, which blocks in open(2)
 * until a writer opens it. Meanwhile the service's next step on the pool — the Ed25519 check of
 * a request's signature, an fdatasync — waits: a request held in its handler by no hook of the
 * service's. `release()` opens each FIFO for writing, so every open returns.
 */
function holdThreadPool(dir: string) {
  const size = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const fifos = Array.from({ length: size }, (_, i) => join(dir, `fifo-${i}`));
  for (const f of fifos) execFileSync('mkfifo', [f]);
  const readers = fifos.map((f) => open(f, 'r'));
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    for (const f of fifos) {
      // A reader is in open(2) on it (ENXIO until the pool's thread has begun it).
      await vi.waitFor(() => closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK)), {
        timeout: SERVER_WAIT,
      });
    }
    for (const r of await Promise.all(readers)) await r.close();
  };
  onTestFinished(release);
  return release;
}

const lines = (dataDir: string, file: string) =>
  existsSync(join(dataDir, file))
    ? readFileSync(join(dataDir, file), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];

describe('the stop with requests in flight', () => {
  it('answers a request whose body is still arriving, then closes the files, zeroes the keys and releases the lock', async () => {
    const s = await setup();
    const arrived = nextRequest(s.service);
    const upload = await slowUpload(s);
    await arrived;
    const stop = stopping(s.service);
    // No new connection is taken once the stop has begun.
    await expect(fetch(`${s.service.url}/healthz`)).rejects.toThrow();
    // The stop waits for the request (its time limit is the default 10 s).
    expect(stop.state.done).toBe(false);
    await upload.rest();
    const answer = await upload.closed;
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
    await stop.stopped;
    expect(lines(s.dataDir, 'logbook.jsonl').filter((l) => l.includes('"event":"evaluated"'))).toHaveLength(
      1,
    );
    expect(lines(s.dataDir, 'nonces.log').filter((l) => l.endsWith(` ${s.nonce}`))).toHaveLength(1);
    expect(s.stderr.filter((l) => l.includes('internal_error'))).toEqual([]);
    expect(openFilesUnder(s.dataDir)).toEqual([]);
    expect(s.keysZeroed()).toBe(true);
    expect(existsSync(join(s.dataDir, 'service.lock'))).toBe(false);
  });

  it('zeroes the keys as soon as no request runs, before the logbook and nonces.log are closed', async () => {
    const s = await setup();
    const zeroedAtClose: boolean[] = [];
    const close = Logbook.prototype.close;
    const spy = vi.spyOn(Logbook.prototype, 'close').mockImplementation(function (this: Logbook) {
      zeroedAtClose.push(s.keysZeroed());
      return close.call(this);
    });
    onTestFinished(() => spy.mockRestore());
    await s.service.close();
    expect(zeroedAtClose).toEqual([true]);
    expect(openFilesUnder(s.dataDir)).toEqual([]);
    expect(existsSync(join(s.dataDir, 'service.lock'))).toBe(false);
  });

  it('cuts a request whose body has not arrived within the time limit: nothing written, nothing left open', async () => {
    const s = await setup({ shutdownTimeoutSeconds: 0.3 });
    const arrived = nextRequest(s.service);
    const upload = await slowUpload(s);
    await arrived;
    const began = Date.now();
    const stop = stopping(s.service);
    // Cut unanswered once the limit is over; the stop then ends without waiting for the body.
    expect(await upload.closed).toBe('');
    await stop.stopped;
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    expect(lines(s.dataDir, 'logbook.jsonl').filter((l) => /"event":"(evaluated|refused)"/.test(l))).toEqual(
      [],
    );
    expect(lines(s.dataDir, 'nonces.log')).toEqual([]);
    // The line of any request whose connection goes before its body is complete (the stop's
    // cut here, a client hanging up elsewhere): info, not an error, its route and an id only.
    expect(s.stderr.filter((l) => l !== '').map((l) => JSON.parse(l))).toEqual([
      {
        level: 'info',
        event: 'request_aborted',
        correlationId: expect.stringMatching(/^[0-9a-f]{16}$/),
        route: '/v1/evaluate',
      },
    ]);
    expect(openFilesUnder(s.dataDir)).toEqual([]);
    expect(s.keysZeroed()).toBe(true);
    expect(existsSync(join(s.dataDir, 'service.lock'))).toBe(false);
  });

  it('cuts a request that outlasts the time limit, and closes nothing until its handler has ended', async () => {
    const s = await setup({ shutdownTimeoutSeconds: 0.3 });
    const release = holdThreadPool(s.root);
    const arrived = nextRequest(s.service);
    const answer = fetch(`${s.service.url}/v1/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...s.headers },
      body: s.body,
    }).then(
      (r) => r.status,
      () => 'cut',
    );
    // Its whole body read: the handler goes on to the signature check, which waits for the pool.
    const req = await arrived;
    if (!req.readableEnded) await new Promise((resolve) => req.once('end', resolve));
    const stop = stopping(s.service);
    // Past the limit the connection is cut; the stop still waits for the handler.
    expect(await answer).toBe('cut');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stop.state.done).toBe(false);
    expect(s.keysZeroed()).toBe(false);
    await release();
    await stop.stopped;
    // The handler ran to its end on live keys and open files: its line and nonce are on disk
    // (evaluated, though its answer was cut), no write failed, nothing is left open.
    expect(lines(s.dataDir, 'logbook.jsonl').filter((l) => l.includes('"event":"evaluated"'))).toHaveLength(
      1,
    );
    expect(lines(s.dataDir, 'nonces.log').filter((l) => l.endsWith(` ${s.nonce}`))).toHaveLength(1);
    expect(s.stderr.filter((l) => l.includes('internal_error'))).toEqual([]);
    expect(openFilesUnder(s.dataDir)).toEqual([]);
    expect(s.keysZeroed()).toBe(true);
    expect(existsSync(join(s.dataDir, 'service.lock'))).toBe(false);
    // Released: the next start on this data directory is not refused.
    expect((await start(s.dataDir)).url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});
