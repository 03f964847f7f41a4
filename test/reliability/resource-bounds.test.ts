// Resource bounds (docs/reliability.md §5) on the real server process: clients that dribble their
// headers (slowloris) and idle connections are cut off by the headers timeout and the
// connection cap while other clients keep being served; memory stays flat over repeated
// placement/withdrawal cycles. These are bounded resource checks — the time and memory
// limits asserted here are stated in docs/reliability.md, with the figures of a run.

import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SERVER_WAIT } from '../support/server-wait.js';
import { type ServerProcess, startServer } from '../support/server-process.js';
import { LOAD_ARGS } from './deployment.js';
import {
  admit,
  adminClient,
  destroyKeys,
  metric,
  metricsText,
  type Org,
  placementBody,
  randomPerson,
  scale,
  sleep,
  summary,
} from './support.js';

const HEADERS_TIMEOUT_S = 1;
const MAX_CONNECTIONS = 100;

let server: ServerProcess;
let org: Org;

beforeAll(async () => {
  server = await startServer({
    args: [
      ...LOAD_ARGS,
      '--headers-timeout',
      String(HEADERS_TIMEOUT_S),
      '--keep-alive-timeout',
      '1',
      '--idle-timeout',
      String(HEADERS_TIMEOUT_S),
      '--max-connections',
      String(MAX_CONNECTIONS),
    ],
  });
  const admin = adminClient(server.adminKeyFile, () => server.url);
  org = await admit(admin, 'Jeugdzorg', () => server.url);
});
afterAll(async () => {
  try {
    await server?.stop();
  } finally {
    destroyKeys();
  }
});

function open(): Promise<{ socket: Socket; closed: Promise<number> }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    const openedAt = performance.now();
    const closed = new Promise<number>((r) => socket.on('close', () => r(performance.now() - openedAt)));
    // Read whatever the server sends (a 408 when its headers check wins the race against
    // the idle timeout): unread data would keep the stream from ever reaching 'end' and
    // 'close', and a server that did close the connection would look as if it had not.
    socket.resume();
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Time for a normal signed request; it must succeed. */
async function served(): Promise<number> {
  const started = performance.now();
  const a = await org.client.call('GET', '/v1/whoami');
  expect(a.status).toBe(200);
  return performance.now() - started;
}

describe('slow and idle clients', () => {
  it('a slowloris client dribbling headers is cut off by the headers timeout; others are served meanwhile', async () => {
    const slow = await Promise.all(Array.from({ length: 40 }, open));
    let dribbling = true;
    const dribble = (async () => {
      for (const s of slow) s.socket.write('POST /v1/signals HTTP/1.1\r\nHost: x\r\n');
      for (let i = 0; dribbling && i < 100; i++) {
        await sleep(200);
        for (const s of slow) if (!s.socket.destroyed) s.socket.write(`X-Slow-${i}: a\r\n`);
      }
    })();
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) latencies.push(await served());
    // Every slow connection is closed by the server, bounded by the headers timeout plus
    // the checking interval; the bound asserted is 4× the timeout.
    const closedAfter = await Promise.all(slow.map((s) => s.closed));
    dribbling = false;
    await dribble;
    expect(Math.max(...closedAfter)).toBeLessThan(HEADERS_TIMEOUT_S * 4_000);
    // Bounded resource check: normal requests stayed fast while 40 clients dribbled.
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    summary('slowloris', {
      slowClients: slow.length,
      headersTimeoutSeconds: HEADERS_TIMEOUT_S,
      maxClosedAfterMs: Math.round(Math.max(...closedAfter)),
      normalRequests: latencies.length,
      maxNormalLatencyMs: Math.round(Math.max(...latencies)),
    });
  });

  it('idle connections beyond the cap are closed at once and the rest time out; service resumes', async () => {
    const idle = await Promise.all(Array.from({ length: MAX_CONNECTIONS + 50 }, open));
    // Over the cap: the server closes the excess as it accepts them. A socket closed less than
    // the idle and headers timeouts after its own connect call was closed by the cap (the server
    // starts those timers at accept, which comes after that call), however long the 150 connects
    // took together: wait for 50 such closes, bounded by SERVER_WAIT, rather than a fixed window.
    const early: number[] = [];
    for (const s of idle)
      void s.closed.then((ms) => {
        if (ms < HEADERS_TIMEOUT_S * 1000) early.push(ms);
      });
    await vi.waitFor(
      () =>
        expect(
          early.length,
          `connections closed by the cap of ${MAX_CONNECTIONS} (each less than the ${HEADERS_TIMEOUT_S} s timeouts after its connect), of ${idle.length}`,
        ).toBeGreaterThanOrEqual(50),
      {
        timeout: SERVER_WAIT,
        interval: 20,
      },
    );
    const closedEarly = early.length;
    // Idle connections send nothing and are reaped by the idle timeout; a normal client
    // is served again within that bound.
    const started = performance.now();
    let ok = false;
    while (!ok && performance.now() - started < HEADERS_TIMEOUT_S * 5_000) {
      try {
        ok = (await org.client.call('GET', '/v1/whoami')).status === 200;
      } catch {
        await sleep(100);
      }
    }
    expect(ok).toBe(true);
    const closedAfter = await Promise.all(idle.map((s) => s.closed));
    expect(Math.max(...closedAfter)).toBeLessThan(HEADERS_TIMEOUT_S * 5_000);
    summary('idle-connections', {
      opened: idle.length,
      maxConnections: MAX_CONNECTIONS,
      closedByTheCap: closedEarly,
      servedAgainAfterMs: Math.round(performance.now() - started),
      allClosedWithinMs: Math.round(Math.max(...closedAfter)),
    });
  });
});

