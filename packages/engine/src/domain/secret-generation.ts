// Server-secret generations across instances (docs/keys.md §4.2 "Several instances",
// docs/engine.md "Storage contract" clause 5). One instance starts a rotation; every other
// one learns the new generation from the store and loads its key file from the shared keys
// directory. Invariant: no write derives stored values at a generation older than the
// store's: an operation that did is refused by the store's fence (tx.fenceGeneration,
// store/generation-fence.ts) and rolled back, the instance loads the newer secret, and the
// operation runs again — or, while the key file is not there, is refused as
// `secret_generation_missing` (503) with nothing written.

import { performance } from 'node:perf_hooks';
import type { EngineErrorCode } from '../errors.js';
import { EngineError, isEngineError } from '../errors.js';
import type { EngineContext } from './context.js';
import { verifyLoadedSecret } from './secret-check.js';

/** How long a missing (or mismatched) key file is not looked for again: at most one file read per second. */
export const MISSING_SECRET_RETRY_MS = 1000;

/**
 * Refusals that depend on the stored values a lookup found (a retry's request hash, a budget
 * charged per new person): when one comes from an instance behind the store's generation,
 * the operation is repeated at the new one before the refusal is believed.
 */
const LOOKUP_REFUSALS: ReadonlySet<EngineErrorCode> = new Set([
  'request_id_reused',
  'budget_exceeded',
  'conflict',
  'objection_out_of_term',
]);

export function isLookupRefusal(e: unknown): boolean {
  return isEngineError(e) && LOOKUP_REFUSALS.has(e.code);
}

/**
 * Loads key file generations current+1 … the store's newest. `loadSecret` is the server's
 * reader of `keys/server-secret-<g>.key`; absent (embedded engines, tests) nothing can be
 * loaded. The returned buffer is zeroed here once copied.
 */
export class SecretGenerations {
  readonly #ctx: EngineContext;
  readonly #load: ((generation: number) => Uint8Array | undefined) | undefined;
  #behind = false;
  /** The refusal of the last catch-up (a key file missing or not the store's), repeated until #retryAt. */
  #refusal: EngineError | undefined;
  #retryAt = 0;

  constructor(ctx: EngineContext, load: ((generation: number) => Uint8Array | undefined) | undefined) {
    this.#ctx = ctx;
    this.#load = load;
  }

  /** Before an operation: catch up when an earlier one found the store ahead. */
  async ready(): Promise<void> {
    if (this.#behind) await this.catchUp();
  }

  /**
   * Reads the store's generation and loads every newer key file: `secret_generation_missing`
   * when one is absent, `server_secret_mismatch` when one is not the secret whose check value
   * the store records (secret-check.ts); either is repeated without a file read for a second.
   */
  async catchUp(): Promise<void> {
    this.#behind = true;
    if (this.#refusal !== undefined && performance.now() < this.#retryAt) throw this.#refusal;
    const { secretGeneration } = await this.#ctx.store.read((tx) => tx.logbookHead());
    for (let g = this.#ctx.secrets.current + 1; g <= secretGeneration; g++) {
      const secret = this.#load?.(g);
      if (secret === undefined) throw this.#refuse(missing(g));
      try {
        await verifyLoadedSecret(this.#ctx, g, secret);
        this.#ctx.secrets.ensureGeneration(g, secret);
      } catch (e) {
        throw isEngineError(e, 'server_secret_mismatch') ? this.#refuse(e) : e;
      } finally {
        secret.fill(0);
      }
    }
    this.#behind = false;
    this.#refusal = undefined;
  }

  /**
   * For readiness (docs/operations.md "Monitor"): while the store is known to be ahead, the
   * refusal every request that derives stored values would get (`secret_generation_missing`,
   * `server_secret_mismatch`), found by a catch-up — so at most one file read a second; a
   * database failure meanwhile is the store's readiness to report, not this.
   */
  async refusal(): Promise<EngineError | undefined> {
    if (!this.#behind) return undefined;
    try {
      await this.catchUp();
      return undefined;
    } catch (e) {
      return isEngineError(e, 'secret_generation_missing') || isEngineError(e, 'server_secret_mismatch')
        ? e
        : undefined;
    }
  }

  #refuse(e: EngineError): EngineError {
    this.#refusal = e;
    this.#retryAt = performance.now() + MISSING_SECRET_RETRY_MS;
    return e;
  }

  /**
   * Runs `op` at the store's generation: a fence refusal, or a lookup-dependent refusal
   * while the store is ahead, loads the newer secret and runs `op` again (at most 3 runs).
   */
  async run<T>(op: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.ready();
      const used = this.#ctx.secrets.current;
      try {
        return await op();
      } catch (e) {
        if (attempt >= 3) throw e;
        if (isEngineError(e, 'secret_generation_stale')) {
          await this.catchUp();
          continue;
        }
        if (isLookupRefusal(e) && (await this.#storeGeneration()) > used) {
          await this.catchUp();
          continue;
        }
        throw e;
      }
    }
  }

  async #storeGeneration(): Promise<number> {
    return (await this.#ctx.store.read((tx) => tx.logbookHead())).secretGeneration;
  }
}

function missing(generation: number): EngineError {
  return new EngineError(
    'secret_generation_missing',
    'the store records a server-secret generation whose key file this instance cannot read',
    { generation },
  );
}
