// How `sluis` answers SIGINT (Ctrl-C) and SIGTERM (what cron's `timeout`, systemd's stop,
// `docker stop` and `kill` send), docs/sdk.md "Signals". A long-running command (import, migrate,
// matches --watch) stops in order on the first one: an import finishes the batch in flight and
// records it in its state file, so the rerun resumes after it with nothing sent twice. Any other
// command, and a second signal of either kind, ends the process at once. Invariant: the exit code
// names the signal as a shell reports a process that signal ended (128 + its number).

import { EXIT } from './cli-context.js';
import { parseCliArgs } from './cli-options.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** 130 after SIGINT, 143 after SIGTERM. */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/**
 * The reason `watchStopSignals` aborts with: an `AbortError`, as any abort's reason is by default,
 * so code that hands the signal on (to fetch, which then rejects with this reason) sees a stop, and
 * `stopSignal` says which signal it was.
 */
export class StopSignalAbort extends Error {
  override readonly name = 'AbortError';
  constructor(readonly stopSignal: StopSignal) {
    super(`stopped by ${stopSignal}`);
  }
}

/**
 * The exit code of a command that stopped in order because `signal` was aborted: its reason
 * names the signal (`watchStopSignals`); an abort without one (an embedding program, a test) is
 * taken for Ctrl-C's.
 */
export function stoppedExitCode(signal: AbortSignal | undefined): number {
  const reason: unknown = signal?.reason;
  return signalExitCode(reason instanceof StopSignalAbort ? reason.stopSignal : 'SIGINT');
}

/**
 * What the command in `argv` finishes before it stops on a first signal: `batch` for import and
 * migrate, `poll` for matches --watch, undefined for every other command. Decided from `argv`
 * parsed as `main` parses it — the command is the first positional, `--watch` a flag — so a flag's
 * value that reads `import` or `--watch` counts for nothing; argv `main` refuses, or a request for
 * help, is answered at once, so undefined.
 */
export function stopFinishing(argv: readonly string[]): 'batch' | 'poll' | undefined {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch {
    return undefined;
  }
  const { values, positionals } = parsed;
  if (values.help === true) return undefined;
  const command = positionals[0];
  if (command === 'import' || command === 'migrate') return 'batch';
  if (command === 'matches' && values.watch === true) return 'poll';
  return undefined;
}

export interface StopSignalOptions {
  /**
   * What a long-running command finishes before it stops (`batch`, `poll`); undefined for every
   * other command, which the first signal ends at once.
   */
  readonly finishing: string | undefined;
  /** Aborted on the first signal, with a StopSignalAbort naming it as its reason. */
  readonly controller: AbortController;
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Ends the process at once (process.exit). */
  readonly exit: (code: number) => void;
  /** Registers a signal listener (process.on; tests pass an EventEmitter's). */
  readonly on: (signal: StopSignal, listener: () => void) => unknown;
  /** Removes one (process.off). */
  readonly off: (signal: StopSignal, listener: () => void) => unknown;
}

/**
 * Installs the SIGINT and SIGTERM listeners for one CLI run; the returned `done` removes them, so
 * a signal after the command has returned ends the process as it would without them.
 */
export function watchStopSignals(options: StopSignalOptions): () => void {
  const { finishing, controller, stderr } = options;
  const installed: [StopSignal, () => void][] = [];
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    const listener = () => {
      if (finishing === undefined || controller.signal.aborted) {
        options.exit(signalExitCode(name));
        return;
      }
      // On a terminal the line starts below the progress bar (redrawn in place, progress.ts)
      // and the `^C` the terminal echoed; in a log it is one line of its own.
      stderr.write(
        `${stderr.isTTY === true ? '\n' : ''}${name} received: stopping after the current ${finishing} (a second Ctrl-C or SIGTERM quits at once)\n`,
      );
      controller.abort(new StopSignalAbort(name));
    };
    options.on(name, listener);
    installed.push([name, listener]);
  }
  return () => {
    for (const [name, listener] of installed) options.off(name, listener);
  };
}
