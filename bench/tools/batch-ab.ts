// In-process A/B of the engine's batch path (docs/performance.md "Bulk: the batch path",
// "Eighth pass"): two BUILT engines — this checkout's and SLUIS_AB_ROOT's — each on its own
// durable SQLite file (WAL, synchronous=FULL), fed the bulk case's shape of batches
// (`placeSignals`, 500 items, 4 in flight, one person in ten placed shortly before by
// another organisation) in alternated rounds in one process, and the process's CPU time
// (all threads) per signal printed per round. No HTTP, signatures or JSON: what is left
// is the engine's and the store's own work, which is what the batch path's changes touch,
// without the server's and the load generator's noise on a crowded machine. Where Node has
// `process.threadCpuUsage` (23.9 and later) the main thread's CPU time per signal is printed
// too: the engine's own work, without the WAL checkpointer's thread and the collector's helper
// threads. The build opened first runs slower (docs/performance.md "Twenty-fifth pass"):
// SLUIS_AB_OTHER_FIRST=1 opens, warms and measures SLUIS_AB_ROOT's first, so both orders run
// from one checkout. Not part of `pnpm bench`; nothing asserted.
//   SLUIS_AB_ROOT=<other checkout, built> node --expose-gc --import tsx bench/tools/batch-ab.ts [rounds] [signals per round]
//   SLUIS_AB_ROOT=… SLUIS_AB_SOLO=this|other perf stat -e instructions:u node --import tsx bench/tools/batch-ab.ts 3 10000

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { admitInEngine, type EngineOrganisation } from '../lib/engine-organisations.js';
import { benchContact } from '../lib/population.js';

type EngineModule = typeof import('@sluis/engine');

const rounds = Number(process.argv[2] ?? 6);
const perRound = Number(process.argv[3] ?? 10_000);
const here = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const roots: { name: string; root: string }[] = [{ name: 'this', root: here }];
if (process.env.SLUIS_AB_ROOT !== undefined) roots.push({ name: 'other', root: process.env.SLUIS_AB_ROOT });
if (process.env.SLUIS_AB_OTHER_FIRST === '1') roots.reverse();
/** The main thread's CPU µs so far, where Node can tell (23.9 and later). */
const threadCpu = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
const mainCpuUs = () => {
  const u = threadCpu?.call(process);
  return u === undefined ? Number.NaN : u.user + u.system;
};
// One build alone (`this` or `other`), for a counter of the whole process such as
// `perf stat -e instructions`, which a crowded machine disturbs far less than CPU time.
if (process.env.SLUIS_AB_SOLO !== undefined)
  roots.splice(0, roots.length, ...roots.filter((r) => r.name === process.env.SLUIS_AB_SOLO));

const ORGS = 4;

async function open(root: string) {
  const m = (await import(pathToFileURL(join(root, 'packages/engine/dist/index.js')).href)) as EngineModule;
  const dir = mkdtempSync(join(tmpdir(), 'sluis-batch-ab-'));
  const engine = await m.createEngine({
    // SLUIS_AB_MEMORY=1: an in-memory database (no WAL writes, no fsync), for shorter rounds.
    store: m.openSqliteStore({
      path: process.env.SLUIS_AB_MEMORY === '1' ? ':memory:' : join(dir, 'sluis.db'),
    }),
    serverSecrets: new m.ServerSecrets(new Map([[1, randomBytes(32)]])),
    config: { placementAlertPerHour: 1_000_000 },
  });
  const actors: EngineOrganisation['actor'][] = [];
  for (let i = 0; i < ORGS; i++) actors.push((await admitInEngine(engine, `Organisation ${i}`)).actor);
  let placed = 0;
  let batchNo = 0;
  let previous: string[] = [];
  const runId = randomBytes(4).toString('hex');
  const batch = () => {
    const org = batchNo % ORGS;
    const items = [];
    const fresh: string[] = [];
    for (let i = 0; i < 500; i++) {
      const n = placed + i;
      let person: string;
      if (n % 10 === 9 && previous.length > 0) person = previous[i % previous.length]!;
      else {
        person = randomBytes(32).toString('base64url');
        fresh.push(person);
      }
      items.push({
        requestId: `${runId}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
        subject: [{ epoch: 1, value: person }],
        contact: benchContact(n, org),
        informed: { status: 'citizen' as const, date: '2026-01-05' },
      });
    }
    placed += 500;
    batchNo++;
    previous = fresh;
    return engine.placeSignals(actors[org]!, items);
  };
  /** CPU µs per signal of placing `count` signals, 4 batches in flight: all threads, the main thread. */
  const run = async (count: number) => {
    const cpu0 = process.cpuUsage();
    const main0 = mainCpuUs();
    for (let done = 0; done < count; done += 2000) {
      const results = await Promise.all([batch(), batch(), batch(), batch()]);
      for (const r of results) {
        const bad = r.find((x) => !x.ok);
        if (bad !== undefined) throw new Error(`refused: ${JSON.stringify(bad)}`);
      }
    }
    const cpu = process.cpuUsage(cpu0);
    return { all: (cpu.user + cpu.system) / count, main: (mainCpuUs() - main0) / count };
  };
  return {
    run,
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const builds = [];
for (const r of roots) builds.push({ name: r.name, ...(await open(r.root)) });
try {
  for (const b of builds) await b.run(perRound); // warm-up
  const all = builds.map(() => [] as number[]);
  const main = builds.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    const parts: string[] = [];
    // Alternate which build goes first, so neither always follows the other's garbage.
    const order = round % 2 === 0 ? builds.map((_, i) => i) : builds.map((_, i) => i).reverse();
    for (const i of order) {
      global.gc?.();
      const us = await builds[i]!.run(perRound);
      all[i]!.push(us.all);
      main[i]!.push(us.main);
      parts.push(`${builds[i]!.name} ${us.all.toFixed(1)} µs/signal (main thread ${us.main.toFixed(1)})`);
    }
    console.log(`round ${round + 1}: ${parts.join(' | ')}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    builds
      .map(
        (b, i) =>
          `${b.name} median ${median(all[i]!).toFixed(1)} µs/signal (main thread ${median(main[i]!).toFixed(1)})`,
      )
      .join(' | '),
  );
  // Per round, this ÷ other (rounds alternate which build goes first): their median.
  const t = builds.findIndex((b) => b.name === 'this');
  const o = builds.findIndex((b) => b.name === 'other');
  if (t >= 0 && o >= 0) {
    const ratio = (xs: number[][]) => median(xs[t]!.map((x, r) => x / xs[o]![r]!));
    console.log(
      `this ÷ other per round, median: all threads ${ratio(all).toFixed(3)}, main thread ${ratio(main).toFixed(3)}`,
    );
  }
} finally {
  for (const b of builds) await b.close();
}
