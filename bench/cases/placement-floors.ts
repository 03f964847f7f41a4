// Case 2's floors over HTTP at concurrency 64 (cases/placement.ts): the floor (2.floor, a bare
// node:http server that checks the digest and the Ed25519 signature and parses the JSON) and
// the durable floor (2.floor.durable: the same work, then the next recorded placement's own
// statements replayed raw and group-committed on a copy of the database, docs/performance.md
// "Twentieth pass: the durable floor"). Each runs once in every round of case 2's runs at 64,
// right after sluis's run of that round, the two in turn first (floor first in even rounds).

import { type RecordedFloor, recordDurableFloor } from '../lib/durable-floor.js';
import type { DurableWriterStats } from '../lib/durable-floor-writer.js';
import { type FloorServer, STATS_PATH, startFloorServer } from '../lib/floor-server.js';
import { runLoad } from '../lib/http-load.js';
import type { PlacementMix } from '../lib/placement-mix.js';
import { mainThreadCpuMs, processCpuMs } from '../lib/proc.js';
import type { Figure } from '../lib/result.js';
import type { PreparedRequest } from '../lib/signed-requests.js';
import type { NaiveResult } from '../lib/sqlite-baseline.js';
import { type Spread, spread } from '../lib/stats.js';

export interface FloorRuns {
  /** One round: the floor (followed by the naive loop, its baseline) and the durable floor, in turn first. */
  round(round: number): Promise<void>;
  /** The rows, given sluis's rates at 64 of the same rounds. */
  figures(sluis: readonly number[]): Figure[];
  /** The floor's CPU per request, all threads. */
  floorCpu(): Spread | undefined;
  /** Each round's run of either floor so far (rate, p99, CPU per request). */
  runs(): { readonly floor: readonly Run[]; readonly durable: readonly Run[] };
  stop(): Promise<void>;
}

export interface Run {
  readonly rate: number;
  readonly p99: number;
  readonly cpu: number | undefined;
  /** Of it, the main thread's (the event loop's). */
  readonly main: number | undefined;
  /** The durable floor's: placements per COMMIT, and wall time in COMMIT (its fsync) per placement, ms. */
  readonly perCommit?: number;
  readonly commitMs?: number;
}

async function writerStats(server: FloorServer): Promise<DurableWriterStats> {
  return (await (await fetch(`${server.url}${STATS_PATH}`)).json()) as DurableWriterStats;
}

/**
 * Records the durable floor's placements (`requests` per round × `rounds`) from `mix` after a
 * database of `prefill` signals, then starts both floor servers trusting these keys.
 */
