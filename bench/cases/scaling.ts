// Benchmarks 4 and 6: scaling with the number of stored signals. Two servers run side by
// side, one on a small and one on a large database (50k vs 5M signals; quick mode 10k vs
// 50k), filled through the engine's batch API in-process (lib/fill.ts). Rounds of
// single placements and match-inbox reads alternate between the two, so both see the
// same machine load; the figure is the p50 latency ratio large/small (target ≤ 1.3).
// Both servers log every inbox read (SERVER_ARGS), so a read does the same work at either
// size and the inbox's ratio measures how that work grows with the file.
// `--large N` sets the large size of a full run (default 5,000,000).
// Also: the large server's resident memory (≤ 150 MiB), bytes on disk per signal
// (≤ 300) and the server's start-up time on each database (6).

import { randomBytes, randomInt } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type BenchServer, startBenchServer } from '../lib/bench-server.js';
import { fillDatabase } from '../lib/fill.js';
import { runLoad } from '../lib/http-load.js';
import { processMemory } from '../lib/proc.js';
import { benchContact } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import type { PreparedRequest } from '../lib/signed-requests.js';
import { spread } from '../lib/stats.js';
import { tempDir } from '../../test/support/server-process.js';

const ORGANISATIONS = 8;
const BUDGET = 1_000_000; // the most an organisation may get per day; 8 × 1M covers 5M

interface Sized {
  readonly signals: number;
  readonly dataDir: string;
  readonly fillSeconds: number;
  readonly maxCursor: number;
  readonly bytes: number;
  /** Bytes per table (with its indexes), from SQLite's dbstat. */
  readonly tables: Record<string, number>;
}

/**
 * The arguments case 4 starts both servers with: `--reveal-log-window-hours 0`, so every inbox
 * read appends its `match.revealed` entry and sets its reveal marks — the most a read writes.
 * With the default window the small file's matches are all shown within a round or two and its
 * reads stop writing while the large file's keep writing, and the ratio compared a write with a
 * read (docs/performance.md "Case 4 on a crowded machine"). Also bench/tools/scaling-ab.ts.
 */
export const SERVER_ARGS: readonly string[] = ['--reveal-log-window-hours', '0'];

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

async function prepareDatabase(signals: number, log: (s: string) => void): Promise<Sized> {
  const dataDir = tempDir('sluis-bench-scale-');
  const first = await startBenchServer(ORGANISATIONS, { dataDir, budget: BUDGET });
  const orgs = first.organisations.map((o) => ({ id: o.id, keyId: o.key.keyId }));
  await first.stop();
  const fill = await fillDatabase(dataDir, orgs, signals, {
    progress: (d) => log(`  filled ${d.toLocaleString('en-US')} of ${signals.toLocaleString('en-US')}`),
  });
  const path = join(dataDir, 'sluis.db');
  const db = new Database(path, { readonly: true });
  try {
    const maxCursor = (db.prepare('SELECT max(seq) AS c FROM events').get() as { c: number | null }).c ?? 0;
    const tables: Record<string, number> = {};
    const rows = db
      .prepare(
        `SELECT coalesce(m.tbl_name, d.name) AS t, sum(d.pgsize) AS b FROM dbstat d
         LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY t ORDER BY b DESC`,
      )
      .all() as { t: string; b: number }[];
    for (const r of rows) tables[r.t] = r.b;
    let bytes = statSync(path).size;
    try {
      bytes += statSync(`${path}-wal`).size;
    } catch {
      // checkpointed and truncated on close
    }
    return { signals, dataDir, fillSeconds: fill.seconds, maxCursor, bytes, tables };
  } finally {
    db.close();
  }
}

/** Starts the server on a filled database; the start-up time is in `startMs`. */
function start(sized: Sized): Promise<BenchServer> {
  return startBenchServer(ORGANISATIONS, { dataDir: sized.dataDir, budget: BUDGET, args: SERVER_ARGS });
}

/** The case's placements: one new person each, the organisations in turn (also bench/tools/scaling-ab.ts). */
export function placements(server: BenchServer, count: number): PreparedRequest[] {
  const created = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const org = server.organisations[i % ORGANISATIONS]!;
    return org.signer.prepare(
      'POST',
      '/v1/signals',
      {
        requestId: crypto.randomUUID(),
        subject: [{ epoch: 1, value: randomBytes(32).toString('base64url') }],
        contact: benchContact(Math.floor(i / ORGANISATIONS), i % ORGANISATIONS),
        informed: { status: 'citizen', date: '2026-01-05' },
      },
      created,
    );
  });
}

/** Inbox pages of 50 events from random positions in the event list (below `maxCursor` − 400). */
export function inboxReads(server: BenchServer, maxCursor: number, count: number): PreparedRequest[] {
  const created = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const org = server.organisations[i % ORGANISATIONS]!;
    const cursor = randomInt(0, Math.max(1, maxCursor - 400));
    return org.signer.prepare('GET', `/v1/matches?cursor=${cursor}&limit=50`, undefined, created);
  });
}

