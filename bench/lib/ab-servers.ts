// The servers of an A/B tool (bench/tools/placement-vs-floor.ts, bulk-ab.ts): this checkout's
// built server and, with SLUIS_AB_ROOT=<another checkout, built>, that checkout's, started in
// the order the tool then measures them. SLUIS_AB_OTHER_NODE_OPTIONS: NODE_OPTIONS for the
// other server only (e.g. this same checkout under a V8 flag, docs/performance.md "Tenth pass:
// garbage collection"); SLUIS_AB_OTHER_ARGS: more `sluis-server start` arguments for the other
// server only, after the bench's own, so a repeated flag overrides (e.g. `--log-level info`,
// docs/performance.md "Eighteenth pass"); SLUIS_AB_OTHER_FIRST=1: the other one first (the tools' position bias,
// docs/performance.md bulk "Ninth pass": run both orders). The tools that start the other
// checkout's servers their own way (coalesce-ab.ts, pg-profile.ts: pairs on PostgreSQL) take
// its startServer from otherStartServer.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { startServer } from '../../test/support/server-process.js';
import { type BenchServer, startBenchServer } from './bench-server.js';

export interface AbServer {
  readonly name: 'this' | 'other';
  readonly bench: BenchServer;
}

/** startServer of the checkout at SLUIS_AB_ROOT (its test/support/server-process.ts); undefined without one. */
export async function otherStartServer(): Promise<typeof startServer | undefined> {
  const abRoot = process.env.SLUIS_AB_ROOT;
  if (abRoot === undefined) return undefined;
  const other = (await import(pathToFileURL(join(abRoot, 'test/support/server-process.ts')).href)) as {
    startServer: typeof startServer;
  };
  return other.startServer;
}

export async function startAbServers(budget?: number): Promise<AbServer[]> {
  const options = budget === undefined ? {} : { budget };
  const starters: { name: AbServer['name']; start: () => Promise<BenchServer> }[] = [
    { name: 'this', start: () => startBenchServer(4, options) },
  ];
  const otherStart = await otherStartServer();
  if (otherStart !== undefined) {
    const nodeOptions = process.env.SLUIS_AB_OTHER_NODE_OPTIONS;
    const otherArgs = process.env.SLUIS_AB_OTHER_ARGS?.split(' ').filter((a) => a !== '');
    starters.push({
      name: 'other',
      start: () =>
        startBenchServer(4, {
          ...options,
          ...(otherArgs === undefined ? {} : { args: otherArgs }),
          start: (o) =>
            otherStart(
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
