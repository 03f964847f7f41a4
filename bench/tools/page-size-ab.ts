// Does a smaller SQLite page size make a placement cheaper (docs/performance.md "Eighteenth
// pass")? A placement dirties about one leaf page in each index with random keys, and every
// dirty page is a whole WAL frame: written, checksummed, synced and copied again by the
// checkpoint. Two engines in this process (no HTTP), each on a file of its own created with
// the given page size before the store opened it (the default 4096 and `size`), both first
// filled with `prefill` placements of case 2's mix, then rounds of `perRound` placements,
// `group` per commit as the server's group commit forms them, alternated (in turns first),
// each round's CPU (this process, all threads: the WAL checkpoint worker included; and its main
// thread alone, which is the server's bound) and bytes read and written per placement. Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/page-size-ab.ts [size] [rounds] [perRound] [prefill] [group]

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type EngineOnFile, engineOnFile, placeInProcess } from '../lib/engine-on-file.js';
import { placementMix } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import { mainThreadCpuMs, processIo } from '../lib/proc.js';
import { spread } from '../lib/stats.js';

const size = Number(process.argv[2] ?? 1024);
const rounds = Number(process.argv[3] ?? 8);
const perRound = Number(process.argv[4] ?? 6_000);
const prefill = Number(process.argv[5] ?? 40_000);
const group = Number(process.argv[6] ?? 21);

const dir = mkdtempSync(join(tmpdir(), 'sluis-page-size-'));
const median = (xs: readonly number[]) => spread(xs).median;

async function open(pageSize: number): Promise<EngineOnFile & { path: string }> {
  const path = join(dir, `p${pageSize}.db`);
  const db = new Database(path);
  db.pragma(`page_size = ${pageSize}`);
  db.exec('VACUUM');
  db.close();
  const e = await engineOnFile(path, 4, `p${pageSize}`);
  const check = new Database(path, { readonly: true });
  const got = Number(check.pragma('page_size', { simple: true }));
  check.close();
  if (got !== pageSize) throw new Error(`page size ${got}, not ${pageSize}`);
  return { ...e, path };
}

try {
  const mix = placementMix(pseudonyms(Math.ceil((prefill + perRound * rounds) * 2 * 0.7) + 10));
  const engines = [await open(4096), await open(size)];
  for (const e of engines) await placeInProcess(e, mix, prefill, group);
  const cpu: number[][] = [[], []];
  const main: number[][] = [[], []];
  const written: number[][] = [[], []];
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    const parts: string[] = [];
    for (const k of order) {
      const e = engines[k]!;
      const io0 = processIo('self')!;
      const c0 = process.cpuUsage();
      const m0 = mainThreadCpuMs(process.pid)!;
      await placeInProcess(e, mix, perRound, group);
      const c = process.cpuUsage(c0);
      const mainMs = (mainThreadCpuMs(process.pid)! - m0) / perRound;
      main[k]!.push(mainMs);
      const io1 = processIo('self')!;
      const ms = (c.user + c.system) / 1000 / perRound;
      const w = (io1.wchar - io0.wchar) / 1024 / perRound;
      cpu[k]!.push(ms);
      written[k]!.push(w);
      parts.push(
        `${k === 0 ? 4096 : size}: cpu ${(ms * 1000).toFixed(1)} µs (main thread ${(mainMs * 1000).toFixed(1)}), written ${w.toFixed(1)} KiB, read ${((io1.rchar - io0.rchar) / 1024 / perRound).toFixed(1)} KiB`,
      );
    }
    console.log(
      `round ${i + 1}: ${parts.join(' | ')} | ${size} ÷ 4096: cpu ${(cpu[1]![i]! / cpu[0]![i]!).toFixed(2)}, main thread ${(main[1]![i]! / main[0]![i]!).toFixed(2)}`,
    );
  }
  const ratios = cpu[1]!.map((c, i) => c / cpu[0]![i]!);
  const mainRatios = main[1]!.map((c, i) => c / main[0]![i]!);
  console.log(
    `medians: cpu ${size} ÷ 4096 ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}), main thread ${median(mainRatios).toFixed(2)} (${Math.min(...mainRatios).toFixed(2)}–${Math.max(...mainRatios).toFixed(2)}); written ${median(written[1]!).toFixed(1)} against ${median(written[0]!).toFixed(1)} KiB a placement; files ${(statSync(engines[1]!.path).size / 2 ** 20).toFixed(1)} against ${(statSync(engines[0]!.path).size / 2 ** 20).toFixed(1)} MiB`,
  );
  for (const e of engines) {
    await e.store.close();
    e.serverSecrets.destroy();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
