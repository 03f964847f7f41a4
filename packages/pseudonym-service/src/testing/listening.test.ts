// The shared wait for the `listening` line (listening.ts), on real processes that write what the
// service writes: the lines before it are kept, and an exit or a silence before it is an error
// that carries the process's output.

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { untilListening } from './listening.js';

const node = (script: string) =>
  spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });

const WARNING = '{"level":"warn","event":"node_unsupported"}';
const LISTENING = '{"level":"info","event":"listening","url":"http://127.0.0.1:4321"}';

describe('untilListening', () => {
  it('resolves with the URL, keeping the lines before it and the output after it', async () => {
    const child = node(
      `console.log(${JSON.stringify(WARNING)}); console.error('on stderr');
       setTimeout(() => console.log(${JSON.stringify(LISTENING)}), 50);
       setTimeout(() => console.log('after'), 100);`,
    );
    const service = await untilListening(child);
    expect(service.url).toBe('http://127.0.0.1:4321');
    expect(service.stdout().split('\n').slice(0, 2)).toEqual([WARNING, LISTENING]);
    await new Promise((resolve) => child.once('close', resolve));
    expect(service.stdout()).toBe(`${WARNING}\n${LISTENING}\nafter\n`);
    expect(service.stderr()).toBe('on stderr\n');
  });

  it('rejects an exit before listening, with its code and all its output', async () => {
    const child = node(`console.log('first'); console.error('data_dir_missing: run init'); process.exit(2);`);
    await expect(untilListening(child)).rejects.toThrow(
      'the pseudonym service exited with code 2 before listening: stdout: first; stderr: data_dir_missing: run init',
    );
  });

  it('rejects a process that does not listen in time, with its output', async () => {
    // 5 s: time for a crowded machine to start node and print the warning.
    const child = node(`console.log(${JSON.stringify(WARNING)}); setTimeout(() => {}, 15_000);`);
    try {
      await expect(untilListening(child, 5_000)).rejects.toThrow(
        `the pseudonym service did not listen within 5000 ms: stdout: ${WARNING}; stderr: (none)`,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});
