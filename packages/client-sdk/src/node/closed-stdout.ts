// A reader that stops early (`sluis matches --json | head -1`) closes the pipe, and the CLI's
// next write to stdout fails with EPIPE. The CLI then goes on to the end of its command and exits
// with the command's own code (a usage error stays 2): the EPIPE is only swallowed, so no stack
// trace alarms anyone, and remembered, so a command that saves progress for what it printed
// (`matches --cursor-file`) knows the reader did not get it (docs/sdk.md "CLI reference
// (`sluis`)"). Every command writes through the one process stdout, so one handler covers them
// all. Any other stdout error is not hidden.

/** The part of a writable stream this needs (process.stdout). */
export interface WatchedStdout {
  on(event: 'error', listener: (e: Error & { code?: string }) => void): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  readonly writableLength: number;
}

/**
 * Swallows EPIPE on `stdout` and returns a check that says whether stdout was closed by now:
 * it first lets every write made so far finish or fail, since a write's EPIPE is reported a
 * tick later (or, for a write still queued, when it fails).
 */
export function watchForClosedStdout(stdout: WatchedStdout): () => Promise<boolean> {
  let closed = false;
  stdout.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!closed && stdout.writableLength > 0) {
      await new Promise<void>((resolve) => {
        stdout.once('drain', resolve);
        stdout.once('close', resolve);
      });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return closed;
  };
}

/**
 * The name main's `sluis-server` CLI imports (its one-shot commands, packages/server/src/cli.ts):
 * the same handler, so they too keep their own exit code on a closed stdout.
 */
export const endQuietlyWhenStdoutCloses = watchForClosedStdout;
