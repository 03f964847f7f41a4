// A reader that stops early (`sluis matches --json | head -1`) closes the pipe, and the CLI's
// next write to stdout fails with EPIPE. Like `git log | head`, the CLI then ends quietly with
// exit 0: the reader took what it wanted, and a stack trace on stderr would only alarm
// (docs/sdk.md "CLI reference (`sluis`)"). Every command writes through the one process stdout,
// so one handler covers them all. Any other stdout error is not hidden.

/** The part of a writable stream this needs (process.stdout). */
export interface ErrorEmitter {
  on(event: 'error', listener: (e: Error & { code?: string }) => void): unknown;
}

export function endQuietlyWhenStdoutCloses(
  stdout: ErrorEmitter,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  stdout.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    exit(0);
  });
}
