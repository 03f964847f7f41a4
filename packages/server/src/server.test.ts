// A real listening server (startServer on 127.0.0.1, port 0) driven over fetch with
// real signatures: the admin client, an organisation, webhook delivery to a receiver
// that is down and then up (delivered once, signature valid), the retention job, the
// test clock and a graceful close.

import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, canonicaliseIdentifier, SigningKey, signRequest, verifyWebhook } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AdminClient } from './cli/admin-client.js';
import { bootstrapKeys, destroyKeyMaterial } from './cli/bootstrap.js';
import { loadConfig } from './cli/config.js';
import { main } from './cli/main.js';
import { loadSigningKeyFile, loadSymmetricKeyFile } from './ops/key-files.js';
import { GaugeCache } from './ops/gauge-cache.js';
import { createLogger } from './ops/logger.js';
import { Metrics } from './ops/metrics.js';
import { type RunningServer, startServer } from './server.js';
import { captureCliIo } from './testing/cli-io.js';
import { watchSecretCopies } from './testing/secret-copies.js';
import { freshPort } from '../../../test/support/ports.js';
import { caseKey, casePseudonymKey, caseSigningKey } from '../../../test/support/case-keys.js';
import { nextRequestReading, sendHalfBody } from '../../../test/support/raw-request.js';

