// A client that goes away while its request body is still arriving (a lost signal, a proxy's
// timeout) on a real listening server, over a raw socket: one `request_aborted` line at level
// info with the route and the correlation id — never `unexpected_error`, no `request` line with
// a status nobody received, no value of the body — counted in sluis_http_requests_aborted_total,
// not as an answer; the server serves the next request, and a body that is merely malformed is
// still refused 400; a body that does not arrive within the request timeout is answered 408 by
// node:http, and one whose chunked framing is malformed 400, each logged the same way
// (docs/operations.md "Logs").

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, canonicaliseIdentifier, signRequest } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AdminClient } from './cli/admin-client.js';
import { loadConfig } from './cli/config.js';
import { loadSigningKeyFile } from './ops/key-files.js';
import { createLogger } from './ops/logger.js';
import { type RunningServer, startServer } from './server.js';
import { casePseudonymKey, caseSigningKey } from '../../../test/support/case-keys.js';
import { bsnNeedles, scan } from '../../../test/support/leak-scan.js';
import {
  hangUpMidBody,
  MALFORMED_CHUNKS,
  malformedChunkedBody,
  sendHalfBody,
} from '../../../test/support/raw-request.js';
import { SERVER_WAIT } from '../../../test/support/server-wait.js';

const BSN = '123456782';
let dir: string;
let server: RunningServer;
const logs: string[] = [];
// Zeroed in an afterAll caseKey registers here, so after the one below has closed the server.
const org = caseSigningKey();
const pk = casePseudonymKey(new Uint8Array(32).fill(7), 1);
const subject = [pk.pseudonymise(canonicaliseIdentifier('bsn', BSN))];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-aborted-'));
  const config = loadConfig({ flags: { 'data-dir': dir, port: '0' }, env: { NODE_ENV: 'test' }, cwd: dir });
  // At debug level: a refusal's `request_refused` line would show too.
  server = await startServer({
    config,
    logger: createLogger({ write: (l: string) => logs.push(l) }, 'debug'),
  });
  const adminKey = loadSigningKeyFile(server.keys.adminKeyFile);
  try {
    const admin = new AdminClient({ baseUrl: server.url, key: adminKey });
    const admitted = await admin.request('POST', '/v1/admin/organisations', {
      body: { name: 'Jeugdzorg', type: 'youth_care', publicKeys: [base64url.encode(org.publicKey)] },
    });
    expect(admitted.status).toBe(201);
  } finally {
    adminKey.destroy();
  }
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A placement; `leaky`: its contact name carries the BSN and the pseudonym, values the log must never hold. */
const placement = (leaky = true) => ({
  requestId: crypto.randomUUID(),
  subject,
  contact: {
    name: leaky ? `Johanna ${BSN} ${subject[0]!.value}` : 'Johanna de Vries',
    role: 'consulent',
    email: 'j@example.nl',
  },
  informed: { status: 'not_yet' },
});

const signed = (path: string, body: Uint8Array) => ({
  'content-type': 'application/json',
  ...signRequest(org, { method: 'POST', path, query: '' }, body),
});

/** A signed POST hung up half way through its body once the handler has begun reading it. */
const hangUp = (path: string, body: Uint8Array) =>
  hangUpMidBody(server.httpServer as Server, server.url, path, signed(path, body), body);

