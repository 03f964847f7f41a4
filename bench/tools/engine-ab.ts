// The engine and its SQLite store of two builds in ONE process, no HTTP (docs/performance.md
// "Thirty-third pass: the national year's own work"): this checkout's built engine
// (packages/engine/dist) and the one of SLUIS_AB_ROOT=<another checkout, built>, each on a file of
// its own, both first filled with `prefill` placements of case 2's mix, then rounds of `perRound`
// placements, `group` per commit as the server's group commit forms them at 64, alternated (in
// turns first). Per round each build's CPU per placement (this process, all threads: the WAL
// checkpoint worker included; and its main thread alone, the server's bound); at the end the
// medians of other ÷ this. What it isolates: the engine's and the store's JavaScript and their
// statements, without the request path, whose rounds over HTTP move by more than these items.
// Not part of `pnpm bench`; nothing asserted.
//   SLUIS_AB_ROOT=<checkout> node --import tsx bench/tools/engine-ab.ts [rounds] [perRound] [prefill] [group]

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as EngineModule from '@sluis/engine';
import { admitInEngine } from '../lib/engine-organisations.js';
import { type EngineOnFile, placeInProcess } from '../lib/engine-on-file.js';
import { placementMix } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import { mainThreadCpuMs } from '../lib/proc.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 10);
const perRound = Number(process.argv[3] ?? 10_000);
const prefill = Number(process.argv[4] ?? 111_000);
const group = Number(process.argv[5] ?? 22);
const other = process.env.SLUIS_AB_ROOT;
if (other === undefined) throw new Error('engine-ab.ts needs SLUIS_AB_ROOT=<another checkout, built>');

const dir = mkdtempSync(join(tmpdir(), 'sluis-engine-ab-'));
const roots = { this: join(import.meta.dirname, '../..'), other } as const;

async function open(name: keyof typeof roots): Promise<EngineOnFile> {
  const m = (await import(
    pathToFileURL(join(roots[name], 'packages/engine/dist/index.js')).href
  )) as typeof EngineModule;
  const store = m.openSqliteStore({ path: join(dir, `${name}.db`) });
  const serverSecrets = new m.ServerSecrets(new Map([[1, randomBytes(32)]]));
  const engine = await m.createEngine({
    store,
    serverSecrets,
    config: { placementAlertPerHour: 1_000_000 },
  });
  const actors = [];
  for (let i = 0; i < 4; i++) actors.push((await admitInEngine(engine, `${name} ${i + 1}`)).actor);
  return { store, engine, actors, serverSecrets };
}

try {
  const mix = placementMix(pseudonyms(Math.ceil((prefill + perRound * rounds) * 2 * 0.7) + 10));
  const names = ['this', 'other'] as const;
  const engines = { this: await open('this'), other: await open('other') };
  for (const n of names) await placeInProcess(engines[n], mix, prefill, group);
  const cpu = { this: [] as number[], other: [] as number[] };
  const main = { this: [] as number[], other: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    const order: readonly ('this' | 'other')[] = i % 2 === 0 ? names : ['other', 'this'];
    const parts: string[] = [];
    for (const n of order) {
      const c0 = process.cpuUsage();
      const m0 = mainThreadCpuMs(process.pid)!;
      await placeInProcess(engines[n], mix, perRound, group);
      const c = process.cpuUsage(c0);
      cpu[n].push((c.user + c.system) / perRound);
      main[n].push(((mainThreadCpuMs(process.pid)! - m0) * 1000) / perRound);
      parts.push(`${n}: cpu ${cpu[n][i]!.toFixed(1)} µs (main thread ${main[n][i]!.toFixed(1)})`);
    }
    console.log(
      `round ${i + 1} (${order[0]} first): ${parts.join(' | ')} | other ÷ this: cpu ${(cpu.other[i]! / cpu.this[i]!).toFixed(3)}, main thread ${(main.other[i]! / main.this[i]!).toFixed(3)}`,
    );
  }
  const ratio = (xs: Record<'this' | 'other', number[]>) => {
    const r = spread(xs.other.map((v, i) => v / xs.this[i]!));
    return `${r.median.toFixed(3)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
  };
  console.log(
    `medians: this cpu ${spread(cpu.this).median.toFixed(1)} µs (main thread ${spread(main.this).median.toFixed(1)}), other cpu ${spread(cpu.other).median.toFixed(1)} µs (main thread ${spread(main.other).median.toFixed(1)}); other ÷ this: cpu ${ratio(cpu)}, main thread ${ratio(main)}`,
  );
  for (const n of names) {
    await engines[n].store.close();
    engines[n].serverSecrets.destroy();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