export async function scalingBench(quick: boolean, largeSignals = 5_000_000): Promise<Figure[]> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const [smallN, largeN] = quick ? [10_000, 50_000] : [50_000, largeSignals];
  const small = await prepareDatabase(smallN, log);
  log(`  ${label(smallN)} filled in ${small.fillSeconds.toFixed(1)} s`);
  const large = await prepareDatabase(largeN, log);
  log(`  ${label(largeN)} filled in ${large.fillSeconds.toFixed(1)} s`);

  // Start-up (6): alternate restarts of the two servers.
  const startSmall: number[] = [];
  const startLarge: number[] = [];
  const restarts = quick ? 1 : 3;
  for (let i = 0; i < restarts - 1; i++) {
    const s = await start(small);
    startSmall.push(s.startMs);
    await s.stop();
    const l = await start(large);
    startLarge.push(l.startMs);
    await l.stop();
  }
  const smallServer = await start(small);
  startSmall.push(smallServer.startMs);
  const largeServer = await start(large);
  startLarge.push(largeServer.startMs);
  try {
    const rounds = quick ? 3 : 12;
    const per = quick ? 40 : 150;
    const lat = {
      placeSmall: [] as number[],
      placeLarge: [] as number[],
      inboxSmall: [] as number[],
      inboxLarge: [] as number[],
    };
    const p50Of = async (server: BenchServer, reqs: PreparedRequest[]) => {
      const r = await runLoad(server.server.url, reqs, 1, 60);
      if (r.failed > 0) throw new Error(`scaling: requests failed: ${JSON.stringify(r.statuses)}`);
      return r.p50Ms;
    };
    // warm-up: JIT and page cache, both servers
    const warm = quick ? 20 : 50;
    await p50Of(smallServer, placements(smallServer, warm));
    await p50Of(largeServer, placements(largeServer, warm));
    await p50Of(smallServer, inboxReads(smallServer, small.maxCursor, warm));
    await p50Of(largeServer, inboxReads(largeServer, large.maxCursor, warm));
    for (let r = 0; r < rounds; r++) {
      const order: [BenchServer, Sized, 'Small' | 'Large'][] =
        r % 2 === 0
          ? [
              [smallServer, small, 'Small'],
              [largeServer, large, 'Large'],
            ]
          : [
              [largeServer, large, 'Large'],
              [smallServer, small, 'Small'],
            ];
      for (const [server, sized, which] of order) {
        lat[`place${which}`].push(await p50Of(server, placements(server, per)));
        lat[`inbox${which}`].push(await p50Of(server, inboxReads(server, sized.maxCursor, per)));
      }
    }
    const ratios = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!);
    const memory = processMemory(largeServer.server.process.pid!);
    const smallMemory = processMemory(smallServer.server.process.pid!);
    const sizes = `${label(smallN)} vs ${label(largeN)} stored signals`;
    const breakdown = Object.entries(large.tables)
      .slice(0, 6)
      .map(([t, b]) => `${t} ${(b / largeN).toFixed(0)}`)
      .join(', ');
    const figures: Figure[] = [
      {
        id: '4.place',
        title: `placement latency p50 (c=1), ${sizes}`,
        unit: 'ms',
        candidate: spread(lat.placeLarge),
        baseline: spread(lat.placeSmall),
        baselineName: `${label(smallN)} signals`,
        ratio: spread(ratios(lat.placeLarge, lat.placeSmall)),
        target: { op: '<=', value: 1.3, of: 'ratio' },
      },
      {
        id: '4.inbox',
        title: `match inbox (50 events, every read logged) latency p50 (c=1), ${sizes}`,
        unit: 'ms',
        candidate: spread(lat.inboxLarge),
        baseline: spread(lat.inboxSmall),
        baselineName: `${label(smallN)} signals`,
        ratio: spread(ratios(lat.inboxLarge, lat.inboxSmall)),
        target: { op: '<=', value: 1.3, of: 'ratio' },
      },
      {
        id: '4.rss',
        title: `server resident memory (VmRSS) with ${label(largeN)} signals, after the rounds`,
        unit: 'MiB',
        candidate: spread([memory?.rssMiB ?? Number.NaN]),
        baseline: spread([smallMemory?.rssMiB ?? Number.NaN]),
        baselineName: `${label(smallN)} signals`,
        ratio: spread([(memory?.rssMiB ?? Number.NaN) / (smallMemory?.rssMiB ?? Number.NaN)]),
        target: { op: '<=', value: 150, of: 'value' },
        note: `peak (VmHWM) ${memory?.peakRssMiB.toFixed(0) ?? '–'} MiB`,
      },
      {
        id: '4.disk',
        title: `bytes on disk per signal, ${label(largeN)} signals (1 in 10 matching)`,
        unit: 'B',
        candidate: spread([large.bytes / largeN]),
        baseline: spread([small.bytes / smallN]),
        baselineName: `${label(smallN)} signals`,
        ratio: spread([large.bytes / largeN / (small.bytes / smallN)]),
        target: { op: '<=', value: 300, of: 'value' },
        note: `file ${(large.bytes / 2 ** 20).toFixed(0)} MiB; per signal by table: ${breakdown}`,
      },
      {
        id: '6',
        title: `server start-up (spawn to listening), ${label(largeN)} vs ${label(smallN)} signals`,
        unit: 'ms',
        candidate: spread(startLarge),
        baseline: spread(startSmall),
        baselineName: `${label(smallN)} signals`,
        ratio: spread(ratios(startLarge, startSmall)),
        note: `fill through the engine batch API in-process: ${label(largeN)} in ${large.fillSeconds.toFixed(0)} s`,
      },
    ];
    return figures;
  } finally {
    await smallServer.stop();
    await largeServer.stop();
    for (const d of [small.dataDir, large.dataDir]) rmSync(d, { recursive: true, force: true });
  }
}
