// The server's clock. Production uses wall time. The test clock (docs/operations.md,
// "Test clock") adds an offset that only moves forward, so expiry and purge can be
// exercised end to end; it is refused at startup in production (cli/config-validation.ts) and its
// route does not exist unless it is enabled.

export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export class TestClock {
  #offsetMs = 0;
  readonly #base: Clock;

  constructor(base: Clock = systemClock) {
    this.#base = base;
  }

  readonly now: Clock = () => this.#base() + this.#offsetMs;

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves time forward; never backward, so the logbook's order stays monotonic. */
  advance(ms: number): void {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('test clock only moves forward');
    this.#offsetMs += ms;
  }
}
