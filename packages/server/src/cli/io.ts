// What the CLI needs from its surroundings, injected so main() runs in-process in tests,
// and how its errors become exit codes.

import { isCliErrorCode, ServerError } from '../errors.js';

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Reads standard input to the end (used for the BSN prompt); undefined when there is none. */
  readonly readStdin?: () => Promise<string>;
  readonly cwd: string;
  /** Arranges for `stop` to be called on shutdown (default: `defaultOnShutdown`); returns an undo. */
  readonly onShutdown?: (stop: () => void) => () => void;
  readonly fetch?: typeof fetch;
}

/**
 * The real process's shutdown hook (tests pass `io.onShutdown` instead): the first SIGTERM or
 * SIGINT calls `stop` and removes both handlers, so a second signal ends the process at once
 * (docs/operations.md "Shutdown", "Moving to PostgreSQL"). Returns an undo.
 */
export function defaultOnShutdown(stop: () => void): () => void {
  const undo = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  function onSignal() {
    undo();
    stop();
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return undo;
}

/** Exit codes of every sluis-server command (docs/operations.md). */
export const EXIT = {
  ok: 0,
  /** The server refused the request, or a check failed (e.g. the logbook does not verify). */
  refused: 1,
  /** Bad usage or configuration. */
  usage: 2,
  /** The server could not be reached, an unexpected error, or stopped by a signal (backup, migrate-store). */
  unavailable: 3,
} as const;

/** A usage error: `hint` is a fixed sentence of this package (flag names, never values). */
export function usageError(hint: string): ServerError {
  return new ServerError('usage_invalid', { hint });
}

/** The one place that maps the CLI's error codes to exit codes. */
export function exitCodeOf(e: ServerError): number {
  switch (e.code) {
    case 'backup_source_missing':
    case 'backup_target_exists':
    case 'backup_target_folder_missing':
    case 'backup_integrity_failed':
    case 'backup_failed':
    case 'admin_refused':
      return EXIT.refused;
    case 'admin_unreachable':
    case 'database_connect_failed':
      return EXIT.unavailable;
    default:
      return isCliErrorCode(e.code) ? EXIT.usage : EXIT.unavailable;
  }
}

/**
 * For echoing a user's own argument in an error (an unknown option or command): runs of
 * digits are masked, so a BSN typed in the wrong place never reaches the terminal log.
 */
export function redact(text: string): string {
  return text.replace(/[0-9][0-9 .-]{4,}[0-9]/g, '…').slice(0, 200);
}
