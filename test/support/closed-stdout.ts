// Runs a real CLI bin (`sluis`, `sluis-server`: their dist/, as installed) with the read end of its
// stdout pipe closed before the first write, as `head -1` does once it has its line; answers the
// exit code and all the process wrote on stderr, for the tests that a closed stdout leaves the
// command's own exit code and no stack trace (docs/sdk.md "CLI reference (`sluis`)",
// docs/operations.md "The admin CLI").

import { spawn } from 'node:child_process';

export function runWithClosedStdout(
  bin: string,
  args: readonly string[],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '' },
    });
    child.stdout.destroy(); // the reader is gone before the first write
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
