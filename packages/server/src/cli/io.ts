// What the CLI needs from its surroundings, injected so main() runs in-process in tests.

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Reads standard input to the end (used for the BSN prompt); undefined when there is none. */
  readonly readStdin?: () => Promise<string>;
  readonly cwd: string;
  /** Arranges for `stop` to be called on shutdown (default: SIGTERM and SIGINT); returns an undo. */
  readonly onShutdown?: (stop: () => void) => () => void;
  readonly fetch?: typeof fetch;
}

/** Exit codes of every sluis-server command (docs/operations.md). */
export const EXIT = {
  ok: 0,
  /** The server refused the request, or a check failed (e.g. the logbook does not verify). */
  refused: 1,
  /** Bad usage or configuration. */
  usage: 2,
  /** The server could not be reached, or an unexpected error. */
  unavailable: 3,
} as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * For echoing a user's own argument in an error (an unknown option or command): runs of
 * digits are masked, so a BSN typed in the wrong place never reaches the terminal log.
 */
export function redact(text: string): string {
  return text.replace(/[0-9][0-9 .-]{4,}[0-9]/g, '…').slice(0, 200);
}
