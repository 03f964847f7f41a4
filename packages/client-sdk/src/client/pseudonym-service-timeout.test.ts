// The timeout toward the pseudonym service (docs/sdk.md "Retries and timeouts") against a
// real HTTP server on 127.0.0.1 that is slow (node:http, not a double of our client): by
// default an evaluation of n elements may take 30 s + 100 ms per element per attempt, a
// given `timeoutMs` replaces that rule for every request, a timeout is `timeout` naming
// no element, and the aborted attempt leaves no connection open at the server.

import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { SluisError } from '../errors.js';
import { base64url, hexToBytesStrict } from '../protocol/encoding.js';
import { SEED } from '../testing/fixtures.js';
import {
  EVALUATE_TIMEOUT_BASE_MS,
  EVALUATE_TIMEOUT_PER_ELEMENT_MS,
  PseudonymServiceClient,
  evaluateTimeoutMs,
} from './pseudonym-service-client.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

const v = vectors.oprfPseudonyms();
const secretKey = hexToBytesStrict(v.key.secretKeyHex)!;
const publicKey = base64url.decode(v.key.publicKey)!;
const EPOCH = v.key.epoch;

/** What the server does with the next request: answer honestly after `delayMs`, or never. */
let behaviour: { delayMs: number } | 'hang' = 'hang';
const received: { body: string; closed: Promise<void> }[] = [];
let server: Server;
let url = '';

function answer(req: IncomingMessage, res: ServerResponse, body: string) {
  const closed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
  received.push({ body, closed });
  if (behaviour === 'hang') return;
  const blinded = (JSON.parse(body) as { blindedElements: string[] }).blindedElements.map(
    (b) => base64url.decode(b)!,
  );
  const r = ristretto255_oprf.voprf.blindEvaluateBatch(secretKey, publicKey, blinded);
  const json = JSON.stringify({
    epoch: EPOCH,
    evaluatedElements: r.evaluated.map((e) => base64url.encode(e)),
    proof: base64url.encode(r.proof),
  });
  setTimeout(() => {
    if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(json);
  }, behaviour.delayMs);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  vi.useRealTimers();
  received.length = 0;
});

const client = (options: { timeoutMs?: number; retries?: number } = {}) =>
  new PseudonymServiceClient({
    serviceUrl: url,
    signingKey: caseSigningKey(SEED),
    retries: options.retries ?? 0,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });

/** n valid blinded elements (the vectors' blinded inputs, repeated). */
function blinded(n: number): Uint8Array[] {
  const blind = ristretto255_oprf.voprf.blind(new TextEncoder().encode('x'));
  return Array.from({ length: n }, () => blind.blinded);
}

async function settled(p: Promise<unknown>): Promise<'pending' | 'fulfilled' | SluisError> {
  const marker = Symbol('pending');
  const r = await Promise.race([
    p.then(
      () => 'fulfilled' as const,
      (e: unknown) => e as SluisError,
    ),
    new Promise<symbol>((resolve) => setImmediate(() => resolve(marker))),
  ]);
  return r === marker ? 'pending' : (r as 'fulfilled' | SluisError);
}

/** 'closed' once every received request's connection is closed; 'open' after 5 s. */
function allClosed(requests: readonly { closed: Promise<void> }[]): Promise<'closed' | 'open'> {
  return Promise.race([
    Promise.all(requests.map((r) => r.closed)).then(() => 'closed' as const),
    new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 5_000)),
  ]);
}

async function waitForRequests(n: number) {
  while (received.length < n) await new Promise((resolve) => setImmediate(resolve));
}

describe('the timeout toward the pseudonym service', () => {
  it('is 30 s plus 100 ms per element per attempt by default', () => {
    expect(EVALUATE_TIMEOUT_BASE_MS).toBe(30_000);
    expect(EVALUATE_TIMEOUT_PER_ELEMENT_MS).toBe(100);
    expect(evaluateTimeoutMs(1)).toBe(30_100);
    expect(evaluateTimeoutMs(500)).toBe(80_000);
    expect(evaluateTimeoutMs(1000)).toBe(130_000);
  });

  // The clock of the timer is faked (setTimeout only); the HTTP exchange is real.
  for (const n of [1, 500]) {
    it(`waits exactly evaluateTimeoutMs(${n}) for a batch of ${n} before giving up`, async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      behaviour = 'hang';
      const p = client().evaluate(EPOCH, blinded(n));
      await waitForRequests(1);
      vi.advanceTimersByTime(evaluateTimeoutMs(n) - 1);
      expect(await settled(p)).toBe('pending');
      vi.advanceTimersByTime(1);
      const e = await settled(p);
      expect(e).toBeInstanceOf(SluisError);
      expect((e as SluisError).code).toBe('timeout');
      vi.useRealTimers();
      expect(await allClosed(received)).toBe('closed');
    });
  }

  it('a given timeoutMs overrides the rule, both ways, against a server that takes 400 ms', async () => {
    behaviour = { delayMs: 400 };
    const outcome = await client({ timeoutMs: 100 })
      .evaluate(EPOCH, blinded(3))
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(SluisError);
    expect((outcome as SluisError).code).toBe('timeout');
    const ok = await client({ timeoutMs: 5_000 }).evaluate(EPOCH, blinded(3));
    expect(ok.evaluated).toHaveLength(3);
    const byRule = await client().evaluate(EPOCH, blinded(2));
    expect(byRule.evaluated).toHaveLength(2);
  });

  it('a timeout names no element, retries within the rule, and leaves no connection open', async () => {
    behaviour = 'hang';
    const elements = blinded(4);
    const e = await client({ timeoutMs: 150, retries: 2 })
      .evaluate(EPOCH, elements)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SluisError);
    const err = e as SluisError;
    expect(err.code).toBe('timeout');
    expect(received).toHaveLength(3);
    const element = base64url.encode(elements[0]!);
    for (const text of [err.message, JSON.stringify(err), String(err.stack), JSON.stringify(err.details)])
      expect(text).not.toContain(element);
    // Every aborted attempt's connection is closed: the server holds none of them.
    expect(await allClosed(received)).toBe('closed');
  });
});
