// A batch's preparation (validation, re-keying, the idempotency hash: signal-prepare.ts) on a
// worker thread, so that while the main thread decides and writes one batch the next one is
// prepared on another core (docs/engine.md "Batch preparation on a worker"). The worker runs
// the engine's own module (prepare-worker.ts, from the built package), holds its own copy of
// the server secrets, and answers the items in request order. If it fails or exits, every
// batch it held and every later one is prepared on the main thread: no batch is lost or
// waits for it (warning SLUIS_PREPARE_WORKER_FAILED).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PlaceSignalInput } from '../api.js';
import { EngineError, type EngineErrorCode } from '../errors.js';
import type { EngineContext } from './context.js';
import type { PrepareJob, PreparedItem } from './prepare-worker.js';
import { type PreparedPlacement, fromTransfer, preparePlacement } from './signal-prepare.js';

/** A prepared item or what preparing it threw (the batch path answers it as the item's refusal). */
export type Prepared = PreparedPlacement | unknown;

/** Batches of fewer items are prepared on the main thread: the round trip would cost more. */
export const MIN_WORKER_ITEMS = 50;

/** The worker's module: beside this one when built, in the built package when run from source. */
function workerModule(): URL | undefined {
  const here = new URL(import.meta.url);
  const url = here.pathname.endsWith('.ts')
    ? new URL(here.href.replace(/\/src\/domain\/prepare-pool\.ts$/, '/dist/domain/prepare-worker.js'))
    : new URL('./prepare-worker.js', here);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

interface Answer {
  readonly id: number;
  readonly out: PreparedItem[];
  /** The byte values of the batch's prepared items (signal-prepare.ts `TransferSlab`). */
  readonly bytes: ArrayBuffer;
}

interface Pending {
  readonly inputs: readonly PlaceSignalInput[];
  readonly now: number;
  readonly resolve: (out: Prepared[]) => void;
}

export function prepareOnMain(
  ctx: EngineContext,
  inputs: readonly PlaceSignalInput[],
  now: number,
): Prepared[] {
  return inputs.map((input) => {
    try {
      return preparePlacement(ctx, input, now);
    } catch (e) {
      return e;
    }
  });
}

export class PreparePool {
  readonly #ctx: EngineContext;
  #worker: Worker | undefined;
  /** The server-secret generation the worker knows. */
  #generation: number;
  readonly #pending = new Map<number, Pending>();
  #next = 0;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
    this.#generation = ctx.secrets.current;
    const url = workerModule();
    if (url === undefined) return;
    const secrets = ctx.secrets.copyGenerations();
    try {
      this.#worker = new Worker(url, { workerData: { secrets } });
    } finally {
      for (const [, s] of secrets) s.fill(0);
    }
    this.#worker.unref();
    this.#worker.on('message', (m: Answer) => this.#answer(m));
    this.#worker.on('error', () => this.#fallBack());
    this.#worker.on('exit', () => this.#fallBack());
  }

  /** Whether batches go to the worker (false once it failed, or when the built module is absent). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** The batch's items prepared, in order; on the main thread when small or without a worker. */
  prepare(inputs: readonly PlaceSignalInput[], now: number): Prepared[] | Promise<Prepared[]> {
    const w = this.#worker;
    if (w === undefined || inputs.length < MIN_WORKER_ITEMS) return prepareOnMain(this.#ctx, inputs, now);
    const id = this.#next++;
    const job: { -readonly [K in keyof PrepareJob]: PrepareJob[K] } = { id, now, inputs };
    const current = this.#ctx.secrets.current;
    if (current > this.#generation) {
      job.generations = this.#ctx.secrets.copyGenerations(this.#generation + 1);
      this.#generation = current;
    }
    return new Promise((resolve) => {
      this.#pending.set(id, { inputs, now, resolve });
      if (this.#pending.size === 1) w.ref(); // a process waiting for this answer stays alive
      try {
        w.postMessage(job);
      } finally {
        for (const [, s] of job.generations ?? []) s.fill(0);
      }
    });
  }

  #answer(m: Answer): void {
    const p = this.#pending.get(m.id);
    if (p === undefined) return;
    this.#pending.delete(m.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    const slab = Buffer.from(m.bytes);
    p.resolve(m.out.map((item) => this.#item(item, slab)));
  }

  #item(item: PreparedItem, slab: Buffer): Prepared {
    if (item.ok) return fromTransfer(this.#ctx, item.prep, slab);
    if (!item.engineError) return new Error('internal');
    return new EngineError(item.code as EngineErrorCode, item.message, { fields: item.fields });
  }

  #fallBack(): void {
    if (this.#worker === undefined) return;
    this.#worker = undefined;
    process.emitWarning('the batch preparation worker stopped; batches are prepared on the main thread', {
      code: 'SLUIS_PREPARE_WORKER_FAILED',
    });
    this.#drain();
  }

  /** Every batch the worker held, prepared on the main thread. */
  #drain(): void {
    const held = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of held) p.resolve(prepareOnMain(this.#ctx, p.inputs, p.now));
  }

  /** Stops the worker; batches still waiting for it are prepared here. */
  async close(): Promise<void> {
    const w = this.#worker;
    if (w === undefined) return;
    this.#worker = undefined;
    this.#drain();
    await w.terminate();
  }

  /** Tests: ends the worker as a crash would. */
  async killWorkerForTest(): Promise<void> {
    await this.#worker?.terminate();
  }
}

const pools = new WeakMap<EngineContext, PreparePool>();

/** The context's pool, started on first use when `batchPrepareWorker` is on. */
export function preparePoolOf(ctx: EngineContext): PreparePool | undefined {
  if (!ctx.config.batchPrepareWorker) return undefined;
  let p = pools.get(ctx);
  if (p === undefined) {
    p = new PreparePool(ctx);
    pools.set(ctx, p);
  }
  return p;
}

export async function closePreparePool(ctx: EngineContext): Promise<void> {
  const p = pools.get(ctx);
  pools.delete(ctx);
  await p?.close();
}

/** A batch's items prepared (validation, re-keying) in request order, on the worker when one runs. */
export function prepareBatch(
  ctx: EngineContext,
  inputs: readonly PlaceSignalInput[],
  now: number,
): Prepared[] | Promise<Prepared[]> {
  const pool = preparePoolOf(ctx);
  return pool === undefined ? prepareOnMain(ctx, inputs, now) : pool.prepare(inputs, now);
}
