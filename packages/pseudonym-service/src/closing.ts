// What the service opened, closed again from one list (docs/operations.md "Pseudonym service",
// Stopping): a start that fails and the stop walk the same steps, the last opened first, each on
// its own — a step that fails is logged by its error's code alone (close_step_failed) and the
// next one runs. Opened in the order lock, keys, nonces.log, logbook, the refusal counts' timer,
// keys again, the listener, the walk is the stop's order: the requests in flight ended
// (http/drain.ts), the keys zeroed, the last counts written, the logbook and nonces.log closed,
// the lock released.
// Invariant: no way out of a start or a stop leaves a file of the data directory open, a key
// unzeroed or the lock held (the match server's server-closing.ts keeps the same rule).

import { isLoggableErrorCode } from '@sluis/engine/protocol';

/** The steps as `close_step_failed` names them (docs/operations.md "Pseudonym service"). */
export type CloseStep = 'listener' | 'refusal_counts' | 'logbook' | 'nonces' | 'keys' | 'lock';

export class ServiceClosing {
  readonly #opened: [step: CloseStep, close: () => unknown][] = [];
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void = (l) => process.stderr.write(l)) {
    this.#log = log;
  }

  /** `close` undoes what the start has just opened; it runs before all that was opened earlier. */
  opened(step: CloseStep, close: () => unknown): void {
    this.#opened.push([step, close]);
  }

  /** Runs every step registered and not yet run, the last first; never throws. */
  async close(): Promise<void> {
    for (let s = this.#opened.pop(); s !== undefined; s = this.#opened.pop()) await this.#step(...s);
  }

  async #step(step: CloseStep, close: () => unknown): Promise<void> {
    try {
      await close();
    } catch (e) {
      // The code alone (ENOSPC, EIO), never the message: it can quote a path or input; and only
      // a code that cannot be a value (docs/leakage.md §3.4).
      const code = (e as { code?: unknown } | null | undefined)?.code;
      const errorCode = isLoggableErrorCode(code) ? code : undefined;
      this.#log(
        `${JSON.stringify({ level: 'warn', event: 'close_step_failed', step, ...(errorCode === undefined ? {} : { errorCode }) })}\n`,
      );
    }
  }
}
