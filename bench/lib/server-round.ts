// One round of an A/B tool (placement-vs-floor.ts, placement-growth.ts): prepared requests sent
// to a server process at a concurrency (http-load.ts), and what the round cost that process
// (CPU time of all threads and of its main thread, bytes through system calls, /proc) and this
// one, the load generator; for a bench server also its group commit's write operations per
// commit (its /metrics counters). A refused request fails the round.

import type { BenchServer } from './bench-server.js';
import { runLoad } from './http-load.js';
import { mainThreadCpuMs, type ProcessMemory, processCpuMs, processIo, processMemory } from './proc.js';
import type { PreparedRequest } from './signed-requests.js';
import { perCommit, writeCounters } from './statement-floor.js';

export interface ServerRound {
  readonly rate: number;
  readonly p99: number;
  /** Requests answered. */
  readonly ok: number;
  /** The server's CPU time per answered request, all threads and its main thread, in ms. */
  readonly cpu: number;
  readonly main: number;
  /** This process's CPU time per request sent, in ms. */
  readonly generator: number;
  /** KiB the server read and wrote through system calls per answered request; undefined without /proc. */
  readonly io: { readonly readKiB: number; readonly writeKiB: number } | undefined;
  /** The server's memory after the round. */
  readonly memory: ProcessMemory | undefined;
  /** Write operations per commit in the round (with `sluis` given; undefined for a build without the counters). */
  readonly perCommit: number | undefined;
}

/** Sends `requests` to the server at `url` (process `pid`); `sluis`: the bench server whose counters to read. */
export async function serverRound(
  url: string,
  pid: number,
  requests: readonly PreparedRequest[],
  concurrency: number,
  sluis?: BenchServer,
): Promise<ServerRound> {
  const w0 = sluis === undefined ? undefined : await writeCounters(sluis);
  const io0 = processIo(pid);
  const cpu0 = processCpuMs(pid) ?? 0;
  const main0 = mainThreadCpuMs(pid) ?? 0;
  const own0 = process.cpuUsage();
  const r = await runLoad(url, requests, concurrency, 300);
  const own = process.cpuUsage(own0);
  const cpu = ((processCpuMs(pid) ?? 0) - cpu0) / r.ok;
  const main = ((mainThreadCpuMs(pid) ?? 0) - main0) / r.ok;
  const io1 = processIo(pid);
  const memory = processMemory(pid);
  const w1 = sluis === undefined ? undefined : await writeCounters(sluis);
  if (r.failed > 0) throw new Error(`refused: ${JSON.stringify(r.statuses)}`);
  return {
    rate: r.perSecond,
    p99: r.p99Ms,
    ok: r.ok,
    cpu,
    main,
    generator: (own.user + own.system) / 1000 / r.sent,
    io:
      io0 === undefined || io1 === undefined
        ? undefined
        : {
            readKiB: (io1.rchar - io0.rchar) / r.ok / 1024,
            writeKiB: (io1.wchar - io0.wchar) / r.ok / 1024,
          },
    memory,
    perCommit: perCommit(w0, w1),
  };
}
