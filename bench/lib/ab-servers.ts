// The servers of an A/B tool (bench/tools/placement-vs-floor.ts, bulk-ab.ts): this checkout's
// built server and, with SLUIS_AB_ROOT=<another checkout, built>, that checkout's, started in
// the order the tool then measures them. SLUIS_AB_OTHER_NODE_OPTIONS: NODE_OPTIONS for the
// other server only (e.g. this same checkout under a V8 flag, docs/performance.md "Tenth pass:
// garbage collection"); SLUIS_AB_OTHER_FIRST=1: the other one first (the tools' position bias,
// docs/performance.md bulk "Ninth pass": run both orders).

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { startServer } from '../../test/support/server-process.js';
import { type BenchServer, startBenchServer } from './bench-server.js';

export interface AbServer {
  readonly name: 'this' | 'other';
  readonly bench: BenchServer;
}

export async function startAbServers(budget?: number): Promise<AbServer[]> {
  const options = budget === undefined ? {} : { budget };
  const starters: { name: AbServer['name']; start: () => Promise<BenchServer> }[] = [
    { name: 'this', start: () => startBenchServer(4, options) },
  ];
  const abRoot = process.env.SLUIS_AB_ROOT;
  if (abRoot !== undefined) {
    const other = (await import(pathToFileURL(join(abRoot, 'test/support/server-process.ts')).href)) as {
      startServer: typeof startServer;
    };
    const nodeOptions = process.env.SLUIS_AB_OTHER_NODE_OPTIONS;
    starters.push({
      name: 'other',
      start: () =>
        startBenchServer(4, {
          ...options,
          start: (o) =>
            other.startServer(
              nodeOptions === undefined ? o : { ...o, env: { ...o?.env, NODE_OPTIONS: nodeOptions } },
            ),
        }),
    });
  }
  if (process.env.SLUIS_AB_OTHER_FIRST === '1') starters.reverse();
  const servers: AbServer[] = [];
  for (const s of starters) servers.push({ name: s.name, bench: await s.start() });
  return servers;
}
