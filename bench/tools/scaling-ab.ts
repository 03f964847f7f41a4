// Case 4's rounds (bench/cases/scaling.ts) against several servers at once, so two builds and
// two database sizes see the same machine load (docs/performance.md "Case 4 on a crowded
// machine"). `fill` fills a data directory the case's way with a checkout's own bench code
// and engine (lib/fill.ts); `rounds` starts one server on each ROOT=DIR pair (ROOT a built
// checkout, its own test/support/server-process.ts), warms each up as the case does, then runs
// the case's rounds — 150 placements, then 150 inbox pages of 50 from random cursors, c=1 —
// with the servers' order rotated every round, and prints each round's p50s, the large/small
// ratio per build and round (the first two pairs are build A's small and large, the next two
// build B's), and every server's VmRSS after the rounds (with bench/lib/heap-probe.mjs loaded, its
// figures after a full collection too). Each server starts with its checkout's case 4 arguments
// (`SERVER_ARGS` of its bench/cases/scaling.ts: `--reveal-log-window-hours 0`, every inbox read
// logged; none in a checkout from before them), then a pair's third part, comma-separated: more
// `sluis-server start` arguments for that server (a repeated flag overrides, e.g.
// `--reveal-log-window-hours,24` for the server's default). Not part of `pnpm bench`.
//   node --conditions=sluis-source --import tsx bench/tools/scaling-ab.ts fill ROOT DIR N
//   node --conditions=sluis-source --import tsx bench/tools/scaling-ab.ts rounds R PER ROOT=DIR[=ARG,…] …

import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { BenchServer, startBenchServer as StartBench } from '../lib/bench-server.js';
import type { fillDatabase as Fill } from '../lib/fill.js';
import { inboxReads, placements } from '../cases/scaling.js';
import { runLoad } from '../lib/http-load.js';
import { processMemory } from '../lib/proc.js';
import type { PreparedRequest } from '../lib/signed-requests.js';
import type { startServer as Start } from '../../test/support/server-process.js';

const ORGANISATIONS = 8;
const BUDGET = 1_000_000;

const from = async <T>(root: string, file: string): Promise<T> =>
  (await import(pathToFileURL(join(resolve(root), file)).href)) as T;

