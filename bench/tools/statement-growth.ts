// Which of a placement's statements cost more as the database grows (docs/performance.md
// "Eleventh pass")? Places case 2's mix (lib/population.ts, 4 organisations, a third about the
// person placed just before) in-process through the engine on a SQLite file, `group` at a time as
// the server's group commit does, a nonce claimed per placement; in rounds of `perRound`, it times
// every statement call on every connection (wall time of better-sqlite3's run/get/all/iterate, this
// single-threaded process) and prints per round the CPU per placement of the whole process, the
// statements' time per placement, and the statement texts whose time per placement is largest,
// with their calls per placement. Each round is alternated with one on a FRESH engine (a new file,
// `fresh` placements after a warm-up of 2,000), in turns first and second, and each statement's
// time is printed beside the fresh engine's and as their ratio: the same moment's yardstick, so a
// crowded machine's slowdown (which stretches every statement alike) cancels, and a text whose
// ratio rises with the stored rows is one whose cost grows with the database. Not part of
// `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/statement-growth.ts [rounds] [perRound] [group] [top] [fresh]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineOnFile, placeInProcess } from '../lib/engine-on-file.js';
import { placementMix } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';
import { processIo } from '../lib/proc.js';
import { wrapStatements } from '../lib/statement-floor.js';

const rounds = Number(process.argv[2] ?? 10);
const perRound = Number(process.argv[3] ?? 10_000);
const group = Number(process.argv[4] ?? 20);
const top = Number(process.argv[5] ?? 12);
const freshCount = Number(process.argv[6] ?? 10_000);

const times = new Map<string, { ms: number; calls: number }>();
wrapStatements(
  ['run', 'get', 'all'],
  (_, original) =>
    function (...args) {
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = performance.now() - t0;
        const t = times.get(this.source);
        if (t === undefined) times.set(this.source, { ms, calls: 1 });
        else {
          t.ms += ms;
          t.calls++;
        }
      }
    },
);

const mix = placementMix(
  pseudonyms(Math.ceil((rounds * (perRound + freshCount + 2_000) + 2_000) * 0.7) + 10),
);

interface Placer {
  readonly place: (count: number) => Promise<{
    cpuMs: number;
    statements: Map<string, { ms: number; calls: number }>;
    /** Bytes read and written through system calls per placement (the OS's page cache and the WAL). */
    readKiB: number;
    writeKiB: number;
  }>;
  readonly close: () => Promise<void>;
}

/** An engine on a file of its own in `dir`, placing case 2's mix `group` at a time. */
async function placer(dir: string): Promise<Placer> {
  const on = await engineOnFile(join(dir, 'sluis.db'), 4, 'Growth organisation');
  return {
    place: async (count) => {
      times.clear();
      const io0 = processIo('self');
      const cpu0 = process.cpuUsage();
      await placeInProcess(on, mix, count, group);
      const cpu = process.cpuUsage(cpu0);
      const io1 = processIo('self');
      const kib = (k: 'rchar' | 'wchar') =>
        io0 === undefined || io1 === undefined ? Number.NaN : (io1[k] - io0[k]) / count / 1024;
      return {
        cpuMs: (cpu.user + cpu.system) / 1000,
        statements: new Map(times),
        readKiB: kib('rchar'),
        writeKiB: kib('wchar'),
      };
    },
    close: async () => {
      await on.engine.close();
      on.serverSecrets.destroy();
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'sluis-bench-growth-'));
try {
  const growing = await placer(dir);
  await growing.place(2_000);
  let stored = 2_000;
  for (let r = 0; r < rounds; r++) {
    const freshDir = mkdtempSync(join(tmpdir(), 'sluis-bench-growth-fresh-'));
    try {
      const fresh = await placer(freshDir);
      const runFresh = async () => {
        await fresh.place(2_000);
        return fresh.place(freshCount);
      };
      const f0 = r % 2 === 1 ? await runFresh() : undefined;
      const g = await growing.place(perRound);
      const f = f0 ?? (await runFresh());
      await fresh.close();
      const per = (m: Map<string, { ms: number; calls: number }>, count: number) =>
        [...m.values()].reduce((s, t) => s + t.ms, 0) / count;
      console.log(
        `round ${r + 1} (${stored.toLocaleString('en-US')} stored before): cpu ${(g.cpuMs / perRound).toFixed(3)} ms/placement against fresh ${(f.cpuMs / freshCount).toFixed(3)} (${(g.cpuMs / perRound / (f.cpuMs / freshCount)).toFixed(2)}×); statements ${per(g.statements, perRound).toFixed(3)} ms against ${per(f.statements, freshCount).toFixed(3)} (${(per(g.statements, perRound) / per(f.statements, freshCount)).toFixed(2)}×), ${(
          [...g.statements.values()].reduce((s, t) => s + t.calls, 0) / perRound
        ).toFixed(
          1,
        )} calls/placement; read ${g.readKiB.toFixed(1)} KiB (fresh ${f.readKiB.toFixed(1)}), written ${g.writeKiB.toFixed(1)} KiB (fresh ${f.writeKiB.toFixed(1)}) per placement`,
      );
      const all = [...g.statements.entries()].sort((a, b) => b[1].ms - a[1].ms);
      for (const [sql, t] of all.slice(0, top)) {
        const ft = f.statements.get(sql);
        const gus = (t.ms / perRound) * 1000;
        const fus = ft === undefined ? Number.NaN : (ft.ms / freshCount) * 1000;
        console.log(
          `  ${gus.toFixed(1).padStart(6)} µs (fresh ${fus.toFixed(1).padStart(6)}, ${(gus / fus).toFixed(2)}×) ${(t.calls / perRound).toFixed(2).padStart(5)}× ${sql.replace(/\s+/g, ' ').slice(0, 110)}`,
        );
      }
      stored += perRound;
    } finally {
      rmSync(freshDir, { recursive: true, force: true });
    }
  }
  await growing.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
