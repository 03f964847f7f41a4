// A SIGTERM while the server starts (docs/operations.md "Shutdown"): the handlers are in place
// before the start makes or opens a file, so the start finishes and the server stops in order — exit
// 0, `server_stopped` its last log line — instead of the process ending by the signal between two
// steps of its start. The signal is sent the moment the start makes keys/ in the (empty) data
// directory, before it opens the database; and, as a supervisor or a script may, the moment the
// server says "listening".

import { spawn } from 'node:child_process';
import { rmSync, watch } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_CLI, tempDir } from '../support/server-process.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts the built server on a new data directory and sends SIGTERM when `when` first holds. */
async function stopWhen(when: (dataDir: string, stderr: string, created: string | null) => boolean) {
  const dataDir = tempDir('sluis-stop-start-');
  dirs.push(dataDir);
  const child = spawn(process.execPath, [SERVER_CLI, 'start', '--data-dir', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  const send = (created: string | null) => {
    if (sent || !when(dataDir, stderr, created)) return;
    sent = true;
    child.kill('SIGTERM');
  };
  const watcher = watch(dataDir, (_event, name) => send(name));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    send(null);
  });
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  watcher.close();
  const events = stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { event: string }).event);
  return { sent, exit, events, stderr };
}

describe('a SIGTERM while the server starts', () => {
  it('once the start has made keys/: the start finishes, the server stops in order, exit 0', async () => {
    const r = await stopWhen((_dir, _stderr, created) => created === 'keys');
    expect(r.sent).toBe(true);
    expect(r.exit).toEqual({ code: 0, signal: null });
    expect(r.events.at(-1)).toBe('server_stopped');
    expect(r.events).toContain('server_started');
  });

  it('the moment it says "listening": stopped in order, exit 0', async () => {
    // Five times: the gap this closes (the handlers were installed after the line was written)
    // is a few microseconds wide, met only now and then.
    for (let i = 0; i < 5; i++) {
      const r = await stopWhen((_dir, stderr) => stderr.includes('listening on'));
      expect(r.sent).toBe(true);
      expect(r.exit).toEqual({ code: 0, signal: null });
      expect(r.events.at(-1)).toBe('server_stopped');
    }
  });
});