describe('memory', () => {
  const WARMUP = scale(300, 5_000);
  const CYCLES = scale(900, 60_000);
  // A server of its own with the default timeouts: the 1 s headers and keep-alive timeouts of
  // the server above, met by 32 clients on a crowded machine, answered 408 or closed a kept-alive
  // connection under a request. This is a check of memory, not of those timeouts.
  let soak: ServerProcess;
  let soakOrg: Org;
  beforeAll(async () => {
    soak = await startServer({ args: [...LOAD_ARGS] });
    soakOrg = await admit(
      adminClient(soak.adminKeyFile, () => soak.url),
      'Jeugdzorg',
      () => soak.url,
    );
  });
  afterAll(async () => {
    await soak?.stop();
  });

  it(
    'stays flat over repeated placement/withdrawal cycles (RSS from /metrics)',
    async () => {
      const cycle = async (n: number) => {
        let next = 0;
        const worker = async () => {
          while (next < n) {
            next++;
            const a = await soakOrg.client.call(
              'POST',
              '/v1/signals',
              placementBody(randomUUID(), randomPerson()),
            );
            expect(a.status).toBe(201);
            const id = a.json<{ signal: { id: string } }>().signal.id;
            const w = await soakOrg.client.call('POST', `/v1/signals/${id}/withdraw`, { reason: 'error' });
            expect(w.status).toBe(204);
          }
        };
        await Promise.all(Array.from({ length: 32 }, worker));
      };
      const rss = async () => {
        await sleep(500);
        const v = metric(await metricsText(soak), 'process_resident_memory_bytes');
        expect(v).toBeGreaterThan(0);
        return v!;
      };
      await cycle(WARMUP);
      const before = await rss();
      await cycle(CYCLES);
      const after = await rss();
      const growth = after - before;
      // Bounded resource check: after warm-up, RSS grows by less than 64 MiB (the SQLite page
      // cache and the 10-minute nonce window are bounded; a per-request leak is not).
      expect(growth).toBeLessThan(64 * 1024 * 1024);
      summary('memory', {
        warmupCycles: WARMUP,
        cycles: CYCLES,
        requests: 2 * (WARMUP + CYCLES),
        rssBeforeMiB: Math.round(before / 1048576),
        rssAfterMiB: Math.round(after / 1048576),
        growthMiB: Math.round((growth / 1048576) * 10) / 10,
      });
    },
    scale(120_000, 3_600_000),
  );
});
