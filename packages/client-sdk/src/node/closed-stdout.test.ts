// A closed stdout ends the real `sluis` process quietly with exit 0 (docs/sdk.md "CLI reference
// (`sluis`)"): the read end of its stdout pipe is closed before it writes, as `head -1` does
// once it has its line. Runs the built bin (dist/), as an installed CLI would.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endQuietlyWhenStdoutCloses } from './closed-stdout.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sluis.js');

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

describe('a closed stdout', () => {
  it('ends the CLI quietly with exit 0, whatever the command writes', async () => {
    // --help writes the usage; a usage error with --json writes its error object on stdout.
    for (const args of [['--help'], ['--json', 'no-such-command']]) {
      const r = await runWithClosedStdout(args);
      expect(r.stderr).not.toMatch(/EPIPE|Unhandled|node:/);
      expect(r.code).toBe(0);
    }
  });

  it('hides only EPIPE: another stdout error still surfaces', () => {
    let listener: ((e: Error & { code?: string }) => void) | undefined;
    const exits: number[] = [];
    endQuietlyWhenStdoutCloses({ on: (_event, l) => (listener = l) }, (code) => exits.push(code));
    listener?.(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(exits).toEqual([0]);
    expect(() => listener?.(Object.assign(new Error('write EIO'), { code: 'EIO' }))).toThrow('EIO');
    expect(exits).toEqual([0]);
  });
});