let dir: string;
let server: RunningServer;
const logs: string[] = [];
const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
let receiverUp = false;
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (!receiverUp) {
      res.statusCode = 503;
      res.end();
      return;
    }
    received.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.statusCode = 204;
    res.end();
  });
});
// The engine accepts https webhook URLs only; the worker's fetch is pointed at the
// local plain-HTTP receiver, while the signature still covers the registered https URL.
const hookUrl = 'https://receiver.test/hook';
let receiverBase: string;

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'sluis-server-live-'));
  const config = loadConfig({
    flags: {
      'data-dir': dir,
      port: '0',
      'test-clock': true,
      'retention-interval': '1',
      'webhook-interval': '0.2',
    },
    env: { NODE_ENV: 'test' },
    cwd: dir,
  });
  server = await startServer({
    config,
    logger: createLogger({ write: (l: string) => logs.push(l) }, 'debug'),
    fetch: (input, init) => fetch(String(input).replace('https://receiver.test', receiverBase), init),
  });
});
afterAll(async () => {
  await server.close();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a real listening server', () => {
  it('answers health, readiness and signed admin and organisation requests over HTTP', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const admin = new AdminClient({
      baseUrl: server.url,
      key: caseKey(loadSigningKeyFile(server.keys.adminKeyFile)),
    });
    const orgKey = caseSigningKey();
    const admitted = await admin.request('POST', '/v1/admin/organisations', {
      body: {
        name: 'Jeugdzorg',
        type: 'youth_care',
        publicKeys: [base64url.encode(orgKey.publicKey)],
        webhookUrl: hookUrl,
      },
    });
    expect(admitted.status).toBe(201);
    const other = caseSigningKey();
    await admin.request('POST', '/v1/admin/organisations', {
      body: { name: 'School', type: 'school', publicKeys: [base64url.encode(other.publicKey)] },
    });
    const pk = casePseudonymKey(new Uint8Array(32).fill(1), 1);
    const subject = [pk.pseudonymise(canonicaliseIdentifier('bsn', '123456782'))];
    const org = new AdminClient({ baseUrl: server.url, key: orgKey });
    const place = (c: AdminClient, name: string) =>
      c.request('POST', '/v1/signals', {
        body: {
          requestId: crypto.randomUUID(),
          subject,
          contact: { name, role: 'consulent', email: 'x@example.nl' },
          informed: { status: 'not_yet' },
        },
      });
    expect((await place(org, 'A')).status).toBe(201);
    expect((await place(new AdminClient({ baseUrl: server.url, key: other }), 'B')).status).toBe(201);
    const inbox = (await org.request('GET', '/v1/matches')).body as { items: unknown[] };
    expect(inbox.items).toHaveLength(1);
  });

  it('delivers the webhook once the receiver is up, signed with the server key', async () => {
    const wait = async (pred: () => boolean | Promise<boolean>, ms = 8000) => {
      const end = Date.now() + ms;
      while (!(await pred())) {
        if (Date.now() > end)
          throw new Error(`timed out: ${logs.filter((l) => l.includes('webhook')).join('')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // The receiver was down for the first attempt.
    await wait(async () => {
      const pending = await server.engine.listDeliveries({ status: 'pending' });
      return pending.some((d) => d.attempts >= 1 && d.lastErrorCode === 'rejected');
    });
    receiverUp = true;
    server.testClock!.advance(3_600_000);
    server.webhooks.wake();
    await wait(() => received.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(1);
    const pub = JSON.parse(readFileSync(join(dir, 'keys', 'webhook-signing.pub.json'), 'utf8')) as {
      keyId: string;
      publicKey: string;
    };
    const got = received[0]!;
    const v = verifyWebhook({
      targetUri: hookUrl,
      headers: got.headers as Record<string, string>,
      body: new Uint8Array(got.body),
      serverKeys: new Map([[pub.keyId, base64url.decode(pub.publicKey)!]]),
    });
    expect(v.ok).toBe(true);
    const payload = JSON.parse(got.body.toString('utf8'));
    expect(Object.keys(payload).sort()).toEqual(['cursor', 'matchId', 'type']);
    expect(got.body.toString('utf8')).not.toContain('example.nl');
  });

  it('/metrics over HTTP needs the token the first start put in keys/metrics.token (0600)', async () => {
    const file = join(dir, 'keys', 'metrics.token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const open = await fetch(`${server.url}/metrics`);
    expect(open.status).toBe(401);
    expect(((await open.json()) as { code: string }).code).toBe('metrics_token_required');
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    await wrong.body?.cancel();
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('sluis_http_requests_total');
  });

  it('runs retention on its schedule', async () => {
    const end = Date.now() + 5000;
    // `by` tells it from an administrator's run (docs/operations.md "Logs").
    while (!logs.some((l) => l.includes('"event":"retention_run"') && l.includes('"by":"schedule"'))) {
      if (Date.now() > end) throw new Error('retention did not run');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('the admin client re-syncs to the server time after the test clock moved', async () => {
    server.testClock!.advance(30 * 86_400_000);
    const admin = new AdminClient({
      baseUrl: server.url,
      key: caseKey(loadSigningKeyFile(server.keys.adminKeyFile)),
    });
    const r = await admin.request('GET', '/v1/admin/statistics');
    expect(r.status).toBe(200);
  });
});

/** keys/ of a data directory that started before (bootstrapKeys), its keys zeroed again. */
function existingKeys(dataDir: string): void {
  destroyKeyMaterial(bootstrapKeys(dataDir, { metricsToken: true }));
}

// docs/operations.md "Shutdown": a start that fails once it holds keys closes what it opened and
// zeroes its keys before it fails with its own error.
describe('a start that fails once it holds keys', () => {
  /** A start on a fresh data directory with `flags`; its error, its log lines, the keys it zeroed. */
  async function failedStart(flags: Record<string, string>, before?: (dir: string) => void) {
    const failDir = mkdtempSync(join(tmpdir(), 'sluis-server-failed-start-'));
    before?.(failDir);
    const lines: string[] = [];
    const destroy = vi.spyOn(SigningKey.prototype, 'destroy');
    // Every key the start loads (loadSigningKeyFile), to see that the same instances are zeroed.
    const loaded = vi.spyOn(SigningKey, 'fromSeed');
    // Every copy of the server secret the start makes, to see that each is zeroed.
    const secretCopies = watchSecretCopies();
    try {
      const error = await startServer({
        config: loadConfig({
          flags: { 'data-dir': failDir, host: '127.0.0.1', port: '0', ...flags },
          env: { NODE_ENV: 'test' },
          cwd: failDir,
        }),
        logger: createLogger({ write: (l: string) => lines.push(l) }, 'debug'),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      secretCopies.stop();
      const made = loaded.mock.results.map((r) => r.value as SigningKey);
      const zeroed = new Set(destroy.mock.contexts as SigningKey[]);
      // Every instance of the key in `file` that the start loaded is zeroed.
      const allZeroed = (file: string) => {
        const { keyId } = caseKey(loadSigningKeyFile(join(failDir, 'keys', file)));
        const instances = made.filter((k) => k.keyId === keyId);
        return instances.length > 0 && instances.every((k) => zeroed.has(k));
      };
      // The server secret: the copy read from its file and ServerSecrets' own, both zeroed.
      const secret = loadSymmetricKeyFile(join(failDir, 'keys', 'server-secret-1.key'), 32, 32);
      const secrets = secretCopies.copiesOf(secret);
      secret.fill(0);
      const secretsZeroed = secrets.copies >= 2 && secrets.live === 0;
      return {
        error,
        files: readdirSync(failDir).sort(),
        events: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
        log: lines.join('\n'),
        failDir,
        // The keys the server holds in memory: the webhook signing key (ServerKeys holds the
        // instance bootstrapKeys loaded), the credential issuer's and the server secret.
        zeroedKeys: () => [
          allZeroed('webhook-signing.key'),
          allZeroed('credential-issuer.key'),
          secretsZeroed,
        ],
        secretsZeroed,
        /** How many keys the start loaded, and whether it zeroed every one. */
        loaded: made.length,
        allLoadedZeroed: made.every((k) => zeroed.has(k)),
      };
    } finally {
      destroy.mockRestore();
      loaded.mockRestore();
      secretCopies.restore();
    }
  }

  it('the port taken: the database closed, the keys zeroed, the listen error thrown', async () => {
    const port = new URL(server.url).port;
    const r = await failedStart({ port });
    expect(r.error).toMatchObject({ code: 'EADDRINUSE' });
    // SQLite removes the WAL at the last close of the database.
    expect(r.files).toEqual(['keys', 'sluis.db']);
    expect(r.zeroedKeys()).toEqual([true, true, true]);
    expect(r.events.map((e) => e.event)).not.toContain('close_step_failed');
    rmSync(r.failDir, { recursive: true, force: true });
  });

  it('a step after the listen fails (the gauges): the port closed again, the database closed, the keys zeroed', async () => {
    // A port nothing listens on and no other process draws (test/support/ports.ts), so that the
    // test can knock on it after the start failed.
    const port = await freshPort();
    const start = vi.spyOn(GaugeCache.prototype, 'start').mockImplementation(() => {
      throw Object.assign(new Error('cannot start'), { code: 'EPERM' });
    });
    try {
      const r = await failedStart({ port: String(port) });
      expect(r.error).toMatchObject({ code: 'EPERM' });
      const knock = await new Promise<unknown>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (e) => resolve(e));
      });
      expect(knock).toMatchObject({ code: 'ECONNREFUSED' });
      expect(r.files).toEqual(['keys', 'sluis.db']);
      expect(r.zeroedKeys()).toEqual([true, true, true]);
      expect(r.events.map((e) => e.event)).not.toContain('close_step_failed');
      rmSync(r.failDir, { recursive: true, force: true });
    } finally {
      start.mockRestore();
    }
  });

  it('a step before the listen fails (the portal files): the database closed, the keys zeroed', async () => {
    // A portal build with a file that cannot be read (a dangling link): loadPortal throws.
    const portal = mkdtempSync(join(tmpdir(), 'sluis-server-portal-'));
    writeFileSync(join(portal, 'index.html'), '<!doctype html>');
    mkdirSync(join(portal, 'assets'));
    symlinkSync(join(portal, 'gone.js'), join(portal, 'assets', 'app.js'));
    const r = await failedStart({ 'portal-dir': portal });
    expect(r.error).toMatchObject({ code: 'ENOENT' });
    expect(r.files).toEqual(['keys', 'sluis.db']);
    expect(r.zeroedKeys()).toEqual([true, true, true]);
    rmSync(r.failDir, { recursive: true, force: true });
    rmSync(portal, { recursive: true, force: true });
  });

  it('a close step that fails is logged by its code alone, and the start’s own error is the one thrown', async () => {
    const stop = vi.spyOn(Metrics.prototype, 'stop').mockImplementation(function (this: Metrics) {
      throw Object.assign(new Error(`cannot stop, see ${tmpdir()}/sluis-secret-path`), { code: 'EPERM' });
    });
    try {
      const r = await failedStart({ port: new URL(server.url).port });
      expect(r.error).toMatchObject({ code: 'EADDRINUSE' });
      // The steps after it ran: the database is closed, the keys zeroed.
      expect(r.files).toEqual(['keys', 'sluis.db']);
      expect(r.zeroedKeys()).toEqual([true, true, true]);
      const warned = r.events.filter((e) => e.event === 'close_step_failed');
      expect(warned.map(({ time: _t, ...e }) => e)).toEqual([
        { level: 'warn', event: 'close_step_failed', step: 'metrics', errorCode: 'EPERM' },
      ]);
      expect(r.log).not.toContain('sluis-secret-path');
      rmSync(r.failDir, { recursive: true, force: true });
    } finally {
      stop.mockRestore();
    }
  });

  it('a start that fails before the engine opens (an unreadable webhook key state): the keys zeroed, no database', async () => {
    const r = await failedStart({}, (d) => {
      existingKeys(d);
      writeFileSync(join(d, 'keys', 'webhook-keys.json'), '{"keys":1}');
    });
    expect(r.error).toBeInstanceOf(TypeError);
    expect(r.files).toEqual(['keys']);
    expect(r.zeroedKeys()).toEqual([true, true, true]);
    rmSync(r.failDir, { recursive: true, force: true });
  });

  it('a key file refused while the keys are read (the credential issuer’s, metrics.token): no key left unzeroed', async () => {
    const issuer = await failedStart({}, (d) => {
      existingKeys(d);
      writeFileSync(join(d, 'keys', 'credential-issuer.key'), 'not a key\n', { mode: 0o600 });
    });
    expect(issuer.error).toMatchObject({ code: 'key_file_invalid' });
    // The webhook key was loaded before the issuer's file was refused, and zeroed then (as was
    // the admin key, read for its public half only).
    expect(issuer.loaded).toBeGreaterThanOrEqual(2);
    expect(issuer.allLoadedZeroed).toBe(true);
    expect(issuer.files).toEqual(['keys']);
    expect(issuer.log).not.toContain('not a key');
    const token = await failedStart({}, (d) => {
      existingKeys(d);
      writeFileSync(join(d, 'keys', 'metrics.token'), 'short\n', { mode: 0o600 });
    });
    expect(token.error).toMatchObject({ code: 'key_file_invalid' });
    expect(token.allLoadedZeroed).toBe(true);
    expect([issuer.secretsZeroed, token.secretsZeroed]).toEqual([true, true]);
    for (const r of [issuer, token]) rmSync(r.failDir, { recursive: true, force: true });
  });

  it('a bad mail configuration, the keys already there: exit 2 before a key is read into memory', async () => {
    const mailDir = mkdtempSync(join(tmpdir(), 'sluis-server-bad-mail-'));
    existingKeys(mailDir);
    writeFileSync(join(mailDir, 'mail.json'), '{"host":"smtp.example.nl"}');
    const loaded = vi.spyOn(SigningKey, 'fromSeed');
    try {
      const c = captureCliIo(mailDir);
      const code = await main(
        ['start', '--data-dir', mailDir, '--host', '127.0.0.1', '--port', '0', '--mail-config', 'mail.json'],
        { NODE_ENV: 'test' },
        c.io,
      );
      expect(code).toBe(2);
      expect(c.err()).toContain('invalid mail configuration');
      // No key was loaded, so none is left in memory unzeroed; nothing was opened.
      expect(loaded).not.toHaveBeenCalled();
      expect(readdirSync(mailDir).sort()).toEqual(['keys', 'mail.json']);
      expect(c.out()).not.toContain('server_started');
    } finally {
      loaded.mockRestore();
      rmSync(mailDir, { recursive: true, force: true });
    }
  });

  it('at the stop, a handler of a connection cut at the time limit ends before the database is closed and the keys zeroed', async () => {
    const stopDir = mkdtempSync(join(tmpdir(), 'sluis-server-stop-cut-'));
    const running = await startServer({
      config: loadConfig({
        flags: { 'data-dir': stopDir, host: '127.0.0.1', port: '0', 'shutdown-timeout': '0' },
        env: { NODE_ENV: 'test' },
        cwd: stopDir,
      }),
      logger: createLogger({ write: () => undefined }, 'debug'),
    });
    const order: string[] = [];
    const closeDatabase = running.engine.close.bind(running.engine);
    const closed = vi.spyOn(running.engine, 'close').mockImplementation(async () => {
      order.push('database closed');
      await closeDatabase();
    });
    // /readyz's handler held in engine.ready() until released, then using the keys.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const ready = vi.spyOn(running.engine, 'ready').mockImplementation(async () => {
      entered();
      await held;
      running.keys.serverSecrets.derive(1, Buffer.alloc(32));
      order.push('handler ended on live keys');
      return { ready: true };
    });
    try {
      const answer = fetch(`${running.url}/readyz`).then(
        () => 'answered',
        () => 'cut',
      );
      await inHandler;
      const stopped = running.close().then(() => order.push('stopped'));
      // The time limit (0 s) cuts the connection at once; its handler still runs.
      expect(await answer).toBe('cut');
      // The stop waits for it: a while later it has closed nothing (a wait for nothing to
      // happen; without the wait the database closes within milliseconds of the cut).
      await new Promise((r) => setTimeout(r, 500));
      expect(order).toEqual([]);
      release();
      await stopped;
      expect(order).toEqual(['handler ended on live keys', 'database closed', 'stopped']);
    } finally {
      release();
      ready.mockRestore();
      closed.mockRestore();
      await running.close();
      rmSync(stopDir, { recursive: true, force: true });
    }
  });

  it('at the stop, a request whose body is still arriving is cut at the time limit: request_aborted, not an error; the database closed, the keys zeroed', async () => {
    const stopDir = mkdtempSync(join(tmpdir(), 'sluis-server-stop-mid-body-'));
    const order: string[] = [];
    const lines: string[] = [];
    const org = caseSigningKey();
    const loaded = vi.spyOn(SigningKey, 'fromSeed');
    const destroy = vi.spyOn(SigningKey.prototype, 'destroy');
    const secretCopies = watchSecretCopies();
    try {
      const running = await startServer({
        config: loadConfig({
          flags: { 'data-dir': stopDir, host: '127.0.0.1', port: '0', 'shutdown-timeout': '0.3' },
          env: { NODE_ENV: 'test' },
          cwd: stopDir,
        }),
        logger: createLogger(
          {
            write: (l: string) => {
              lines.push(l);
              order.push((JSON.parse(l) as { event: string }).event);
            },
          },
          'debug',
        ),
      });
      secretCopies.stop();
      // What the start logged is not this test's (on an unsupported Node, node_unsupported at warn).
      const startLines = lines.length;
      const closeDatabase = running.engine.close.bind(running.engine);
      vi.spyOn(running.engine, 'close').mockImplementation(async () => {
        order.push('database closed');
        await closeDatabase();
      });
      // A signed placement (the body is read before the signature is checked) whose second
      // half never comes.
      const body = new TextEncoder().encode(
        JSON.stringify({ requestId: crypto.randomUUID(), pad: 'x'.repeat(4000) }),
      );
      const headers = {
        'content-type': 'application/json',
        ...signRequest(org, { method: 'POST', path: '/v1/signals', query: '' }, body),
      };
      const reading = nextRequestReading(running.httpServer as Server);
      const upload = await sendHalfBody(running.url, '/v1/signals', headers, body);
      await reading;
      const began = Date.now();
      await running.close();
      // The stop waited its time limit for the body, then cut the connection unanswered.
      expect(Date.now() - began).toBeGreaterThanOrEqual(250);
      expect(await upload.closed).toBe('');
      const events = lines.slice(startLines).map((l) => JSON.parse(l) as Record<string, unknown>);
      // The cut request's line: info, its route and ids only — not unexpected_error, no request
      // line with a status nobody received, nothing at warn or error.
      expect(events.filter((e) => e.route === '/v1/signals')).toEqual([
        {
          time: expect.any(String),
          level: 'info',
          event: 'request_aborted',
          route: '/v1/signals',
          method: 'POST',
          durationMs: expect.any(Number),
          correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        },
      ]);
      expect(events.filter((e) => e.level === 'error' || e.level === 'warn')).toEqual([]);
      // Its handler ended before the database was closed; the stop completed.
      expect(
        order.filter((e) => ['request_aborted', 'database closed', 'server_stopped'].includes(e)),
      ).toEqual(['request_aborted', 'database closed', 'server_stopped']);
      // The database closed (SQLite removes the WAL at the last close) …
      expect(readdirSync(stopDir).sort()).toEqual(['keys', 'sluis.db']);
      // … and every key the start loaded zeroed: the signing keys, each copy of the server secret.
      const made = loaded.mock.results.map((r) => r.value as SigningKey);
      const zeroed = new Set(destroy.mock.contexts as SigningKey[]);
      expect(made.length).toBeGreaterThanOrEqual(2);
      expect(made.filter((k) => !zeroed.has(k))).toEqual([]);
      const secret = loadSymmetricKeyFile(join(stopDir, 'keys', 'server-secret-1.key'), 32, 32);
      try {
        expect(secretCopies.copiesOf(secret)).toMatchObject({ live: 0 });
      } finally {
        secret.fill(0);
      }
    } finally {
      loaded.mockRestore();
      destroy.mockRestore();
      secretCopies.restore();
      rmSync(stopDir, { recursive: true, force: true });
    }
  });

  it('at the stop, a step that fails is logged and the later steps still run (the keys zeroed, server_stopped)', async () => {
    const stopDir = mkdtempSync(join(tmpdir(), 'sluis-server-stop-step-'));
    const lines: string[] = [];
    const destroy = vi.spyOn(SigningKey.prototype, 'destroy');
    const secretCopies = watchSecretCopies();
    const stop = vi.spyOn(Metrics.prototype, 'stop').mockImplementation(function (this: Metrics) {
      throw Object.assign(new Error('cannot stop'), { code: 'EPERM' });
    });
    try {
      const running = await startServer({
        config: loadConfig({
          flags: { 'data-dir': stopDir, host: '127.0.0.1', port: '0' },
          env: { NODE_ENV: 'test' },
          cwd: stopDir,
        }),
        logger: createLogger({ write: (l: string) => lines.push(l) }, 'debug'),
      });
      const before = destroy.mock.calls.length;
      secretCopies.stop();
      const secret = loadSymmetricKeyFile(join(stopDir, 'keys', 'server-secret-1.key'), 32, 32);
      try {
        // ServerSecrets' copy is live while the server runs …
        expect(secretCopies.copiesOf(secret).live).toBe(1);
        await running.close();
        // … and zeroed by the stop, after which the secrets refuse to derive.
        expect(secretCopies.copiesOf(secret)).toMatchObject({ live: 0 });
      } finally {
        secret.fill(0);
      }
      expect(() => running.keys.serverSecrets.derive(1, Buffer.alloc(32))).toThrow(
        expect.objectContaining({ code: 'store_closed' }),
      );
      const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(events.filter((e) => e.event === 'close_step_failed').map(({ time: _t, ...e }) => e)).toEqual([
        { level: 'warn', event: 'close_step_failed', step: 'metrics', errorCode: 'EPERM' },
      ]);
      // The steps after the failed one ran: the keys zeroed, the stop logged, the WAL gone.
      expect(destroy.mock.calls.length).toBeGreaterThan(before);
      expect(events.at(-1)?.event).toBe('server_stopped');
      expect(readdirSync(stopDir).sort()).toEqual(['keys', 'sluis.db']);
    } finally {
      stop.mockRestore();
      destroy.mockRestore();
      secretCopies.restore();
      rmSync(stopDir, { recursive: true, force: true });
    }
  });
});
