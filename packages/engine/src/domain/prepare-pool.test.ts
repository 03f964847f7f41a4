// The batch worker (prepare-pool.ts, docs/engine.md "Batch preparation on a worker"): a body
// prepared on the worker is placed exactly as placeSignals places its items (the same answers,
// refusals and field paths, the same signals); a worker that exits fails the requests it held
// with store_closed (503) and later bodies go to the caller's own path; close stops a busy
// worker without waiting for it. The worker runs the BUILT engine (dist) and a test parser.
// Runs on SQLite and, with SLUIS_TEST_STORE=postgres, on PostgreSQL.

import { afterEach, describe, expect, it } from 'vitest';
import type { BatchItemResult, BodyPlacement, PlaceSignalInput } from '../api.js';
import { isEngineError } from '../errors.js';
import { admin, type Harness, harness, person, placement } from '../testing/harness.js';

const PARSER = new URL('../testing/json-batch-parser.mjs', import.meta.url);
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const body = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

const open: Harness[] = [];
async function twoEngines() {
  const a = await harness({ file: true });
  const b = await harness({ file: true, config: { batchPrepareWorker: false } });
  open.push(a, b);
  const orgA = await a.org('Jeugdzorg');
  const orgB = await b.org('Jeugdzorg');
  return { a, b, orgA, orgB };
}
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/** Replays, reuses, an own earlier signal, refusals of every preparation step, between valid items. */
function items(): PlaceSignalInput[] {
  const out: PlaceSignalInput[] = [];
  for (let i = 0; i < 30; i++) out.push(placement(i, { requestId: uuid(i + 1) }));
  out.push(
    placement(0, { requestId: uuid(1) }),
    placement(0, { requestId: uuid(100) }),
    placement(1, { requestId: uuid(2), contact: { name: 'A. Jansen', role: 'wijkteam' } }),
    placement(40, { requestId: uuid(101), subject: [{ epoch: 1, value: 'short' }] }),
    placement(41, { requestId: uuid(102), subject: person(41, [9]) }),
    placement(42, { requestId: uuid(103), parents: [person(42)] }),
    placement(43, { requestId: uuid(104), endDate: '2001-01-01' }),
    placement(44, { requestId: uuid(105), endDate: '2030-02-30' }),
    { ...placement(45, { requestId: uuid(106) }), existingOnly: true },
    { ...placement(46, { requestId: uuid(107) }), reason: 'x' } as PlaceSignalInput,
    placement(47, { requestId: 'not-a-uuid' }),
  );
  return out;
}

/** Ids mapped in order of appearance (each engine draws its own). */
function normalised(results: readonly unknown[]): unknown {
  const seen = new Map<string, number>();
  return JSON.parse(
    JSON.stringify(results).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      if (!seen.has(id)) seen.set(id, seen.size);
      return `id${seen.get(id)}`;
    }),
  );
}

function resultsOf(p: BodyPlacement): readonly unknown[] {
  if ('refused' in p) throw new Error(`refused: ${p.refused.code}`);
  return p.results;
}

describe('batch worker', () => {
  it('places a body as placeSignals places its items (twice: then replays)', async () => {
    const { a, b, orgA, orgB } = await twoEngines();
    for (let round = 0; round < 2; round++) {
      const viaWorker = a.engine.placeSignalsBody(orgA.actor, body({ items: items() }), PARSER);
      expect(viaWorker).toBeDefined();
      const got = resultsOf(await viaWorker!);
      const want: readonly BatchItemResult[] = await b.engine.placeSignals(orgB.actor, items());
      expect(normalised(got)).toEqual(normalised(want));
      expect(want.filter((r) => !r.ok).length).toBeGreaterThan(5);
    }
    const stored = async (h: Harness, o: typeof orgA) => (await h.engine.listSignals(o.actor, {})).items;
    expect(normalised(await stored(a, orgA))).toEqual(normalised(await stored(b, orgB)));
  });

  it('across a server-secret rotation: the same answers (replays and new items) as placeSignals', async () => {
    const { a, b, orgA, orgB } = await twoEngines();
    await a.engine.placeSignalsBody(orgA.actor, body({ items: items() }), PARSER);
    await b.engine.placeSignals(orgB.actor, items());
    const secret2 = Buffer.alloc(32, 0x33);
    await a.engine.beginSecretRotation(admin, secret2);
    await b.engine.beginSecretRotation(admin, secret2);
    await a.engine.rekeyBatch(10);
    await b.engine.rekeyBatch(10);
    const more = [
      ...items(),
      placement(60, { requestId: uuid(200) }),
      placement(3, { requestId: uuid(201) }),
    ];
    const got = resultsOf(await a.engine.placeSignalsBody(orgA.actor, body({ items: more }), PARSER)!);
    expect(normalised(got)).toEqual(normalised(await b.engine.placeSignals(orgB.actor, more)));
  });

  it('off: no worker, the caller parses (undefined)', async () => {
    const { b, orgB } = await twoEngines();
    expect(b.engine.placeSignalsBody(orgB.actor, body({ items: items() }), PARSER)).toBeUndefined();
  });

  it('a worker that exits fails the request it held (503) and later bodies go to the caller', async () => {
    const { a, orgA } = await twoEngines();
    const held = a.engine.placeSignalsBody(orgA.actor, body({ exit: true }), PARSER);
    expect(held).toBeDefined();
    const e = await held!.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(isEngineError(e, 'store_closed')).toBe(true);
    expect(String((e as Error).message)).not.toMatch(/[A-Za-z0-9_-]{43}/);
    expect(a.engine.placeSignalsBody(orgA.actor, body({ items: items() }), PARSER)).toBeUndefined();
    const after = await a.engine.placeSignals(orgA.actor, items());
    expect(after.filter((r) => r.ok).length).toBeGreaterThan(0);
  });

  it('close stops a busy worker without waiting for it; the held request fails (503)', async () => {
    const { a, orgA } = await twoEngines();
    const held = a.engine.placeSignalsBody(orgA.actor, body({ spin: true }), PARSER)!;
    const failed = held.then(
      () => undefined,
      (x: unknown) => x,
    );
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    await a.close();
    open.splice(open.indexOf(a), 1);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(isEngineError(await failed, 'store_closed')).toBe(true);
  });
});
