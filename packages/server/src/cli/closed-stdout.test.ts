// A closed stdout ends the real `sluis-server` process's one-shot commands quietly, with the
// command's own exit code (docs/operations.md "The admin CLI"), as it does `sluis`: the read end of its stdout pipe is
// closed before it writes, as `head -1` does once it has its line. Runs the built bin (dist/),
// as an installed server would.

import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sluis-server.js');

function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
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

describe('sluis-server with a closed stdout', () => {
  it('ends admin, help and version quietly with exit 0', async () => {
    for (const args of [['admin', '--help'], ['help'], ['version']]) {
      const r = await runWithClosedStdout(args);
      expect(r.stderr, args.join(' ')).not.toMatch(/EPIPE|Unhandled|node:/);
      expect(r.code, args.join(' ')).toBe(0);
    }
  }, 60_000);

  it("keeps a failing command's own exit code", async () => {
    const args = ['admin', 'no-such-command'];
    const open = spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '' } });
    expect(open.status).not.toBe(0);
    const r = await runWithClosedStdout(args);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|node:/);
    expect(r.code).toBe(open.status);
  }, 60_000);
});
