// How many promises one placement creates and how many promise reactions (hops: an `await`'s
// resumption, a `then` callback) it runs (docs/performance.md "Thirty-eighth pass"), counted with
// V8's promise hooks (with them on, V8 creates every `await`'s throwaway promise too, so the
// promises counted include one per `await`). In this process: the built engine on a SQLite file
// (lib/engine-on-file.ts), case 2's mix, `group` placements at a time as the group commit forms
// them, after `warm` placements; the places that create the promises (the first frame outside
// node's own code, per placement, the largest first) from a second, shorter run. Over HTTP: the
// built server (lib/bench-server.ts) with lib/promise-probe.mjs loaded into it, the same mix at
// concurrency 64, the server's counts per request. Not part of `pnpm bench`; nothing asserted.
//   node --import tsx bench/tools/promise-hops.ts [count] [group] [warm] [sites]

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promiseHooks } from 'node:v8';

const count = Number(process.argv[2] ?? 5_000);
const group = Number(process.argv[3] ?? 22);
const warm = Number(process.argv[4] ?? 5_000);
const sitesShown = Number(process.argv[5] ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'sluis-hops-'));
process.env.SLUIS_HOPS_DIR = dir;
const probe = fileURLToPath(new URL('../lib/promise-probe.mjs', import.meta.url));
// Read by test/support/server-process.ts when it is first imported: set before the import.
process.env.SLUIS_NODE_ARGS = `${process.env.SLUIS_NODE_ARGS ?? ''} --import ${probe}`;
const { engineOnFile, placeInProcess } = await import('../lib/engine-on-file.js');
const { startBenchServer } = await import('../lib/bench-server.js');
const { runLoad } = await import('../lib/http-load.js');
const { placementMix, signedPlacements } = await import('../lib/placement-mix.js');
const { pseudonyms } = await import('../lib/population.js');

let on = false;
let stacks = false;
let inits = 0;
let reactions = 0;
const sites = new Map<string, number>();
/** The first frame of the creating stack outside node's own code, without its column. */
const site = (): string => {
  const lines = (new Error().stack ?? '').split('\n').slice(3);
  // tsx's own cache work runs in this process meanwhile: named as such, not as its frame.
  if (lines.some((l) => l.includes('/tsx/'))) return "tsx (this tool's loader)";
  const frame = lines.find((l) => !l.includes('node:') && !l.includes('<anonymous>')) ?? lines[0] ?? '?';
  return frame
    .trim()
    .replace(/file:\/\/\S*?\/(packages|bench)\//, '$1/')
    .replace(/:\d+\)?$/, ')');
};
promiseHooks.createHook({
  init() {
    if (!on) return;
    inits++;
    if (stacks) sites.set(site(), (sites.get(site()) ?? 0) + 1);
  },
  before() {
    if (on) reactions++;
  },
});

try {
  const mix = placementMix(pseudonyms(Math.ceil((warm * 2 + count * 2 + 2_000) * 0.7) + 10));
  const e = await engineOnFile(join(dir, 'hops.db'), 4, 'hops');
  await placeInProcess(e, mix, warm, group);
  on = true;
  await placeInProcess(e, mix, count, group);
  on = false;
  console.log(
    `in process, ${count} placements ${group} at a time: ${(inits / count).toFixed(1)} promises, ${(reactions / count).toFixed(1)} reactions a placement (the nonce's claim and the engine)`,
  );
  const few = Math.min(count, 1_000);
  inits = 0;
  reactions = 0;
  on = true;
  stacks = true;
  await placeInProcess(e, mix, few, group);
  on = false;
  stacks = false;
  console.log(`where (${few} placements; promises a placement):`);
  for (const [at, n] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, sitesShown)) {
    console.log(`  ${(n / few).toFixed(2).padStart(6)}  ${at}`);
  }
  await e.store.close();
  e.serverSecrets.destroy();

  const bench = await startBenchServer(4);
  try {
    const pid = bench.server.process.pid!;
    let n = 0;
    const counts = async (): Promise<{ inits: number; reactions: number }> => {
      n++;
      process.kill(pid, 'SIGUSR2');
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        try {
          return JSON.parse(readFileSync(join(dir, `hops-${n}.json`), 'utf8')) as {
            inits: number;
            reactions: number;
          };
        } catch {
          // not written yet
        }
      }
      throw new Error('the server wrote no counts within 5 s');
    };
    const load = async (k: number) => {
      const r = await runLoad(bench.server.url, signedPlacements(mix, bench, k), 64, 300);
      if (r.failed > 0) throw new Error(`refused: ${JSON.stringify(r.statuses)}`);
    };
    await load(warm);
    const a = await counts();
    await load(count);
    const b = await counts();
    console.log(
      `over HTTP at 64, the server, ${count} placements: ${((b.inits - a.inits) / count).toFixed(1)} promises, ${((b.reactions - a.reactions) / count).toFixed(1)} reactions a request`,
    );
  } finally {
    await bench.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