const parsed = () => logs.map((l) => JSON.parse(l) as Record<string, unknown>);
/** The /metrics text, read with the server's token. */
async function metricsText(): Promise<string> {
  const token = readFileSync(join(dir, 'keys', 'metrics.token'), 'utf8').trim();
  return (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
}

describe('a client that hangs up in the middle of its body', () => {
  it('is one request_aborted line at level info, on a placement and on a batch of 900 kB', async () => {
    const one = new TextEncoder().encode(JSON.stringify(placement()));
    const items = Array.from({ length: 500 }, () => placement());
    const batch = new TextEncoder().encode(JSON.stringify({ items, pad: 'x'.repeat(900_000 - 500 * 300) }));
    expect(batch.length).toBeGreaterThan(800_000);
    logs.length = 0;
    expect(await hangUp('/v1/signals', one)).toBe('');
    await vi.waitFor(() => expect(logs.join('')).toContain('"route":"/v1/signals"'));
    expect(await hangUp('/v1/signals/batch', batch)).toBe('');
    await vi.waitFor(() => expect(logs.join('')).toContain('"route":"/v1/signals/batch"'));
    const lines = parsed();
    expect(lines).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        event: 'request_aborted',
        route: '/v1/signals',
        method: 'POST',
        durationMs: expect.any(Number),
        correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
      expect.objectContaining({ level: 'info', event: 'request_aborted', route: '/v1/signals/batch' }),
    ]);
    // No value of the body: not the BSN, not the pseudonym, not the contact.
    const log = logs.join('');
    for (const value of [BSN, subject[0]!.value, 'Johanna', 'example.nl']) expect(log).not.toContain(value);
  });

  it('the server serves the next request; a body that is merely malformed is still refused 400', async () => {
    logs.length = 0;
    const malformed = new TextEncoder().encode(`{"requestId": "${BSN}"`);
    const refused = await fetch(`${server.url}/v1/signals`, {
      method: 'POST',
      headers: signed('/v1/signals', malformed),
      body: malformed,
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'validation_failed', fields: ['body'] });
    const body = new TextEncoder().encode(JSON.stringify(placement(false)));
    const placed = await fetch(`${server.url}/v1/signals`, {
      method: 'POST',
      headers: signed('/v1/signals', body),
      body,
    });
    expect(placed.status).toBe(201);
    await placed.body?.cancel();
    expect(
      parsed()
        .filter((l) => l.event === 'request')
        .map((l) => [l.status, l.code]),
    ).toEqual([
      [400, 'validation_failed'],
      [201, undefined],
    ]);
    expect(parsed().filter((l) => l.event === 'request_aborted')).toEqual([]);
    expect(logs.join('')).not.toContain(BSN);
  });

  it('a body that does not arrive within requestTimeoutSeconds: node:http answers 408, the log says request_aborted', async () => {
    const slowDir = mkdtempSync(join(tmpdir(), 'sluis-aborted-slow-'));
    const slowLogs: string[] = [];
    const flags = { 'data-dir': slowDir, port: '0', 'headers-timeout': '1', 'request-timeout': '1' };
    const slow = await startServer({
      config: loadConfig({ flags, env: { NODE_ENV: 'test' }, cwd: slowDir }),
      logger: createLogger({ write: (l: string) => slowLogs.push(l) }),
    });
    try {
      slowLogs.length = 0;
      const body = new TextEncoder().encode(JSON.stringify(placement()));
      const upload = await sendHalfBody(slow.url, '/v1/signals', signed('/v1/signals', body), body);
      const received = await upload.closed;
      // node:http's own answer and nothing after it: no second answer (hono's placeholder) on the wire.
      expect(received).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
      await vi.waitFor(() => expect(slowLogs.join('')).toContain('request_aborted'));
      expect(slowLogs.map((l) => JSON.parse(l))).toEqual([
        expect.objectContaining({ level: 'info', event: 'request_aborted', route: '/v1/signals' }),
      ]);
      expect(slowLogs.join('')).not.toContain(BSN);
    } finally {
      await slow.close();
      rmSync(slowDir, { recursive: true, force: true });
    }
  });

  it('is counted as aborted in /metrics, never as an answer with a status', async () => {
    const text = await metricsText();
    expect(text).toContain('sluis_http_requests_aborted_total{route="/v1/signals",method="POST"} 1\n');
    expect(text).toContain('sluis_http_requests_aborted_total{route="/v1/signals/batch",method="POST"} 1\n');
    // The batch route had no answered request at all; /v1/signals only the two of the test above.
    expect(text).not.toMatch(/sluis_http_requests_total\{route="\/v1\/signals\/batch"/);
    expect(text.match(/^sluis_http_requests_total\{route="\/v1\/signals",.*$/gm)).toEqual([
      'sluis_http_requests_total{route="/v1/signals",method="POST",status="201"} 1',
      'sluis_http_requests_total{route="/v1/signals",method="POST",status="400"} 1',
    ]);
    expect(text).not.toMatch(/status="5\d\d"/);
  });

  it('a body whose chunked framing is malformed: node:http answers 400 itself, the log says request_aborted', async () => {
    const count = (text: string, series: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${series} `))
          ?.slice(series.length + 1) ?? 0,
      );
    // The lines of this test's requests (not those of its /metrics reads).
    const lines = () => parsed().filter((l) => l.route !== '/metrics');
    const aborted = 'sluis_http_requests_aborted_total{route="/v1/signals",method="POST"}';
    const before = await metricsText();
    logs.length = 0;
    for (const malformed of Object.values(MALFORMED_CHUNKS)) {
      // The chunk the handler reads holds the BSN, a value no line may hold (the body never
      // arrives whole, so nothing refuses its extra field).
      const body = new TextEncoder().encode(JSON.stringify({ note: BSN, ...placement() }));
      expect(new TextDecoder().decode(body.subarray(0, body.length >> 1))).toContain(BSN);
      const reply = await malformedChunkedBody(
        server.httpServer as Server,
        server.url,
        '/v1/signals',
        signed('/v1/signals', body),
        body,
        malformed,
      );
      // node:http's own answer and nothing after it: no second answer (hono's placeholder).
      expect(reply).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
    // A line for each (whatever it says: the next check shows it).
    await vi.waitFor(
      () => expect(lines().filter((l) => l.level !== 'debug').length).toBeGreaterThanOrEqual(2),
      { timeout: SERVER_WAIT },
    );
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        event: 'request_aborted',
        route: '/v1/signals',
        method: 'POST',
      }),
      expect.objectContaining({
        level: 'info',
        event: 'request_aborted',
        route: '/v1/signals',
        method: 'POST',
      }),
    ]);
    const leaks = scan(
      [{ label: 'log', bytes: Buffer.from(logs.join('')), text: true }],
      bsnNeedles(BSN, 'BSN'),
    );
    expect(leaks).toEqual([]);
    // The next request is served: its placement is taken (200 when the subject's signal is
    // there already from the tests above, 201 when this test runs alone).
    const next = new TextEncoder().encode(JSON.stringify(placement(false)));
    const placed = await fetch(`${server.url}/v1/signals`, {
      method: 'POST',
      headers: signed('/v1/signals', next),
      body: next,
    });
    expect([200, 201]).toContain(placed.status);
    await placed.body?.cancel();
    // Counted as aborted, twice; the only answer counted is the placement's: node:http's 400s
    // are no answer of the app's.
    const after = await metricsText();
    expect(count(after, aborted) - count(before, aborted)).toBe(2);
    const answered = (text: string) =>
      text.match(/^sluis_http_requests_total\{route="\/v1\/signals",.*$/gm)?.map((l) => {
        const [series, n] = l.split(' ');
        return [series, Number(n) - count(before, series!)];
      });
    expect(answered(after)?.filter(([, n]) => n !== 0)).toEqual([
      [`sluis_http_requests_total{route="/v1/signals",method="POST",status="${placed.status}"}`, 1],
    ]);
    expect(after).not.toMatch(/status="5\d\d"/);
    // No unexpected_error, nothing at warn or error: the two aborted, the next request's line
    // (and, at debug level, its request_authenticated).
    expect(
      lines()
        .filter((l) => l.level !== 'debug')
        .map((l) => [l.event, l.level]),
    ).toEqual([
      ['request_aborted', 'info'],
      ['request_aborted', 'info'],
      ['request', 'info'],
    ]);
  });
});
