// connectionRefused (postgres.ts): a port that refuses reads as refused; a server that neither
// accepts nor refuses (a hung postmaster: it takes the connection and never answers) throws
// within psql's 5 s connect timeout instead of blocking the test process or reading as refused.

import { createServer, type Socket } from 'node:net';
import { expect, it, onTestFinished } from 'vitest';
import { freshPort } from './ports.js';
import { connectionRefused, findPostgresBinaries } from './postgres.js';

// Without the PostgreSQL binaries there is no psql to run (as for every PostgreSQL test here).
const noPsql = findPostgresBinaries() === undefined;

it.skipIf(noPsql)('a port nothing listens on is refused', async () => {
  const port = await freshPort();
  expect(connectionRefused(`postgres://sluis@127.0.0.1:${port}/postgres`)).toBe(true);
});

it.skipIf(noPsql)('a server that never answers throws within the connect timeout', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const { port } = silent.address() as { port: number };
  const began = Date.now();
  expect(() => connectionRefused(`postgres://sluis@127.0.0.1:${port}/postgres`)).toThrow(
    'neither refused nor accepted',
  );
  expect(Date.now() - began).toBeLessThan(9_000);
});
