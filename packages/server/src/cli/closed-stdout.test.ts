// A closed stdout ends the real `sluis-server` process's one-shot commands quietly, with the
// command's own exit code (docs/operations.md "The admin CLI"), as it does `sluis`: the read end of its stdout pipe is
// closed before it writes, as `head -1` does once it has its line. Runs the built bin (dist/),
// as an installed server would.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWithClosedStdout } from '../../../../test/support/closed-stdout.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sluis-server.js');

describe('sluis-server with a closed stdout', () => {
  it('ends admin, help and version quietly with exit 0', async () => {
    for (const args of [['admin', '--help'], ['help'], ['version']]) {
      const r = await runWithClosedStdout(BIN, args);
      expect(r.stderr, args.join(' ')).not.toMatch(/EPIPE|Unhandled|node:/);
      expect(r.code, args.join(' ')).toBe(0);
    }
  }, 60_000);

  it("keeps a failing command's own exit code", async () => {
    const args = ['admin', 'no-such-command'];
    const open = spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '' } });
    expect(open.status).not.toBe(0);
    const r = await runWithClosedStdout(BIN, args);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|node:/);
    expect(r.code).toBe(open.status);
  }, 60_000);
});
