// A client that goes away while its evaluate request's body is still arriving (a lost signal, a
// proxy's timeout), on a real service over a raw socket: one `request_aborted` line at level info
// with the route and an id — never `internal_error`, never a value of the body — counted in
// sluis_pseudonym_evaluate_requests_aborted_total, not as a refusal `internal`; nothing evaluated
// or written; the service serves the next request, and a body that is merely malformed is still
// refused 400; a body that does not arrive within the request timeout is answered 408 by node:http
// (nothing after it) within a second of the timeout, and one whose chunked framing is malformed
// 400, each logged the same way (docs/operations.md "Pseudonym service").

import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { SigningKey, base64url, signRequest } from '@sluis/client-sdk';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { cli, startedServices } from './testing/cli.js';
import { bsnNeedles, scan } from '../../../test/support/leak-scan.js';
import {
  hangUpMidBody,
  MALFORMED_CHUNKS,
  malformedChunkedBody,
  sendHalfBody,
} from '../../../test/support/raw-request.js';
import { SERVER_WAIT } from '../../../test/support/server-wait.js';

const { start } = startedServices();
const BSN = '123456782';

async function setup() {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-aborted-')), 'data');
  mkdirSync(dataDir, { mode: 0o700 }); // as the install makes it: init as root does not
  expect((await cli(['init', '--data-dir', dataDir])).code).toBe(0);
  expect((await cli(['add-epoch', '--epoch', '7', '--data-dir', dataDir])).code).toBe(0);
  const org = SigningKey.generate();
  onTestFinished(() => org.destroy());
  const admit = ['admit', '--name', 'Org A', `--public-key=${base64url.encode(org.publicKey)}`];
  expect((await cli([...admit, '--data-dir', dataDir])).code).toBe(0);
  const service = await start(dataDir);
  // What the service writes to stderr: its runtime lines (internal_error, request_aborted …).
  const stderr: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest) => {
    stderr.push(String(chunk));
    return write(chunk, ...(rest as []));
  });
  onTestFinished(() => spy.mockRestore());
  const signed = (body: Uint8Array) => ({
    'content-type': 'application/json',
    ...signRequest(org, { method: 'POST', path: '/v1/evaluate', query: '' }, body),
  });
  /** A signed evaluate request of `body` over fetch. */
  const evaluate = (body: Uint8Array<ArrayBuffer>) =>
    fetch(`${service.url}/v1/evaluate`, { method: 'POST', headers: signed(body), body });
  /** The /metrics text, read with the service's token. */
  const metrics = async () => {
    const token = readFileSync(join(dataDir, 'metrics.token'), 'utf8').trim();
    return (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  };
  return { dataDir, service, stderr, signed, evaluate, metrics };
}

const element = () => base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([1, 2, 3])).blinded);
/** An evaluate body that carries a BSN besides its elements: a value no line may hold. */
const leakyBody = () =>
  new TextEncoder().encode(
    JSON.stringify({ epoch: 7, blindedElements: Array.from({ length: 50 }, element), note: BSN }),
  );
const lines = (dataDir: string, file: string) =>
  existsSync(join(dataDir, file)) ? readFileSync(join(dataDir, file), 'utf8') : '';

