// Loopback ports for the test processes that must be told their port before they start — a
// PostgreSQL cluster (`-p`), a match server whose passkey origin names its port, a pseudonym
// service whose URL is pinned in a portal build, an SMTP server that comes up after the match
// server's mail configuration named it, a server started on its own config file — and ports that
// nothing may listen on. A port probed with listen(0) and bound later can be taken in between:
// listen(0) and connect() of every process on the machine (a parallel test file's server,
// PostgreSQL, Chromium) draw from the kernel's ephemeral range. These come from below that range,
// where neither ever draws, from a slice of their own per vitest worker and one for the main
// process (two test files running side by side never draw the same one: the slices are sized
// from the worker count, and a worker without a slice of its own, or a range with no room for
// one each, is refused, never wrapped), never twice in one process (a cluster stopped for a
// while keeps its port); and a start that still meets a taken port (a service of the machine,
// another test run beside this one) tries again on another one (README "Test workers").

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { testWorkers } from './test-workers.js';

/** Ports per slice at most; a worker draws from its own. */
const SLICE = 1000;
/** Ports per slice at least: a file draws a few dozen (START_ATTEMPTS each start at most). */
const SLICE_MIN = 100;
/** Below this: the well-known and registered ports of the usual services (5432, 8080, 9000…). */
const LOWEST = 10_000;
/** The kernel's ephemeral range's first port where it cannot be read (Linux's default). */
const EPHEMERAL_LOW_DEFAULT = 32_768;
/** Fresh ports tried by startOnFreshPort before the last failure is thrown. */
export const START_ATTEMPTS = 5;

const handedOut = new Set<number>();

/** The first port of the kernel's ephemeral range (Linux), or its default. */
export function ephemeralLow(
  read: () => string = () => readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'),
): number {
  try {
    const low = Number(read().trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : EPHEMERAL_LOW_DEFAULT;
  } catch {
    return EPHEMERAL_LOW_DEFAULT;
  }
}

/**
 * The ports this process draws from: slice `VITEST_POOL_ID` (1…the worker count; 0 for the
 * main process: the global setup's cluster, the bench) of [LOWEST, the ephemeral range), each
 * slice of SLICE ports, fewer where the workers and the main process need more slices than that
 * fits (SLICE_MIN at least). Throws where a pool id has no slice of its own or the range has no
 * room, never wrapping onto another process's slice.
 */
export function portSlice(
  poolId = Number(process.env.VITEST_POOL_ID ?? 0),
  low = ephemeralLow(),
  workers = testWorkers(),
): { readonly from: number; readonly to: number } {
  const id = Number.isInteger(poolId) && poolId > 0 ? poolId : 0;
  const size = Math.min(SLICE, Math.floor((low - LOWEST) / (workers + 1)));
  if (size < SLICE_MIN) {
    throw new Error(
      `no room for ${workers + 1} port slices of ${SLICE_MIN} between ${LOWEST} and the kernel's ephemeral range, which starts at ${low} (/proc/sys/net/ipv4/ip_local_port_range): raise its first port (sysctl net.ipv4.ip_local_port_range) or lower SLUIS_TEST_WORKERS (README "Test workers")`,
    );
  }
  if (id > workers) {
    throw new Error(
      `VITEST_POOL_ID ${id} is above the ${workers} test workers: it has no port slice of its own`,
    );
  }
  const from = LOWEST + id * size;
  return { from, to: from + size };
}

/** Whether `port` (0: any) can be listened on at 127.0.0.1 now; the port it got, or undefined. */
function probe(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EADDRINUSE' || e.code === 'EACCES' ? resolve(undefined) : reject(e),
    );
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : undefined));
    });
  });
}

/**
 * A loopback port that nothing listens on now, from this process's slice, never handed out
 * before in this process: for a process told its port before it starts, or for a port that
 * must refuse connections. Throws as portSlice does.
 */
export async function freshPort(): Promise<number> {
  const slice = portSlice();
  for (let i = 0; i < 200; i++) {
    const wanted = slice.from + Math.floor(Math.random() * (slice.to - slice.from));
    if (handedOut.has(wanted)) continue;
    const port = await probe(wanted);
    if (port === undefined || handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free loopback port in ${slice.from}–${slice.to - 1}`);
}

/** Whether an error says that the port was taken (Node's EADDRINUSE, PostgreSQL's log line). */
export function portTaken(e: unknown): boolean {
  return /EADDRINUSE|Address already in use/.test(e instanceof Error ? e.message : String(e));
}

/**
 * `start(port)` on a fresh port; when it fails because the port was taken meanwhile (`portTaken`:
 * its error must carry the process's own words), again on another, START_ATTEMPTS times in all.
 * Any other failure is thrown at once.
 */
export async function startOnFreshPort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freshPort();
    try {
      return await start(port);
    } catch (e) {
      if (attempt >= START_ATTEMPTS || !portTaken(e)) throw e;
    }
  }
}
