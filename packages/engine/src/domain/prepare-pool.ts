// A batch request's body parsed, checked and prepared (validation, re-keying, the idempotency
// hash: signal-prepare.ts) on a worker thread, so that while the main thread decides and writes
// one batch the next one is prepared on another core (docs/engine.md "Batch preparation on a
// worker"). The worker runs the engine's own module (prepare-worker.ts, from the built package)
// and the server's parser module, holds its own copy of the server secrets, and answers the
// items in request order. If it fails or exits, every request it held fails with
// `store_closed` (503 unavailable) and later ones are prepared on the main thread: none is
// answered wrongly or waits for it.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import type { EngineContext } from './context.js';
import type { PrepareAnswer, PrepareJob } from './prepare-worker.js';
import { type PreparedPlacement, fromTransfer } from './signal-prepare.js';

/** A module run from source (`.ts`) is found in the built package beside it (`dist/…js`). */
export function builtModule(url: URL): URL | undefined {
  const out = url.pathname.endsWith('.ts')
    ? new URL(url.href.replace(/\/src\/(.*)\.ts$/, '/dist/$1.js'))
    : url;
  return out.protocol === 'file:' && existsSync(fileURLToPath(out)) ? out : undefined;
}

/** The answer for one body: the body's refusal, or per item a prepared placement or a refusal. */
export type PreparedBody =
  | { readonly refused: { readonly code: string; readonly fields: readonly string[] } }
  | {
      readonly now: number;
      readonly items: readonly (
        | { readonly prep: PreparedPlacement }
        | { readonly error: EngineError | Error }
        | { readonly parsed: { readonly code: string; readonly fields: readonly string[] } }
      )[];
    };

interface Pending {
  readonly now: number;
  readonly resolve: (out: PreparedBody) => void;
  readonly reject: (e: unknown) => void;
}

export class PreparePool {
  readonly #ctx: EngineContext;
  #worker: Worker | undefined;
  /** The server-secret generation the worker knows. */
  #generation: number;
  readonly #pending = new Map<number, Pending>();
  #next = 0;

  constructor(ctx: EngineContext, parser: URL) {
    this.#ctx = ctx;
    this.#generation = ctx.secrets.current;
    const here = import.meta.url;
    const url = builtModule(
      new URL(here.endsWith('.ts') ? './prepare-worker.ts' : './prepare-worker.js', here),
    );
    const parserUrl = builtModule(parser);
    if (url === undefined || parserUrl === undefined) return;
    const secrets = ctx.secrets.copyGenerations();
    try {
      this.#worker = new Worker(url, {
        workerData: { secrets, parser: parserUrl.href },
        // the worker loads built modules only (no source loader)
        execArgv: [],
      });
    } finally {
      for (const [, s] of secrets) s.fill(0);
    }
    this.#worker.unref();
    this.#worker.on('message', (m: PrepareAnswer) => this.#answer(m));
    this.#worker.on('error', () => this.#stopped());
    this.#worker.on('exit', () => this.#stopped());
  }

  /** Whether bodies go to the worker (false once it failed, or when a built module is absent). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** The body parsed and its items prepared, in order; undefined when no worker runs. */
  prepare(body: Uint8Array, now: number): Promise<PreparedBody> | undefined {
    const w = this.#worker;
    if (w === undefined) return undefined;
    const id = this.#next++;
    // Transferred, not copied: a body that owns its buffer whole goes as it is.
    const bytes =
      body.byteOffset === 0 &&
      body.byteLength === body.buffer.byteLength &&
      body.buffer instanceof ArrayBuffer
        ? body.buffer
        : body.slice().buffer;
    const job: { -readonly [K in keyof PrepareJob]: PrepareJob[K] } = { id, now, body: bytes };
    const current = this.#ctx.secrets.current;
    if (current > this.#generation) {
      job.generations = this.#ctx.secrets.copyGenerations(this.#generation + 1);
      this.#generation = current;
    }
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { now, resolve, reject });
      if (this.#pending.size === 1) w.ref(); // a process waiting for this answer stays alive
      try {
        w.postMessage(job, [bytes]);
      } finally {
        for (const [, s] of job.generations ?? []) s.fill(0);
      }
    });
  }

  #answer(m: PrepareAnswer): void {
    const p = this.#pending.get(m.id);
    if (p === undefined) return;
    this.#pending.delete(m.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if (m.refused !== undefined) {
      p.resolve({ refused: m.refused });
      return;
    }
    const slab = Buffer.from(m.bytes);
    const ctx = this.#ctx;
    p.resolve({
      now: p.now,
      items: m.out.map((item) => {
        if (item.ok) return { prep: fromTransfer(ctx, item.prep, slab) };
        if (item.parsed) return { parsed: { code: item.code, fields: item.fields } };
        if (item.code === 'internal') return { error: new Error('internal') };
        return { error: new EngineError(item.code as never, 'refused', { fields: item.fields }) };
      }),
    });
  }

  #stopped(): void {
    if (this.#worker === undefined) return;
    this.#worker = undefined;
    process.emitWarning('the batch preparation worker stopped; batches are prepared on the main thread', {
      code: 'SLUIS_PREPARE_WORKER_FAILED',
    });
    this.#failHeld();
  }

  /** Every request the worker held fails (503): its body went to the worker. */
  #failHeld(): void {
    const held = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of held) p.reject(new EngineError('store_closed', 'the batch preparation worker stopped'));
  }

  /** Stops the worker; requests still waiting for it fail (503). */
  async close(): Promise<void> {
    const w = this.#worker;
    if (w === undefined) return;
    this.#worker = undefined;
    this.#failHeld();
    await w.terminate();
  }

  /** Tests: ends the worker as a crash would. */
  async killWorkerForTest(): Promise<void> {
    await this.#worker?.terminate();
  }
}