describe('a client that hangs up in the middle of its evaluate body', () => {
  it('is one request_aborted line at level info, nothing evaluated; the next requests are served', async () => {
    const s = await setup();
    const body = leakyBody();
    const headers = s.signed(body);
    const nonce = /nonce="([^"]+)"/.exec(headers['signature-input'])![1]!;
    // The handler runs and has begun reading the body (its first half is there), then the client goes.
    const received = await hangUpMidBody(s.service.server, s.service.url, '/v1/evaluate', headers, body);
    await vi.waitFor(() => expect(s.stderr.join('')).toContain('request_aborted'));
    expect(received).toBe('');
    expect(s.stderr.filter((l) => l !== '').map((l) => JSON.parse(l))).toEqual([
      {
        level: 'info',
        event: 'request_aborted',
        correlationId: expect.stringMatching(/^[0-9a-f]{16}$/),
        route: '/v1/evaluate',
      },
    ]);
    // Not evaluated, not charged, its nonce not used.
    expect(lines(s.dataDir, 'nonces.log')).not.toContain(nonce);
    expect(lines(s.dataDir, 'logbook.jsonl')).not.toMatch(/"event":"(evaluated|refused)"/);

    // The next requests: a well-formed one is evaluated, a malformed one refused 400.
    const good = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: [element()] }));
    const ok = await s.evaluate(good);
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
    const malformed = new TextEncoder().encode(`{"epoch":7,"note":"${BSN}"`);
    const refused = await s.evaluate(malformed);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'validation_failed' });

    // No other line; no value of either body in a line, the logbook or nonces.log.
    expect(s.stderr.filter((l) => l !== '')).toHaveLength(1);
    for (const text of [
      s.stderr.join(''),
      lines(s.dataDir, 'logbook.jsonl'),
      lines(s.dataDir, 'nonces.log'),
    ]) {
      expect(text).not.toContain(BSN);
    }

    // Counted as aborted, not as a refusal `internal`.
    const metrics = await s.metrics();
    expect(metrics).toContain('\nsluis_pseudonym_evaluate_requests_aborted_total 1\n');
    expect(metrics).toContain('sluis_pseudonym_refusals_total{code="validation_failed"} 1\n');
    expect(metrics).not.toContain('code="internal"');
  });

  it('a body not arrived within the request timeout: node:http answers 408 within a second of it, the line says request_aborted', async () => {
    const s = await setup();
    // The service's 30 s and 10 s (service.ts), shortened on this server only; node:http reads
    // them at each check, which runs every connectionsCheckingInterval (http/server.ts).
    s.service.server.requestTimeout = 1000;
    s.service.server.headersTimeout = 1000;
    const body = leakyBody();
    const headers = s.signed(body);
    const sent = performance.now();
    const upload = await sendHalfBody(s.service.url, '/v1/evaluate', headers, body);
    const received = await upload.closed;
    const after = performance.now() - sent;
    // node:http's own answer and nothing after it (no second answer from the handler).
    expect(received).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    // Within the timeout plus one checking interval (1 s each here; node:http's default interval
    // alone is 30 s), with a second's slack for a crowded machine.
    expect(after).toBeGreaterThanOrEqual(1000);
    expect(after).toBeLessThan(3000);
    await vi.waitFor(() => expect(s.stderr.join('')).toContain('request_aborted'));
    expect(s.stderr.filter((l) => l !== '').map((l) => JSON.parse(l))).toEqual([
      {
        level: 'info',
        event: 'request_aborted',
        correlationId: expect.stringMatching(/^[0-9a-f]{16}$/),
        route: '/v1/evaluate',
      },
    ]);
    expect(s.stderr.join('')).not.toContain(BSN);
  });

  it('a body whose chunked framing is malformed: node:http answers 400 itself, the line says request_aborted', async () => {
    const s = await setup();
    for (const malformed of Object.values(MALFORMED_CHUNKS)) {
      // The chunk the handler reads holds the BSN: a value no line may hold.
      const body = new TextEncoder().encode(
        JSON.stringify({ note: BSN, epoch: 7, blindedElements: Array.from({ length: 50 }, element) }),
      );
      expect(new TextDecoder().decode(body.subarray(0, body.length >> 1))).toContain(BSN);
      const reply = await malformedChunkedBody(
        s.service.server,
        s.service.url,
        '/v1/evaluate',
        s.signed(body),
        body,
        malformed,
      );
      // node:http's own answer and nothing after it (no second answer from the handler).
      expect(reply).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
    // A line for each (whatever it says: the next check shows it).
    await vi.waitFor(() => expect(s.stderr.filter((l) => l !== '').length).toBeGreaterThanOrEqual(2), {
      timeout: SERVER_WAIT,
    });
    const aborted = {
      level: 'info',
      event: 'request_aborted',
      correlationId: expect.stringMatching(/^[0-9a-f]{16}$/),
      route: '/v1/evaluate',
    };
    // Not internal_error: nothing else on stderr.
    expect(s.stderr.filter((l) => l !== '').map((l) => JSON.parse(l))).toEqual([aborted, aborted]);
    expect(lines(s.dataDir, 'logbook.jsonl')).not.toMatch(/"event":"(evaluated|refused)"/);
    const haystacks = [
      { label: 'stderr', bytes: Buffer.from(s.stderr.join('')), text: true },
      { label: 'logbook.jsonl', bytes: Buffer.from(lines(s.dataDir, 'logbook.jsonl')), text: true },
      { label: 'nonces.log', bytes: Buffer.from(lines(s.dataDir, 'nonces.log')), text: true },
    ];
    expect(scan(haystacks, bsnNeedles(BSN, 'BSN'))).toEqual([]);

    // The next request is evaluated.
    const good = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: [element()] }));
    const ok = await s.evaluate(good);
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
    expect(s.stderr.filter((l) => l !== '')).toHaveLength(2);

    // Counted as aborted, twice; neither a refusal nor an evaluated request.
    const metrics = await s.metrics();
    expect(metrics).toContain('\nsluis_pseudonym_evaluate_requests_aborted_total 2\n');
    expect(metrics).not.toContain('sluis_pseudonym_refusals_total{');
    expect(metrics.match(/^sluis_pseudonym_evaluate_requests_total\{.*$/gm)).toEqual([
      expect.stringMatching(/ 1$/),
    ]);
  });
});
