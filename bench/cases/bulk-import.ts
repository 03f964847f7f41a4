// Benchmark 3: bulk import through the batch path — POST /v1/signals/batch with 500
// placements per signed request, four requests in flight (four organisations importing
// at once), over real HTTP on loopback — against raw batched SQLite inserts of the same
// rows (500 per durable commit, WAL + synchronous=FULL) on the same disk into a table holding
// as many rows as the server's database holds signals, checkpointed as the store checkpoints
// (lib/sqlite-baseline.ts SizedBaseline), measured before and after each HTTP run. Beside it 3.fresh: the same runs against raw
// inserts into an empty table (the records' form before docs/performance.md "Thirty-second
// pass"), while the server's database grows by every run. The requests are sent as the product's importer sends them (the
// SDK's CSV import, `sluis import`): with `Prefer: return=minimal`, each placed item
// answered with its signal's id only (docs/api.md "POST /v1/signals/batch"). Target: ≥ 0.5×
// the raw batched inserts, on that row (3). Beside it 3.full: the same import asking for
// the full answers (each signal's view), so the minimal form hides nothing; its runs
// alternate with the importer's. And the batch floor
// (3.floor.batch, lib/batch-floor.ts): the batch path's own statements for batches of 500,
// recorded in-process and replayed raw, one durable commit a batch, against the same raw
// inserts — a bound on what bulk can reach with the rows a signal really needs; its runs
// alternate with the HTTP runs, in turn first.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { recordBatchFloor } from '../lib/batch-floor.js';
import { type BenchServer, startBenchServer } from '../lib/bench-server.js';
import { runLoad } from '../lib/http-load.js';
import type { Figure } from '../lib/result.js';
import type { PreparedRequest } from '../lib/signed-requests.js';
import { batchedInsertRate, SizedBaseline } from '../lib/sqlite-baseline.js';
import { spread } from '../lib/stats.js';

export const BATCH = 500;
const CONTACT = { name: 'J. de Vries', role: 'jeugdconsulent', email: 'j.devries@example.nl' };

/** The header the product's importer sends (docs/api.md "POST /v1/signals/batch", RFC 7240). */
export const PREFER_MINIMAL = { prefer: 'return=minimal' } as const;

/**
 * The bulk import's requests, `rows` signals per call in batches of BATCH, the
 * organisations taking turns; one person in ten was placed by the previous request's
 * organisation, so matching works (unless `rematch` is false: every person new). Request
 * ids count up from `firstRequest`, across calls. A call with `minimal` sends
 * `Prefer: return=minimal`, as the SDK's CSV import does; without it, the full answers.
 * Shared with bench/tools/bulk-ab.ts and the PostgreSQL case (postgres.ts).
 */
export function bulkRequests(
  bench: BenchServer,
  rows: number,
  options: { readonly firstRequest?: number; readonly rematch?: boolean } = {},
): (call?: { readonly minimal?: boolean }) => PreparedRequest[] {
  let n = options.firstRequest ?? 0;
  const rematch = options.rematch ?? true;
  let previous: { epoch: number; value: string }[][] = [];
  return (call = {}) => {
    const created = Math.floor(Date.now() / 1000);
    const out: PreparedRequest[] = [];
    for (let done = 0; done < rows; done += BATCH) {
      const org = bench.organisations[out.length % bench.organisations.length]!;
      const items = [];
      for (let i = 0; i < BATCH; i++, n++) {
        items.push({
          requestId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
          subject: [{ epoch: 1, value: randomBytes(32).toString('base64url') }],
          contact: CONTACT,
          informed: { status: 'citizen', date: '2026-01-05' },
        });
      }
      if (rematch && previous.length === items.length) {
        for (let i = 9; i < items.length; i += 10) items[i]!.subject = previous[i]!;
      }
      previous = items.map((it) => it.subject);
      const request = org.signer.prepare('POST', '/v1/signals/batch', { items }, created);
      // Prefer is not a signed component (docs/protocol.md §5.5): added after signing.
      out.push(
        call.minimal === true ? { ...request, headers: { ...request.headers, ...PREFER_MINIMAL } } : request,
      );
    }
    return out;
  };
}

