// How `sluis` answers SIGINT (Ctrl-C) and SIGTERM (what cron's `timeout`, systemd's stop,
// `docker stop` and `kill` send), docs/sdk.md "Signals". A long-running command (import, migrate,
// matches --watch) stops in order on the first one: an import finishes the batch in flight and
// records it in its state file, so the rerun resumes after it with nothing sent twice. Any other
// command, and a second signal of either kind, ends the process at once. Invariant: the exit code
// names the signal as a shell reports a process that signal ended (128 + its number).

import { EXIT } from './cli-context.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** 130 after SIGINT, 143 after SIGTERM. */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/**
 * The exit code of a command that stopped in order because `signal` was aborted: its reason
 * names the signal (`watchStopSignals`); an abort without one (an embedding program, a test) is
 * taken for Ctrl-C's.
 */
export function stoppedExitCode(signal: AbortSignal | undefined): number {
  return signalExitCode(signal?.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
}

export interface StopSignalOptions {
  /**
   * What a long-running command finishes before it stops (`batch`, `poll`); undefined for every
   * other command, which the first signal ends at once.
   */
  readonly finishing: string | undefined;
  /** Aborted on the first signal, with the signal's name as its reason. */
  readonly controller: AbortController;
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Ends the process at once (process.exit). */
  readonly exit: (code: number) => void;
  /** Registers a signal listener (process.on; tests pass an EventEmitter's). */
  readonly on: (signal: StopSignal, listener: () => void) => unknown;
}

/** Installs the SIGINT and SIGTERM listeners for one CLI run. */
export function watchStopSignals(options: StopSignalOptions): void {
  const { finishing, controller, stderr } = options;
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    options.on(name, () => {
      if (finishing === undefined || controller.signal.aborted) {
        options.exit(signalExitCode(name));
        return;
      }
      // On a terminal the line starts below the progress bar (redrawn in place, progress.ts)
      // and the `^C` the terminal echoed; in a log it is one line of its own.
      stderr.write(
        `${stderr.isTTY === true ? '\n' : ''}${name} received: stopping after the current ${finishing} (a second Ctrl-C or SIGTERM quits at once)\n`,
      );
      controller.abort(name);
    });
  }
}
