// drainOnStop's HTTP/1.1 assumption (docs/operations.md "Shutdown"): it drains node:http's
// server, and refuses an HTTP/2 one, where its `Connection: close` header is forbidden.

import { createServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { describe, expect, it } from 'vitest';
import { drainOnStop } from './drain.js';

describe('drainOnStop', () => {
  it('drains an HTTP/1.1 server: an answer after start() closes its connection', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const drain = drainOnStop(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const before = await fetch(`http://127.0.0.1:${port}/`);
      expect(before.headers.get('connection')).toBe('keep-alive');
      await before.text();
      drain.start();
      const after = await fetch(`http://127.0.0.1:${port}/`);
      expect(after.headers.get('connection')).toBe('close');
      await after.text();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses an HTTP/2 server instead of sending it Connection: close', () => {
    const server = createHttp2Server();
    expect(() => drainOnStop(server)).toThrow(/HTTP\/1\.1 \(node:http\) server only/);
  });
});
