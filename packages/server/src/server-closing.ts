// What the server opened, closed again from one list (docs/operations.md "Shutdown"): a start
// that fails and the stop walk the same steps, the last opened first, each on its own — a step
// that fails is logged by its error's code alone (close_step_failed) and the next one runs —
// and then zero the key material, whatever failed before. Invariant: no way out of a start
// or a stop leaves the database open or a key unzeroed, and no log line of it carries an
// error's message (a message can quote a path or input, docs/leakage.md §3.4).

import { type Logger, loggedCode } from './ops/logger.js';

/** The steps as `close_step_failed` names them (docs/operations.md "Logs"). */
export type CloseStep =
  | 'webhooks'
  | 'mail'
  | 'retention'
  | 'rekey'
  | 'gauges'
  | 'listener'
  | 'database'
  | 'metrics'
  | 'tracing';

export class ServerClosing {
  readonly #logger: Logger;
  readonly #opened: [step: CloseStep, close: () => unknown][] = [];
  readonly #keys: (() => unknown)[] = [];

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** `close` undoes what the start has just opened; it runs before all that was opened earlier. */
  opened(step: CloseStep, close: () => unknown): void {
    this.#opened.push([step, close]);
  }

  /** `destroy` zeroes key material the server holds: after every step, the last registered first. */
  keys(destroy: () => unknown): void {
    this.#keys.push(destroy);
  }

  /** Runs every step registered and not yet run, then every zeroing; never throws. */
  async close(): Promise<void> {
    for (let s = this.#opened.pop(); s !== undefined; s = this.#opened.pop()) await this.#step(...s);
    for (let k = this.#keys.pop(); k !== undefined; k = this.#keys.pop()) await this.#step('keys', k);
  }

  async #step(step: CloseStep | 'keys', close: () => unknown): Promise<void> {
    try {
      await close();
    } catch (e) {
      const errorCode = loggedCode((e as { code?: unknown } | null | undefined)?.code);
      this.#logger.log('warn', 'close_step_failed', {
        step,
        ...(errorCode === undefined ? {} : { errorCode }),
      });
    }
  }
}
