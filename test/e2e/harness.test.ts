// The real-process harness itself: the built server starts on a random loopback port,
// answers, restarts on the same data directory, and stops cleanly on SIGTERM.

import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer, tempDir } from '../support/server-process.js';

describe('server process harness', () => {
  const running: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of running) if (s.process.exitCode === null) await s.kill();
  });

  it('starts, restarts on the same database and stops with exit code 0', async () => {
    const dataDir = tempDir();
    const first = await startServer({ dataDir });
    running.push(first);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    expect(first.output()).toContain('first start');
    expect(await first.stop()).toBe(0);

    const second = await startServer({ dataDir });
    running.push(second);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    expect(second.output()).not.toContain('first start');
    await second.kill();
    expect(second.process.signalCode).toBe('SIGKILL');
  });
});
