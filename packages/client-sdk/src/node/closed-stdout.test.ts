// A closed stdout does not change what the real `sluis` process exits with (docs/sdk.md "CLI
// reference (`sluis`)"): the read end of its stdout pipe is closed before it writes, as `head -1`
// does once it has its line. Runs the built bin (dist/), as an installed CLI would.

import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWithClosedStdout } from '../../../../test/support/closed-stdout.js';
import { watchForClosedStdout } from './closed-stdout.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sluis.js');

describe('a closed stdout', () => {
  it('keeps the command’s own exit code, without a stack trace', async () => {
    // --help writes the usage (0); a usage error with --json writes its error object on stdout (2).
    const help = await runWithClosedStdout(BIN, ['--help']);
    expect(help).toEqual({ code: 0, stderr: '' });
    const usage = await runWithClosedStdout(BIN, ['--json', 'no-such-command']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('error: unknown command (see sluis --help)\n');
  });

  it('is remembered after an EPIPE; another stdout error still surfaces', async () => {
    const stdout = Object.assign(new EventEmitter(), { writableLength: 0 });
    const closed = watchForClosedStdout(stdout);
    expect(await closed()).toBe(false);
    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(await closed()).toBe(true);
    expect(() => stdout.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).toThrow('EIO');
  });

  it('waits for a write still queued before it answers', async () => {
    const stdout = Object.assign(new EventEmitter(), { writableLength: 10 });
    const closed = watchForClosedStdout(stdout);
    const answer = closed();
    setTimeout(() => stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })), 20);
    setTimeout(() => stdout.emit('close'), 25);
    expect(await answer).toBe(true);
  });
});
