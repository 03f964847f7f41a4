// The polling loop shared by the outbox workers (webhooks, match notice e-mail): a round
// every interval and whenever woken (new outbox rows), rounds never overlapping, draining
// while a round finds work. Invariant: stop() returns only when no round is in flight
// (after `abortAll` cut off sends still waiting past the grace time).

import { errorFields, type Logger } from '../ops/logger.js';

export interface OutboxLoopOptions {
  /** One round: attempts what is due now; returns how many it attempted (0: nothing due). */
  readonly round: () => Promise<number>;
  readonly intervalMs: number;
  readonly logger: Logger;
  /** The log event of a failed round (a code, never an error text from outside). */
  readonly failureEvent: string;
}

export class OutboxLoop {
  readonly #o: OutboxLoopOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(options: OutboxLoopOptions) {
    this.#o = options;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.wake(), this.#o.intervalMs);
    this.#timer.unref();
    this.wake();
  }

  /** Runs a round soon; coalesces wake-ups while a round is running. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      try {
        while (!this.#stopped && (await this.#o.round()) > 0) {
          // keep draining while work is due
        }
      } catch (e) {
        this.#o.logger.log('error', this.#o.failureEvent, errorFields(e));
      }
    } while (this.#again && !this.#stopped);
  }

  /** Stops the timer; after `graceMs` calls `abortAll`; waits for the round to end. */
  async stop(graceMs: number, abortAll: () => void): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    const running = this.#running;
    if (running === undefined) return;
    const grace = setTimeout(abortAll, graceMs);
    try {
      await running;
    } finally {
      clearTimeout(grace);
    }
  }
}
