// The wait for a started `sluis-pseudonym-service start` to listen, shared by every test and bench
// that runs the built service as a process: the URL comes from the `listening` line on stdout
// (cli-start.ts writes it once the port is bound). Lines before it (a `node_unsupported` warning)
// are kept, not dropped; an exit before it is an error that carries what the process wrote.
// No vitest here: the bench imports it too.

import type { ChildProcess } from 'node:child_process';

export interface ListeningService {
  readonly url: string;
  /** All the process has written to stdout so far, the lines before `listening` included. */
  stdout(): string;
  /** All it has written to stderr so far ('' when its stderr is not a pipe). */
  stderr(): string;
}

/**
 * Resolves once `child` writes its `listening` line; rejects, naming its exit code or signal and
 * its output, when it exits first, or when `timeoutMs` (if given) passes first.
 */
export function untilListening(child: ChildProcess, timeoutMs?: number): Promise<ListeningService> {
  let stdout = '';
  let stderr = '';
  let listening = false;
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const output = () => `stdout: ${stdout.trimEnd() || '(none)'}; stderr: ${stderr.trimEnd() || '(none)'}`;
  return new Promise((resolve, reject) => {
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            reject(new Error(`the pseudonym service did not listen within ${timeoutMs} ms: ${output()}`));
          }, timeoutMs);
    // `close`, not `exit`: by then all of its output has been read.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const how = code === null ? `on ${signal}` : `with code ${code}`;
      reject(new Error(`the pseudonym service exited ${how} before listening: ${output()}`));
    });
    child.stdout!.on('data', (d) => {
      stdout += String(d);
      if (listening) return;
      const line = stdout
        .split('\n')
        .slice(0, -1)
        .find((l) => l.includes('"event":"listening"'));
      if (line === undefined) return;
      listening = true;
      clearTimeout(timer);
      const { url } = JSON.parse(line) as { url: string };
      resolve({ url, stdout: () => stdout, stderr: () => stderr });
    });
  });
}
