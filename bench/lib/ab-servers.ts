// The servers of an A/B tool (bench/tools/placement-vs-floor.ts, bulk-ab.ts): this checkout's
// built server and, with SLUIS_AB_ROOT=<another checkout, built>, that checkout's, started in
// the order the tool then measures them. SLUIS_AB_OTHER_NODE_OPTIONS: NODE_OPTIONS for the
// other server only (e.g. this same checkout under a V8 flag, docs/performance.md "Tenth pass:
// garbage collection"); SLUIS_AB_OTHER_ARGS: more `sluis-server start` arguments for the other
// server only, after the bench's own, so a repeated flag overrides (e.g. `--log-level info`,
// docs/performance.md "Eighteenth pass"); SLUIS_AB_ARGS: the same for both servers (both at
// `--log-level info`, docs/performance.md "Nineteenth pass"), before SLUIS_AB_OTHER_ARGS; SLUIS_AB_OTHER_PAGE_SIZE: the other server's database
// file created with that SQLite page size before it starts (the store keeps a file's page size,
// docs/performance.md "Eighteenth pass"); SLUIS_AB_OTHER_FIRST=1: the other one first (the tools' position bias,
// docs/performance.md bulk "Ninth pass": run both orders). The tools that start the other
// checkout's servers their own way (coalesce-ab.ts, pg-profile.ts: pairs on PostgreSQL) take
// its startServer from otherStartServer.

import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { type startServer, tempDir } from '../../test/support/server-process.js';
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

/** A data directory whose database file is new, empty and of SQLite page size `pageSize`. */
function dataDirWithPageSize(pageSize: number): string {
  const dir = tempDir('sluis-ab-page-size-');
  const path = join(dir, 'sluis.db');
  const db = new Database(path);
  db.pragma(`page_size = ${pageSize}`);
  db.exec('VACUUM');
  db.close();
  chmodSync(path, 0o600);
  return dir;
}

export async function startAbServers(budget?: number): Promise<AbServer[]> {
  const args = process.env.SLUIS_AB_ARGS?.split(' ').filter((a) => a !== '');
  const options = { ...(budget === undefined ? {} : { budget }), ...(args === undefined ? {} : { args }) };
  const starters: { name: AbServer['name']; start: () => Promise<BenchServer> }[] = [
    { name: 'this', start: () => startBenchServer(4, options) },
  ];
  const otherStart = await otherStartServer();
  if (otherStart !== undefined) {
    const nodeOptions = process.env.SLUIS_AB_OTHER_NODE_OPTIONS;
    const otherArgs = process.env.SLUIS_AB_OTHER_ARGS?.split(' ').filter((a) => a !== '');
    const pageSize = process.env.SLUIS_AB_OTHER_PAGE_SIZE;
    const startOther = (dataDir?: string) =>
      startBenchServer(4, {
        ...options,
        ...(dataDir === undefined ? {} : { dataDir }),
        ...(otherArgs === undefined ? {} : { args: [...(args ?? []), ...otherArgs] }),
        start: (o) =>
          otherStart(nodeOptions === undefined ? o : { ...o, env: { ...o?.env, NODE_OPTIONS: nodeOptions } }),
      });
    starters.push({
      name: 'other',
      start: async () => {
        if (pageSize === undefined) return startOther();
        const dataDir = dataDirWithPageSize(Number(pageSize));
        const bench = await startOther(dataDir);
        return {
          ...bench,
          stop: async () => {
            await bench.stop();
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    });
  }
  if (process.env.SLUIS_AB_OTHER_FIRST === '1') starters.reverse();
  const servers: AbServer[] = [];
  for (const s of starters) servers.push({ name: s.name, bench: await s.start() });
  return servers;
}
