// The test processes' ports (ports.ts): below the kernel's ephemeral range, in this worker's
// slice, free when handed out and never handed out twice; a start that meets a taken port goes
// again on another, and any other failure is thrown at once.

import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ephemeralLow, freshPort, portSlice, portTaken, START_ATTEMPTS, startOnFreshPort } from './ports.js';

const listen = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
const close = (s: Server) => new Promise((r) => s.close(r));

describe('freshPort', () => {
  it('is below the ephemeral range, in this worker’s slice, free, and never the same twice', async () => {
    const slice = portSlice();
    expect(slice.to).toBeLessThanOrEqual(ephemeralLow());
    const ports = [];
    for (let i = 0; i < 50; i++) ports.push(await freshPort());
    expect(new Set(ports).size).toBe(50);
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(slice.from);
      expect(p).toBeLessThan(slice.to);
    }
    // Free: it can be listened on.
    await close(await listen(ports[0]!));
  });

  it('slices: one per worker and one for the main process, sized to fit below the range, never shared', () => {
    expect(portSlice(0, 32_768, 2)).toEqual({ from: 10_000, to: 11_000 });
    expect(portSlice(1, 32_768, 2)).toEqual({ from: 11_000, to: 12_000 });
    expect(portSlice(2, 32_768, 2)).toEqual({ from: 12_000, to: 13_000 });
    // 31 workers (32 cores): 32 slices of 711 ports, the last ending below the range, none shared.
    const slices = Array.from({ length: 32 }, (_, id) => portSlice(id, 32_768, 31));
    expect(slices[0]).toEqual({ from: 10_000, to: 10_711 });
    expect(slices[31]!.to).toBeLessThanOrEqual(32_768);
    for (let id = 1; id < 32; id++) expect(slices[id]!.from).toBe(slices[id - 1]!.to);
    // A pool id above the worker count has no slice of its own: refused, not wrapped onto slice 0.
    expect(() => portSlice(3, 32_768, 2)).toThrow('VITEST_POOL_ID 3 is above the 2 test workers');
    // No room for a slice of 100 each: refused, naming the kernel setting.
    expect(() => portSlice(1, 1024, 2)).toThrow(
      /ephemeral range, which starts at 1024 .*ip_local_port_range/,
    );
    expect(() => portSlice(1, 32_768, 300)).toThrow(/lower SLUIS_TEST_WORKERS/);
    expect(ephemeralLow(() => '32768\t60999\n')).toBe(32_768);
    expect(ephemeralLow(() => '1024 65535')).toBe(1024);
    expect(ephemeralLow(() => 'junk')).toBe(32_768);
    expect(
      ephemeralLow(() => {
        throw new Error('no /proc');
      }),
    ).toBe(32_768);
  });
});

describe('startOnFreshPort', () => {
  it('goes again on another port when the first was taken, and returns the start’s value', async () => {
    const tried: number[] = [];
    const blockers: Server[] = [];
    try {
      const got = await startOnFreshPort(async (port) => {
        tried.push(port);
        // Another process took the port between the draw and the start.
        if (tried.length === 1) blockers.push(await listen(port));
        const s = await listen(port);
        blockers.push(s);
        return port;
      });
      expect(tried).toHaveLength(2);
      expect(got).toBe(tried[1]);
      expect(tried[1]).not.toBe(tried[0]);
    } finally {
      for (const b of blockers) await close(b);
    }
  });

  it('throws any other failure at once, and a taken port after START_ATTEMPTS tries', async () => {
    let calls = 0;
    await expect(
      startOnFreshPort(async () => {
        calls++;
        throw new Error('the data directory cannot be read');
      }),
    ).rejects.toThrow('the data directory cannot be read');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      startOnFreshPort(async (port) => {
        calls++;
        throw new Error(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
      }),
    ).rejects.toThrow('EADDRINUSE');
    expect(calls).toBe(START_ATTEMPTS);
  });

  it('portTaken reads each process’s own words', () => {
    expect(portTaken(new Error('sluis-server: cannot listen on 127.0.0.1:4000 (EADDRINUSE)'))).toBe(true);
    expect(portTaken(new Error('sluis-pseudonym-service: could not start: EADDRINUSE'))).toBe(true);
    expect(
      portTaken(new Error('LOG:  could not bind IPv4 address "127.0.0.1": Address already in use')),
    ).toBe(true);
    expect(portTaken(new Error('server exited with 3 before listening: database_corrupt'))).toBe(false);
  });
});
