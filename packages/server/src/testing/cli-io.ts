// The CLI's I/O captured for tests: what a command wrote to stdout and stderr, its
// shutdown hook, and for `start` the URL it listens on once it says so.

import type { CliIo } from '../cli/io.js';

/** A CliIo for `cwd` (with `extra` in place of its parts) that keeps what is written. */
export function captureCliIo(cwd: string, extra: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let stop: (() => void) | undefined;
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    cwd,
    onShutdown: (s) => {
      stop = s;
      return () => {};
    },
    ...extra,
  };
  return {
    io,
    out: () => out.join(''),
    err: () => err.join(''),
    stop: () => stop?.(),
    waitStarted: async () => {
      const end = Date.now() + 10_000;
      while (!err.join('').includes('listening on')) {
        if (Date.now() > end) throw new Error(`not started: ${err.join('')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return /listening on (http:\/\/\S+)/.exec(err.join(''))![1]!;
    },
  };
}
