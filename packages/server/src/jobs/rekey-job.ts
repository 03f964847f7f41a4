// Runs a server-secret rotation's re-keying in the background (docs/keys.md): bounded
// batches through the engine's single writer, yielding between batches so requests keep
// being served. Progress is persisted by the engine with every batch, so after a crash or
// a kill the next start simply continues. Invariant: stop() returns only when no batch is
// in flight.

import { type Engine, isEngineError, type RekeyBatchResult } from '@sluis/engine';
import { errorFields, type Logger, loggedCode } from '../ops/logger.js';

export interface RekeyJobOptions {
  readonly engine: Engine;
  readonly logger: Logger;
  /** How often to look for work when idle. */
  readonly intervalMs: number;
  /** Signals per batch (default 500). */
  readonly batchSize?: number;
  /** Pause between batches, to leave the writer to requests (default 0: just yield). */
  readonly pauseMs?: number;
}

/** The `reason` of `server_secret_rekeying`, from the step of the instance's first batch. */
const REASON: Record<RekeyBatchResult['step'], string> = {
  // keys/ holds a generation the database had not recorded. The engine records such a rotation
  // when it opens (a restored backup, or a rotation cut off before its record), so a first batch
  // meets it under way; `started` would need a newer key file to appear while the instance runs,
  // which the engine does not take up before a newer record: one reason, not a second name.
  started: 'rotation',
  // A rotation under way (begun here or on another instance, or resumed after a restart).
  signals: 'rotation',
  // Every stored row re-keyed: placements written during the rotation are repeated.
  catch_ups: 'catch_up',
  completed: 'rotation',
  none: 'rotation',
};

export class RekeyJob {
  readonly #o: RekeyJobOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  /** The code of the expected failure of the last round (the database away, a key file missing): logged once, not every interval. */
  #outage: string | undefined;

  constructor(options: RekeyJobOptions) {
    this.#o = options;
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.wake(), this.#o.intervalMs);
    this.#timer.unref();
    this.wake();
  }

  wake(): void {
    if (this.#stopped || this.#running !== undefined) return;
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  async #loop(): Promise<void> {
    try {
      let batches = 0;
      while (!this.#stopped) {
        // One batch at a time across the instances on one store (storage contract, clause 5).
        const r = await this.#o.engine.exclusive('rekey', () =>
          this.#o.engine.rekeyBatch(this.#o.batchSize ?? 500),
        );
        this.#outage = undefined;
        if (r === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        if (r.completed) this.#o.logger.log('info', 'server_secret_rotation_completed', { batches });
        if (r.done) break;
        if (batches++ === 0) {
          // Which rotation (its generation) and why this instance works on it (docs/operations.md "Logs").
          this.#o.logger.log('info', 'server_secret_rekeying', {
            generation: r.generation,
            reason: REASON[r.step],
          });
        }
        await new Promise((resolve) => setTimeout(resolve, this.#o.pauseMs ?? 0));
      }
    } catch (e) {
      // The database away (docs/operations.md "Logs"): one warning per outage with its cause
      // code, not an error with a stack every interval; the next round tries again.
      // Likewise a newer generation's key file this instance cannot load: the condition is
      // logged by the key file's loader as server_secret_generation_missing, and the next round
      // after the file is there goes on (docs/operations.md "High availability").
      if (
        isEngineError(e, 'database_unavailable') ||
        isEngineError(e, 'secret_generation_missing') ||
        isEngineError(e, 'server_secret_mismatch')
      ) {
        if (this.#outage !== e.code) {
          this.#o.logger.log('warn', 'server_secret_rekey_failed', {
            errorCode: e.code,
            ...(e.code === 'database_unavailable' ? { dbCode: loggedCode(e.dbCode) } : {}),
          });
        }
        this.#outage = e.code;
        return;
      }
      this.#o.logger.log('error', 'server_secret_rekey_failed', errorFields(e));
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#running;
  }
}