export async function startFloorRuns(options: {
  readonly keys: ReadonlyMap<string, Uint8Array>;
  readonly mix: PlacementMix;
  readonly prefill: number;
  readonly requests: number;
  readonly rounds: number;
  readonly prepare: (count: number) => PreparedRequest[];
  readonly naive: () => NaiveResult;
  readonly baselines: NaiveResult[];
  readonly quick: boolean;
}): Promise<FloorRuns> {
  const { requests, prepare, naive, baselines, quick } = options;
  const recorded: RecordedFloor = await recordDurableFloor(options.mix, requests * options.rounds, {
    group: 64,
    warm: quick ? 100 : 500,
    prefill: options.prefill,
    organisations: 4,
  });
  let floor: FloorServer | undefined;
  let durable: FloorServer | undefined;
  try {
    floor = await startFloorServer(options.keys);
    durable = await startFloorServer(options.keys, {
      durable: { recording: recorded.recording, database: recorded.database },
    });
  } catch (e) {
    await floor?.stop();
    recorded.remove();
    throw e;
  }
  const floorRuns: Run[] = [];
  const durableRuns: Run[] = [];
  const floorBaselines = [baselines[baselines.length - 1]!];
  const measure = async (server: FloorServer, name: string): Promise<Run> => {
    const pid = server.process.pid!;
    const w0 = server === durable ? await writerStats(server) : undefined;
    const cpu0 = processCpuMs(pid);
    const main0 = mainThreadCpuMs(pid);
    const result = await runLoad(server.url, prepare(requests), 64, quick ? 20 : 120);
    const cpu1 = processCpuMs(pid);
    const main1 = mainThreadCpuMs(pid);
    if (result.failed > 0 || server.process.exitCode !== null) {
      throw new Error(`${name} refused or stopped: ${JSON.stringify(result.statuses)}`);
    }
    const cpu = cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / result.ok;
    const main = main0 === undefined || main1 === undefined ? undefined : (main1 - main0) / result.ok;
    if (w0 === undefined) return { rate: result.perSecond, p99: result.p99Ms, cpu, main };
    const w1 = await writerStats(server);
    const placed = w1.placements - w0.placements;
    return {
      rate: result.perSecond,
      p99: result.p99Ms,
      cpu,
      main,
      perCommit: placed / (w1.commits - w0.commits),
      commitMs: (w1.commitMs - w0.commitMs) / placed,
    };
  };
  const runFloor = async () => {
    floorRuns.push(await measure(floor!, 'floor server'));
    const after = naive();
    baselines.push(after);
    floorBaselines.push(after);
  };
  const runDurable = async () => {
    durableRuns.push(await measure(durable!, 'durable floor server'));
  };
  const cpus = (runs: readonly Run[]) => runs.flatMap((r) => (r.cpu === undefined ? [] : [r.cpu]));
  const mains = (runs: readonly Run[]) => {
    const m = runs.flatMap((r) => (r.main === undefined ? [] : [r.main]));
    return m.length === 0 ? 'not reported' : spread(m).median.toFixed(3);
  };
  const median = (runs: readonly Run[], key: 'perCommit' | 'commitMs', digits: number) => {
    const m = runs.flatMap((r) => (r[key] === undefined ? [] : [r[key]]));
    return m.length === 0 ? '–' : spread(m).median.toFixed(digits);
  };
  const floorCpu = () => (cpus(floorRuns).length > 0 ? spread(cpus(floorRuns)) : undefined);
  return {
    async round(round) {
      if (round % 2 === 0) {
        await runFloor();
        await runDurable();
      } else {
        await runDurable();
        await runFloor();
      }
    },
    floorCpu,
    runs: () => ({ floor: floorRuns, durable: durableRuns }),
    figures(sluis) {
      const perRound = (a: readonly number[], b: readonly number[]) =>
        spread(a.slice(0, b.length).map((x, i) => x / b[i]!));
      const floorRates = floorRuns.map((r) => r.rate);
      const durableRates = durableRuns.map((r) => r.rate);
      const fCpu = floorCpu();
      const kinds = [...recorded.kinds].map(([k, n]) => `${k} ${n.toFixed(2)}`).join(', ');
      const ops = [...recorded.operations].map(([k, n]) => `${k} ${n}`).join(', ');
      const figures: Figure[] = [
        {
          id: '2.floor.c64',
          title:
            'floor: bare node:http, digest + Ed25519 verify + JSON parse, nothing stored, concurrency 64',
          unit: 'requests/s',
          candidate: spread(floorRates),
          baseline: spread(floorBaselines.map((b) => b.rate)),
          baselineName: 'naive durable single-row inserts',
          baselineUnit: 'inserts/s',
          ratio: spread(
            floorRates.map((x, i) => x / ((floorBaselines[i]!.rate + floorBaselines[i + 1]!.rate) / 2)),
          ),
          ...(fCpu === undefined
            ? {}
            : { note: `floor server CPU per request ${fCpu.median.toFixed(3)} ms (all threads, /proc)` }),
        },
        // The floor's own latency at 64: what the p99 target (≤ 20 ms) meets here before any placement work.
        {
          id: '2.floor.p99.c64',
          title: 'floor latency p99, concurrency 64',
          unit: 'ms',
          candidate: spread(floorRuns.map((r) => r.p99)),
        },
        {
          id: '2.floor.durable.c64',
          title:
            "durable floor: the floor's work, then a placement's recorded statements replayed raw, group-committed durably, concurrency 64",
          unit: 'requests/s',
          candidate: spread(durableRates),
          baseline: spread(floorRates),
          baselineName: 'floor of the same rounds',
          ratio: perRound(durableRates, floorRates),
          note: `per placement: ${kinds} (and SAVEPOINT/RELEASE per operation, BEGIN IMMEDIATE/COMMIT per turn); operations recorded: ${ops}; ${recorded.placements.toLocaleString('en-US')} placements recorded after ${recorded.prefill.toLocaleString('en-US')} signals`,
        },
        {
          id: '2.floor.durable.p99.c64',
          title: 'durable floor latency p99, concurrency 64',
          unit: 'ms',
          candidate: spread(durableRuns.map((r) => r.p99)),
          baseline: spread(floorRuns.map((r) => r.p99)),
          baselineName: 'floor p99 of the same rounds',
        },
      ];
      const dCpu = cpus(durableRuns);
      if (dCpu.length > 0 && fCpu !== undefined) {
        figures.push({
          id: '2.floor.durable.cpu.c64',
          title: 'durable floor server CPU per request (all threads), concurrency 64',
          unit: 'ms',
          candidate: spread(dCpu),
          baseline: fCpu,
          baselineName: 'floor server CPU per request',
          ratio: perRound(dCpu, cpus(floorRuns)),
          note: `of it the main thread (the event loop, where the statements and the COMMIT run) ${mains(durableRuns)} ms; the floor's main thread ${mains(floorRuns)} ms; ${median(durableRuns, 'perCommit', 1)} placements per COMMIT, the COMMIT's wall time (its WAL write and fsync, the event loop waiting) ${median(durableRuns, 'commitMs', 3)} ms per placement`,
        });
      }
      figures.push({
        id: '2.floor.durable.ratio',
        title: 'signal placement at concurrency 64 against the durable floor of the same rounds',
        unit: 'placements/s',
        candidate: spread(sluis),
        baseline: spread(durableRates),
        baselineName: 'durable floor',
        baselineUnit: 'requests/s',
        ratio: perRound(sluis, durableRates),
      });
      return figures;
    },
    async stop() {
      await floor?.stop();
      await durable?.stop();
      recorded.remove();
    },
  };
}