async function fill(root: string, dir: string, count: number): Promise<void> {
  const { startBenchServer } = await from<{ startBenchServer: typeof StartBench }>(
    root,
    'bench/lib/bench-server.ts',
  );
  const { fillDatabase } = await from<{ fillDatabase: typeof Fill }>(root, 'bench/lib/fill.ts');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  const first = await startBenchServer(ORGANISATIONS, { dataDir: dir, budget: BUDGET });
  const orgs = first.organisations.map((o) => ({ id: o.id, keyId: o.key.keyId }));
  await first.stop();
  const r = await fillDatabase(dir, orgs, count, {
    progress: (d) => process.stderr.write(`  filled ${d} of ${count}\n`),
  });
  console.log(`filled ${count} in ${r.seconds.toFixed(0)} s (${r.matchingPlacements} matching)`);
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function rounds(count: number, per: number, pairs: readonly string[]): Promise<void> {
  const heapDir = process.env.SLUIS_HEAP_DIR;
  const servers: { name: string; bench: BenchServer; maxCursor: number; place: number[]; inbox: number[] }[] =
    [];
  try {
    for (const pair of pairs) {
      const [root, dir, extra] = pair.split('=') as [string, string, string | undefined];
      const args = extra === undefined ? [] : extra.split(',');
      const db = new Database(join(dir, 'sluis.db'), { readonly: true });
      const maxCursor = (db.prepare('SELECT max(seq) AS c FROM events').get() as { c: number | null }).c ?? 0;
      const n = (db.prepare('SELECT count(*) AS n FROM signals').get() as { n: number }).n;
      db.close();
      const { startServer } = await from<{ startServer: typeof Start }>(
        root,
        'test/support/server-process.ts',
      );
      const { SERVER_ARGS: caseArgs = [] } = await from<{ SERVER_ARGS?: readonly string[] }>(
        root,
        'bench/cases/scaling.ts',
      );
      const { startBenchServer } = await from<{ startBenchServer: typeof StartBench }>(
        '.',
        'bench/lib/bench-server.ts',
      );
      // With SLUIS_NODE_ARGS="--import …/bench/lib/heap-probe.mjs" and SLUIS_HEAP_DIR: a directory
      // of each server's own for the probe's figures (read at spawn).
      if (heapDir !== undefined) {
        process.env.SLUIS_HEAP_DIR = join(heapDir, String(servers.length));
        mkdirSync(process.env.SLUIS_HEAP_DIR, { recursive: true, mode: 0o700 });
      }
      const bench = await startBenchServer(ORGANISATIONS, {
        dataDir: dir,
        budget: BUDGET,
        args: [...caseArgs, ...args],
        start: startServer,
      });
      const name = `${root.split('/').pop()}:${n}${extra === undefined ? '' : ` ${args.join(' ')}`}`;
      process.stderr.write(`  ${name} started in ${bench.startMs.toFixed(0)} ms\n`);
      servers.push({ name, bench, maxCursor, place: [], inbox: [] });
    }
    const p50 = async (s: (typeof servers)[number], reqs: PreparedRequest[]) => {
      const r = await runLoad(s.bench.server.url, reqs, 1, 60);
      if (r.failed > 0) throw new Error(`requests failed: ${JSON.stringify(r.statuses)}`);
      return r.p50Ms;
    };
    for (const s of servers) await p50(s, placements(s.bench, 50));
    for (const s of servers) await p50(s, inboxReads(s.bench, s.maxCursor, 50));
    const warmRss = servers.map((s) => processMemory(s.bench.server.process.pid!)?.rssMiB ?? Number.NaN);
    for (let r = 0; r < count; r++) {
      const order = servers.map((_, i) => servers[(i + r) % servers.length]!);
      for (const s of order) {
        s.place.push(await p50(s, placements(s.bench, per)));
        s.inbox.push(await p50(s, inboxReads(s.bench, s.maxCursor, per)));
      }
      process.stderr.write(
        `  round ${r + 1}: ${servers.map((s) => `${s.name} ${s.place.at(-1)!.toFixed(2)}/${s.inbox.at(-1)!.toFixed(2)}`).join('  ')}\n`,
      );
    }
    for (const [i, s] of servers.entries()) {
      const pid = s.bench.server.process.pid!;
      const m = processMemory(pid);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (f: string) => /^(\S+):\s+(\d+)/m.exec(status.slice(status.indexOf(`${f}:`)))?.[2] ?? '?';
      let heap = '';
      if (heapDir !== undefined) {
        process.kill(pid, 'SIGUSR2');
        const done = join(heapDir, String(i), 'done-1');
        for (let t = 0; t < 600 && !existsSync(done); t++) await new Promise((r) => setTimeout(r, 100));
        const h = JSON.parse(readFileSync(join(heapDir, String(i), 'mem-1.json'), 'utf8')) as Record<
          string,
          number
        >;
        const mib = (k: string) => ((h[k] ?? Number.NaN) / 2 ** 20).toFixed(1);
        heap = `; after GC: rss ${mib('rss')}, heapUsed ${mib('heapUsed')}, heapTotal ${mib('heapTotal')}, external ${mib('external')}, arrayBuffers ${mib('arrayBuffers')}, malloced ${mib('mallocedMemory')} MiB`;
      }
      console.log(
        `${s.name}: RssAnon ${field('RssAnon')} kB, RssFile ${field('RssFile')} kB, RssShmem ${field('RssShmem')} kB, Threads ${field('Threads')}${heap}`,
      );
      console.log(
        `${s.name}: place p50 median ${median(s.place).toFixed(2)} ms [${s.place.map((x) => x.toFixed(2)).join(' ')}]; inbox ${median(s.inbox).toFixed(2)} ms [${s.inbox.map((x) => x.toFixed(2)).join(' ')}]; VmRSS after warm-up ${warmRss[i]!.toFixed(1)}, after the rounds ${m?.rssMiB.toFixed(1)} MiB (peak ${m?.peakRssMiB.toFixed(1)})`,
      );
    }
    for (let b = 0; b + 1 < servers.length; b += 2) {
      const small = servers[b]!;
      const large = servers[b + 1]!;
      for (const k of ['place', 'inbox'] as const) {
        const ratios = large[k].map((x, i) => x / small[k][i]!);
        console.log(
          `${large.name} / ${small.name} ${k}: median ${median(ratios).toFixed(2)}× [${ratios.map((x) => x.toFixed(2)).join(' ')}]`,
        );
      }
    }
  } finally {
    for (const s of servers) await s.bench.stop();
  }
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'fill') await fill(rest[0]!, rest[1]!, Number(rest[2]));
else if (cmd === 'rounds') await rounds(Number(rest[0]), Number(rest[1]), rest.slice(2));
else throw new Error('usage: scaling-ab.ts fill ROOT DIR N | rounds R PER ROOT=DIR …');