export async function bulkImportBench(quick: boolean): Promise<Figure[]> {
  const rowsPerRun = quick ? 10_000 : 100_000;
  const runs = quick ? 1 : 3;
  const floor = await recordBatchFloor(rowsPerRun, BATCH);
  const bench = await startBenchServer(4, { budget: 1_000_000 });
  let sized: SizedBaseline | undefined;
  try {
    // Holds as many rows as the server's database holds signals (none at the start).
    const table = new SizedBaseline();
    sized = table;
    const prepare = bulkRequests(bench, rowsPerRun);
    const baselines: number[] = [batchedInsertRate(rowsPerRun, BATCH)];
    const sizedBaselines = { minimal: [] as number[], full: [] as number[] };
    const rates: number[] = [];
    const ratios: number[] = [];
    const freshRatios: number[] = [];
    const fullRates: number[] = [];
    const fullRatios: number[] = [];
    const floorRates: number[] = [];
    const floorRatios: number[] = [];
    const floorCpus: number[] = [];
    const runNotes: string[] = [];
    let resets = 0;
    /** A run measured, then the empty table's raw inserts after it; its rate against those around it. */
    const measured = (rate: number) => {
      const baseline = batchedInsertRate(rowsPerRun, BATCH);
      baselines.push(baseline);
      return rate / ((baselines[baselines.length - 2]! + baseline) / 2);
    };
    const atSize = async () => {
      const r = await table.rateWithStoreCheckpointer(rowsPerRun, BATCH);
      resets += r.resets;
      return r.rate;
    };
    /**
     * One HTTP run: as the importer sends it (`minimal`), or asking for the full answers; its rate
     * against the raw inserts at the server's size, measured right before and after it, and
     * (3.fresh) against the empty table's, measured first after it as before this pass.
     */
    const http = async (minimal: boolean) => {
      const size = table.rows;
      const before = await atSize();
      // Signed after the measurement before, well inside the signatures' 300 s window.
      const requests = prepare({ minimal });
      const result = await runLoad(bench.server.url, requests, 4, quick ? 30 : 600);
      if (result.failed > 0 || result.sent !== requests.length) {
        throw new Error(`bulk import failed: ${JSON.stringify(result.statuses)}`);
      }
      // The server's last checkpoint and nonce flush (every 250 ms) out of the measurements' way.
      await sleep(500);
      const rate = (result.ok * BATCH) / result.seconds;
      const fresh = measured(rate);
      const after = await atSize();
      // The table grows by the signals the run stored: a batch's `existing` items store none
      // (the re-sent subjects an organisation placed before, see bulkRequests).
      const stored = storedSignals(bench.server.dataDir);
      table.grow(stored - table.rows);
      sizedBaselines[minimal ? 'minimal' : 'full'].push(before, after);
      const ratio = rate / ((before + after) / 2);
      (minimal ? rates : fullRates).push(rate);
      (minimal ? ratios : fullRatios).push(ratio);
      if (minimal) freshRatios.push(fresh);
      runNotes.push(
        `${minimal ? 'minimal' : 'full'} from ${size.toLocaleString('en-US')} signals: ${Math.round(rate).toLocaleString('en-US')}/s against ${Math.round(before).toLocaleString('en-US')} and ${Math.round(after).toLocaleString('en-US')} rows/s (${ratio.toFixed(2)}×)`,
      );
    };
    const replay = () => {
      const run = floor.replay();
      floorRates.push(run.rowsPerSecond);
      floorCpus.push(run.cpuMsPerRow);
      floorRatios.push(measured(run.rowsPerSecond));
    };
    // Each round: the importer's run, the full-answer run and the floor, the order turning
    // so that none always runs first (the database grows by a run each time).
    for (let r = 0; r < runs; r++) {
      if (r % 2 === 0) {
        await http(true);
        await http(false);
        replay();
      } else {
        replay();
        await http(false);
        await http(true);
      }
    }
    const kinds = [...floor.kinds].map(([k, n]) => `${k} ${n.toFixed(1)}`).join(', ');
    return [
      {
        id: '3',
        title: `bulk import, POST /v1/signals/batch × ${BATCH}, 4 in flight (${rowsPerRun.toLocaleString('en-US')} per run)`,
        unit: 'signals/s',
        candidate: spread(rates),
        baseline: spread(sizedBaselines.minimal),
        baselineUnit: 'rows/s',
        baselineName: `raw SQLite inserts, ${BATCH} per durable commit, into a table of as many rows as the server holds signals, checkpointed as the store does`,
        ratio: spread(ratios),
        target: { op: '>=', value: 0.5, of: 'ratio' },
        note: `sent as the SDK’s CSV import sends it: Prefer: return=minimal (each placed item answered with its signal’s id only); the target is held on this row, the importer’s; 3.full asks for the full answers. The raw inserts measured right before and after each run into a copy of a table holding as many rows as the server’s database holds signals (grown after each run by the signals it stored, ${table.rows.toLocaleString('en-US')} at the end), their WAL checkpointed on a worker thread as the store’s (${resets} WAL resets by the writer in all); 3.fresh compares the same runs with inserts into an empty table. Runs: ${runNotes.join('; ')}`,
      },
      {
        id: '3.full',
        title: `bulk import with full answers (no Prefer: each signal's view), × ${BATCH}, 4 in flight (${rowsPerRun.toLocaleString('en-US')} per run)`,
        unit: 'signals/s',
        candidate: spread(fullRates),
        baseline: spread(sizedBaselines.full),
        baselineUnit: 'rows/s',
        baselineName: `raw SQLite inserts, ${BATCH} per durable commit, into a table of as many rows as the server holds signals, checkpointed as the store does`,
        ratio: spread(fullRatios),
        note: 'no target: the importer’s row (3) carries it; this one shows what the full answers cost, its runs alternating with 3’s on the same server',
      },
      {
        id: '3.fresh',
        title: `bulk import (3's runs) against raw inserts into an empty table`,
        unit: 'signals/s',
        candidate: spread(rates),
        baseline: spread(baselines),
        baselineUnit: 'rows/s',
        baselineName: `raw SQLite inserts, ${BATCH} per durable commit, into an empty table`,
        ratio: spread(freshRatios),
        note: 'no target: the records’ form before docs/performance.md "Thirty-second pass", measured after every run (the floor’s too); the server’s database grows by every run while this table starts empty each time',
      },
      {
        id: '3.floor.batch',
        title: `batch floor: the batch path's statements for ${BATCH} signals replayed raw, one durable commit a batch (${floor.rows.toLocaleString('en-US')} per run)`,
        unit: 'signals/s',
        candidate: spread(floorRates),
        baseline: spread(baselines),
        baselineUnit: 'rows/s',
        baselineName: `raw SQLite inserts, ${BATCH} per durable commit, into an empty table`,
        ratio: spread(floorRatios),
        note: `per batch of ${BATCH}: ${kinds}; ${(floor.commits / (floor.rows / BATCH)).toFixed(2)} commits a batch in the recording; replay CPU ${spread(floorCpus).median.toFixed(4)} ms a signal; each run on a fresh copy of the database taken before the recording`,
      },
      {
        id: '3.floor.batch.ratio',
        title: 'bulk import against the batch floor of the same rounds',
        unit: 'signals/s',
        candidate: spread(rates),
        baseline: spread(floorRates),
        baselineName: 'batch floor',
        ratio: spread(rates.map((x, i) => x / floorRates[i]!)),
        note: `the floor replays onto a database of ${floor.startSignals.toLocaleString('en-US')} signals and the server’s grows by every run, so this understates bulk’s share of the floor at equal size`,
      },
    ];
  } finally {
    sized?.remove();
    floor.remove();
    await bench.stop();
  }
}

/** The signals the server's SQLite database holds, read through a read-only connection of its own. */
function storedSignals(dataDir: string): number {
  const db = new Database(join(dataDir, 'sluis.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM signals').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
