// The batch placement prepared on the engine's batch worker (docs/engine.md "Batch preparation
// on a worker") answers exactly as the main thread's path: the same bodies sent to a server with
// the worker and to one without give the same statuses, the same per-item outcomes, refusal codes
// and field paths, and the same signals (ids aside, which are random).

import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_BODY_PARSER } from './http/batch-body.js';
import { json, makeHarness, uuid } from './testing/harness.js';

const secret = randomBytes(32);
const withWorker = await makeHarness({ serverSecret: secret });
const withoutWorker = await makeHarness({
  serverSecret: secret,
  engineConfig: { batchPrepareWorker: false },
});
afterAll(async () => {
  await withWorker.close();
  await withoutWorker.close();
});
const orgs = await Promise.all(
  [withWorker, withoutWorker].map((h) => h.admit('Jeugdzorg Rijnmond', { budget: 100_000 })),
);

function bsn(i: number): string {
  // 9 digits passing the eleven test: the last digit chosen to make the sum ≡ 0 (mod 11)
  for (let n = 100_000_000 + i * 13; ; n++) {
    const d = String(n).split('').map(Number);
    const s = d.slice(0, 8).reduce((a, x, k) => a + x * (9 - k), 0) - d[8]!;
    if (s % 11 === 0) return String(n);
  }
}

const h = withWorker;
const items: unknown[] = [];
for (let i = 0; i < 80; i++) items.push(h.placement(bsn(i), 'K. Klaassen'));
const first = items[0] as Record<string, unknown>;
items.push(
  { ...first },
  { ...first, requestId: uuid() },
  { ...first, contact: { name: 'X. Ander', role: 'jeugdconsulent' } },
  { ...h.placement(bsn(200), 'K. Klaassen'), reason: 'x' },
  h.placement(bsn(201), 'K. 123456782 Klaassen'),
  { ...h.placement(bsn(202), 'K. Klaassen'), subject: [{ epoch: 1, value: 'short' }] },
  { ...h.placement(bsn(203), 'K. Klaassen'), existingOnly: true },
  { ...h.placement(bsn(204), 'K. Klaassen'), parents: [[h.pseudonym(bsn(204))]] },
  { ...h.placement(bsn(205), 'K. Klaassen'), endDate: '2001-01-01' },
  { ...h.placement(bsn(206), 'K. Klaassen'), endDate: '2030-02-30' },
  { ...h.placement(bsn(207), 'K. Klaassen'), subject: [{ epoch: 9, value: h.pseudonym(bsn(207)).value }] },
  42,
  null,
  [first],
);
for (let i = 0; i < 40; i++)
  items.push(h.placement(bsn(300 + i), 'P. Pieters', { informed: { status: 'both', date: '2026-11-02' } }));

/**
 * The answer with each signal id replaced by the order it was first seen in, each instant by
 * the order it was first seen in (the two servers' clocks run apart), the problem's correlation
 * id left out.
 */
async function answer(r: Response): Promise<unknown> {
  const seen = new Map<string, number>();
  const order = (v: string) => {
    if (!seen.has(v)) seen.set(v, seen.size);
    return seen.get(v)!;
  };
  const text = (await r.text())
    .replace(/"id":"([0-9a-f-]{36})"/g, (_, id: string) => `"id":${order(id)}`)
    .replace(/"\d{4}-\d{2}-\d{2}T[0-9:.]+Z"/g, (t) => `"t${order(t)}"`)
    .replace(/"correlationId":"[^"]*"/g, '"correlationId":"-"');
  return { status: r.status, body: JSON.parse(text) };
}

async function both(body: Uint8Array): Promise<[unknown, unknown]> {
  const a = await withWorker.call(orgs[0]!.key, 'POST', '/v1/signals/batch', { rawBody: body });
  const b = await withoutWorker.call(orgs[1]!.key, 'POST', '/v1/signals/batch', { rawBody: body });
  return [await answer(a), await answer(b)];
}

const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('batch placement on the batch worker', () => {
  it('the worker runs for this body (large enough) and not when off', async () => {
    expect(encode({ items }).byteLength).toBeGreaterThan(16 * 1024);
    const actor = (i: number) => ({
      kind: 'organisation' as const,
      organisationId: orgs[i]!.id,
      keyId: orgs[i]!.key.keyId,
    });
    const on = withWorker.engine.placeSignalsBody(actor(0), encode({ items: [7] }), BATCH_BODY_PARSER);
    expect(on).toBeDefined();
    expect(await on).toEqual({
      results: [{ index: 0, parsed: { code: 'validation_failed', fields: ['items.0'] } }],
    });
    expect(
      withoutWorker.engine.placeSignalsBody(actor(1), encode({ items: [7] }), BATCH_BODY_PARSER),
    ).toBeUndefined();
  });

  it('answers a batch exactly as the main thread does: outcomes, refusals, field paths', async () => {
    const [a, b] = await both(encode({ items }));
    expect(a).toEqual(b);
    const results = (a as { body: { results: { ok: boolean; code?: string }[] } }).body.results;
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(120);
    expect(new Set(results.filter((r) => !r.ok).map((r) => r.code)).size).toBeGreaterThan(2);
  });

  it('answers the same batch again (replays) exactly as the main thread does', async () => {
    const [a, b] = await both(encode({ items }));
    expect(a).toEqual(b);
  });

  it('refuses a large body exactly as the main thread does', async () => {
    const big = encode({ items });
    const cases: Uint8Array[] = [
      new Uint8Array([...big, 0x20, 0x7b]),
      encode({ items, extra: 1 }),
      encode({ items: Array.from({ length: 501 }, (_, i) => items[i % 80]) }),
      encode({ items: Object.fromEntries(items.map((x, i) => [String(i), x])) }),
      new Uint8Array([...big.subarray(0, 100), 0xff, ...big.subarray(100)]),
    ];
    for (const body of cases) {
      expect(body.byteLength).toBeGreaterThan(16 * 1024);
      const [a, b] = await both(body);
      expect((a as { status: number }).status).toBe(400);
      expect(a).toEqual(b);
    }
  });
});

describe('a small batch stays on the main thread', () => {
  it('is answered as before', async () => {
    const small = encode({ items: [h.placement(bsn(500), 'K. Klaassen'), 7] });
    const [a, b] = await both(small);
    expect(a).toEqual(b);
    expect(await json(await withWorker.call(orgs[0]!.key, 'GET', '/v1/whoami'))).toBeDefined();
  });
});
