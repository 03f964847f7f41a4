// A bounded load generator: sends prepared requests to a server on 127.0.0.1 (or to
// several instances of one service: the connections are spread over them in turn) with a
// fixed number of concurrent keep-alive connections, records each latency, and stops
// when the list is exhausted or the time limit passes — whichever comes first.

import { Agent, request } from 'node:http';
import type { PreparedRequest } from './signed-requests.js';
import { quantile } from './stats.js';

export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  readonly statuses: Record<string, number>;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function send(agent: Agent, base: URL, r: PreparedRequest): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: base.hostname, port: base.port, method: r.method, path: r.path, headers: r.headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(r.body);
  });
}

export async function runLoad(
  url: string | readonly string[],
  requests: readonly PreparedRequest[],
  concurrency: number,
  maxSeconds: number,
): Promise<LoadResult> {
  const bases = (typeof url === 'string' ? [url] : url).map((u) => new URL(u));
  for (const base of bases) {
    if (base.hostname !== '127.0.0.1' && base.hostname !== '[::1]' && base.hostname !== 'localhost') {
      throw new Error('load tests talk to loopback only');
    }
  }
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  let ok = 0;
  const deadline = performance.now() + maxSeconds * 1000;
  const t0 = performance.now();
  const worker = async (w: number) => {
    const base = bases[w % bases.length]!;
    while (next < requests.length && performance.now() < deadline) {
      const r = requests[next++]!;
      const s = performance.now();
      const status = await send(agent, base, r);
      latencies.push(performance.now() - s);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) ok++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    sent: latencies.length,
    ok,
    failed: latencies.length - ok,
    statuses,
    seconds,
    perSecond: ok / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
  };
}
